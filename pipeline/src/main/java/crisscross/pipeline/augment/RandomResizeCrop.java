package crisscross.pipeline.augment;

import crisscross.pipeline.random.SampleRandom;

/**
 * BYOL-A's {@code RandomResizeCrop} (Niizumi et al. 2021; Table S2): the spectrogram is placed at the centre
 * of a zero canvas of {@code 1.0 x virtualScale} its size (frequency x time), a crop whose sides are uniform
 * fractions in {@code [minScale, maxScale]} of the spectrogram's (clipped to the canvas) is taken at a
 * uniform position, and resized back to the spectrogram's size with bicubic interpolation, corners aligned.
 * Zero is the mean of a standardised spectrogram, so the canvas pads with "average" energy.
 */
public final class RandomResizeCrop {
  private RandomResizeCrop() {}

  /** A crop of the canvas: rows are bands, columns frames. */
  public record Crop(int canvasBands, int canvasFrames, int top, int left, int bands, int frames) {}

  /** BYOL-A's {@code get_params}: the band count first, then the frame count, then the position. */
  public static Crop draw(int bands, int frames, double virtualScale, double minScale, double maxScale,
      SampleRandom random) {
    int canvasBands = bands;
    int canvasFrames = (int) (frames * virtualScale);
    int h = clamp((int) (random.uniform(minScale, maxScale) * bands), 1, canvasBands);
    int w = clamp((int) (random.uniform(minScale, maxScale) * frames), 1, canvasFrames);
    int top = canvasBands > h ? random.nextInt(canvasBands - h + 1) : 0;
    int left = canvasFrames > w ? random.nextInt(canvasFrames - w + 1) : 0;
    return new Crop(canvasBands, canvasFrames, top, left, h, w);
  }

  /** The crop of the canvas resized back to {@code bands x frames}. */
  public static float[] apply(float[] spec, int bands, int frames, Crop crop) {
    int bandOffset = (crop.canvasBands() - bands) / 2;
    int frameOffset = (crop.canvasFrames() - frames) / 2;
    float[] patch = new float[crop.bands() * crop.frames()];
    for (int r = 0; r < crop.bands(); r++) {
      int band = crop.top() + r - bandOffset;
      if (band < 0 || band >= bands) {
        continue;
      }
      int firstColumn = Math.max(0, frameOffset - crop.left());
      int lastColumn = Math.min(crop.frames(), frameOffset + frames - crop.left());
      for (int c = firstColumn; c < lastColumn; c++) {
        patch[r * crop.frames() + c] = spec[band * frames + crop.left() + c - frameOffset];
      }
    }
    float[] out = new float[bands * frames];
    Resampling.resizePlane(patch, crop.frames(), Resampling.bicubic(crop.bands(), bands, true),
        Resampling.bicubic(crop.frames(), frames, true), new float[bands * crop.frames()], out, 0);
    return out;
  }

  private static int clamp(int value, int low, int high) {
    return Math.max(low, Math.min(high, value));
  }
}
