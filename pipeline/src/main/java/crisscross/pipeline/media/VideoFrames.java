package crisscross.pipeline.media;

/**
 * Consecutive RGB frames, values in [0, 1], interleaved {@code [frame][row][column][channel]}.
 *
 * @param timestamps presentation time of each frame in seconds from the start of the file
 */
public record VideoFrames(int frames, int height, int width, float[] rgb, double[] timestamps) {
  public VideoFrames {
    if (rgb.length != (long) frames * height * width * 3) {
      throw new IllegalArgumentException("rgb has " + rgb.length + " values, expected " + frames + "x" + height
          + "x" + width + "x3");
    }
    if (timestamps.length != frames) {
      throw new IllegalArgumentException("timestamps has " + timestamps.length + " values for " + frames
          + " frames");
    }
  }

  public int frameSize() {
    return height * width * 3;
  }

  /** Offset of pixel (frame, row, column, channel) in {@link #rgb()}. */
  public int index(int frame, int row, int column, int channel) {
    return ((frame * height + row) * width + column) * 3 + channel;
  }

  /** Frames {@code from} (inclusive) to {@code to} (exclusive), copied. */
  public VideoFrames slice(int from, int to) {
    if (from < 0 || to > frames || from > to) {
      throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + frames + " frames");
    }
    float[] data = new float[(to - from) * frameSize()];
    System.arraycopy(rgb, from * frameSize(), data, 0, data.length);
    double[] ts = new double[to - from];
    System.arraycopy(timestamps, from, ts, 0, ts.length);
    return new VideoFrames(to - from, height, width, data, ts);
  }
}
