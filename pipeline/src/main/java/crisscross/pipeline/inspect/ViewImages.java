package crisscross.pipeline.inspect;

import java.awt.image.BufferedImage;

/**
 * Renders encoder inputs as images: a video view {@code [3][T][S][S]} (ImageNet-normalised) as its T frames side by
 * side, an audio view {@code [1][F][N]} as a spectrogram with low frequencies at the bottom.
 */
public final class ViewImages {
  private static final int GAP = 2;

  private ViewImages() {}

  /**
   * @param mean the per-channel mean the view was normalised with ({@code video.normalize-mean})
   * @param std the per-channel std ({@code video.normalize-std})
   */
  public static BufferedImage videoStrip(float[] view, int frames, int size, double[] mean, double[] std) {
    if (view.length != 3 * frames * size * size) {
      throw new IllegalArgumentException("a video view of " + frames + "x" + size + "x" + size + " has "
          + 3 * frames * size * size + " values, got " + view.length);
    }
    int width = frames * size + (frames - 1) * GAP;
    BufferedImage image = new BufferedImage(width, size, BufferedImage.TYPE_INT_RGB);
    int plane = frames * size * size;
    for (int t = 0; t < frames; t++) {
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int offset = (t * size + y) * size + x;
          int rgb = 0;
          for (int c = 0; c < 3; c++) {
            double value = view[c * plane + offset] * std[c] + mean[c];
            rgb = (rgb << 8) | (int) Math.round(255 * Math.max(0, Math.min(1, value)));
          }
          image.setRGB(t * (size + GAP) + x, y, rgb);
        }
      }
    }
    return image;
  }

  /** One frame of a video view, for thumbnails. */
  public static BufferedImage videoFrame(float[] view, int frames, int size, int frame, double[] mean,
      double[] std) {
    return videoStrip(view, frames, size, mean, std).getSubimage(frame * (size + GAP), 0, size, size);
  }

  /** A spectrogram scaled to its own range, {@code scale} pixels per cell. */
  public static BufferedImage spectrogram(float[] view, int bands, int frames, int scale) {
    if (view.length != bands * frames) {
      throw new IllegalArgumentException("an audio view of " + bands + "x" + frames + " has " + bands * frames
          + " values, got " + view.length);
    }
    float low = Float.POSITIVE_INFINITY;
    float high = Float.NEGATIVE_INFINITY;
    for (float v : view) {
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
    float range = high > low ? high - low : 1;
    BufferedImage image = new BufferedImage(frames * scale, bands * scale, BufferedImage.TYPE_INT_RGB);
    for (int b = 0; b < bands; b++) {
      for (int t = 0; t < frames; t++) {
        int rgb = colour((view[b * frames + t] - low) / range);
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            image.setRGB(t * scale + dx, (bands - 1 - b) * scale + dy, rgb);
          }
        }
      }
    }
    return image;
  }

  /** A perceptually ordered dark-blue to yellow ramp (close to viridis) for a value in [0, 1]. */
  static int colour(double value) {
    double[][] stops = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
    double position = Math.max(0, Math.min(1, value)) * (stops.length - 1);
    int i = Math.min(stops.length - 2, (int) position);
    double f = position - i;
    int rgb = 0;
    for (int c = 0; c < 3; c++) {
      rgb = (rgb << 8) | (int) Math.round(stops[i][c] + f * (stops[i + 1][c] - stops[i][c]));
    }
    return rgb;
  }
}
