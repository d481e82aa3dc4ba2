package crisscross.pipeline.augment;

import crisscross.pipeline.random.SampleRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * SpecAugment (Park et al. 2019) as s3prl implements it and the authors use it (Appendix D.2), on a log-mel
 * spectrogram stored {@code [band][frame]}: masks along one axis filled with the spectrogram's mean, and time
 * warping by bicubic resampling of the two sides of a moving point.
 */
public final class SpecAugment {
  private SpecAugment() {}

  /** Positions {@code [start, start + width)} along the masked axis. */
  public record Mask(int start, int width) {}

  /** Time warp: frames {@code [0, centre)} are stretched to {@code [0, warpedCentre)}, the rest to the end. */
  public record Warp(int centre, int warpedCentre) {}

  /**
   * s3prl's {@code MaskAlongAxis}: {@code count} widths drawn uniformly in {@code [0, maxWidth)} (torch
   * {@code randint}'s exclusive bound), then each start uniformly in {@code [0, max(1, size - widest))}.
   */
  public static List<Mask> drawMasks(int size, int count, int maxWidth, SampleRandom random) {
    int[] widths = new int[count];
    int widest = 0;
    for (int i = 0; i < count; i++) {
      widths[i] = random.nextInt(maxWidth);
      widest = Math.max(widest, widths[i]);
    }
    List<Mask> masks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      masks.add(new Mask(random.nextInt(Math.max(1, size - widest)), widths[i]));
    }
    return masks;
  }

  /**
   * Fills the masked bands ({@code frequency}) or frames with the mean of the whole spectrogram as it is
   * before these masks (s3prl with {@code replace_with_zero=False}, as the authors configure it).
   */
  public static void applyMasks(float[] spec, int bands, int frames, boolean frequency, List<Mask> masks) {
    if (masks.isEmpty()) {
      return;
    }
    float mean = (float) mean(spec);
    for (Mask mask : masks) {
      int end = Math.min(mask.start() + mask.width(), frequency ? bands : frames);
      if (frequency) {
        java.util.Arrays.fill(spec, mask.start() * frames, end * frames, mean);
      } else {
        for (int b = 0; b < bands; b++) {
          java.util.Arrays.fill(spec, b * frames + mask.start(), b * frames + end, mean);
        }
      }
    }
  }

  /**
   * s3prl's {@code TimeWarp}: none when {@code frames - window <= window}; else a centre uniform in
   * {@code [window, frames - window)} moved to a point uniform in {@code [centre - window + 1, centre + window]}.
   */
  public static Warp drawWarp(int frames, int window, SampleRandom random) {
    if (frames - window <= window) {
      return null;
    }
    int centre = window + random.nextInt(frames - 2 * window);
    int warped = centre - window + random.nextInt(2 * window) + 1;
    return new Warp(centre, warped);
  }

  /** The warped spectrogram: each side resized along time with PyTorch's bicubic, half-pixel aligned. */
  public static float[] applyWarp(float[] spec, int bands, int frames, Warp warp) {
    float[] out = new float[spec.length];
    Resampling left = Resampling.bicubic(warp.centre(), warp.warpedCentre(), false);
    Resampling right = Resampling.bicubic(frames - warp.centre(), frames - warp.warpedCentre(), false);
    for (int b = 0; b < bands; b++) {
      int row = b * frames;
      resampleRow(spec, row, left, out, row);
      resampleRow(spec, row + warp.centre(), right, out, row + warp.warpedCentre());
    }
    return out;
  }

  private static void resampleRow(float[] in, int inOffset, Resampling table, float[] out, int outOffset) {
    int taps = table.taps();
    for (int o = 0; o < table.outSize(); o++) {
      float sum = 0f;
      for (int k = 0; k < taps; k++) {
        sum += table.weight()[o * taps + k] * in[inOffset + table.index()[o * taps + k]];
      }
      out[outOffset + o] = sum;
    }
  }

  static double mean(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return sum / values.length;
  }
}
