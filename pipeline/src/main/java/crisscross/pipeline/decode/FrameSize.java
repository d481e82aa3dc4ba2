package crisscross.pipeline.decode;

/** Width and height of decoded frames in pixels. */
public record FrameSize(int width, int height) {
  public FrameSize {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("frame size must be positive: " + width + "x" + height);
    }
  }

  /**
   * The size whose short side is {@code shortSide} pixels and whose aspect ratio is the displayed one (coded size
   * with non-square pixels stretched), rounding the long side to the nearest pixel. A 320x240 video at short side
   * 128 becomes 171x128; frames smaller than the short side are enlarged so that crops always fit.
   */
  public static FrameSize withShortSide(int codedWidth, int codedHeight, double pixelAspectRatio, int shortSide) {
    if (codedWidth < 1 || codedHeight < 1 || shortSide < 1) {
      throw new IllegalArgumentException("bad resize " + codedWidth + "x" + codedHeight + " to short side "
          + shortSide);
    }
    double par = pixelAspectRatio > 0 && Double.isFinite(pixelAspectRatio) ? pixelAspectRatio : 1.0;
    double displayWidth = codedWidth * par;
    if (displayWidth <= codedHeight) {
      return new FrameSize(shortSide, Math.max(1, (int) Math.round(codedHeight * shortSide / displayWidth)));
    }
    return new FrameSize(Math.max(1, (int) Math.round(displayWidth * shortSide / codedHeight)), shortSide);
  }
}
