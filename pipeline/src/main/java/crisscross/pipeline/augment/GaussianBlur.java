package crisscross.pipeline.augment;

/**
 * torchvision's {@code gaussian_blur} (Table S1: kernel 11, sigma drawn in [0.1, 2]): a normalised Gaussian
 * sampled at the integer offsets {@code -(k-1)/2 .. (k-1)/2}, applied separably to each channel with
 * reflect padding ({@code k / 2} pixels, the edge pixel not repeated).
 */
public final class GaussianBlur {
  private static final float NEGLIGIBLE = 1e-8f;
  private GaussianBlur() {}

  /** torchvision's {@code _get_gaussian_kernel1d}. */
  public static float[] kernel(int size, double sigma) {
    if (size < 1 || size % 2 == 0 || !(sigma > 0)) {
      throw new IllegalArgumentException("blur kernel must be odd and sigma positive: " + size + ", " + sigma);
    }
    double half = (size - 1) * 0.5;
    double[] pdf = new double[size];
    double sum = 0;
    for (int i = 0; i < size; i++) {
      double x = -half + i;
      pdf[i] = Math.exp(-0.5 * (x / sigma) * (x / sigma));
      sum += pdf[i];
    }
    float[] kernel = new float[size];
    for (int i = 0; i < size; i++) {
      kernel[i] = (float) (pdf[i] / sum);
    }
    return kernel;
  }

  /**
   * Blurs {@code channels} planes of {@code rows x columns} pixels in place; {@code scratch} holds at least
   * one plane plus one padded row ({@code rows * columns + columns + kernel.length}). The frame must be larger
   * than half the kernel in both directions, as reflect padding requires.
   */
  public static void apply(float[] frame, int channels, int rows, int columns, float[] kernel, float[] scratch) {
    int radius = kernel.length / 2;
    if (radius >= rows || radius >= columns) {
      throw new IllegalArgumentException("a " + rows + "x" + columns + " frame is too small for a blur kernel of "
          + kernel.length);
    }
    int plane = rows * columns;
    int padded = plane;
    int[] rowIndex = reflectIndex(rows, radius);
    // Taps below float resolution (a small sigma's tails) change no output by more than rounding: skip them.
    int first = 0;
    while (first < radius && kernel[first] < NEGLIGIBLE) {
      first++;
    }
    int last = kernel.length - 1 - first;
    for (int ch = 0; ch < channels; ch++) {
      int base = ch * plane;
      for (int r = 0; r < rows; r++) {
        int row = base + r * columns;
        // The row with its reflected borders, then a contiguous dot product per pixel.
        System.arraycopy(frame, row, scratch, padded + radius, columns);
        for (int i = 1; i <= radius; i++) {
          scratch[padded + radius - i] = frame[row + i];
          scratch[padded + radius + columns - 1 + i] = frame[row + columns - 1 - i];
        }
        int target = r * columns;
        java.util.Arrays.fill(scratch, target, target + columns, 0f);
        for (int k = first; k <= last; k++) {
          float w = kernel[k];
          int source = padded + k;
          for (int c = 0; c < columns; c++) {
            scratch[target + c] += w * scratch[source + c];
          }
        }
      }
      for (int r = 0; r < rows; r++) {
        int row = base + r * columns;
        java.util.Arrays.fill(frame, row, row + columns, 0f);
        for (int k = first; k <= last; k++) {
          float w = kernel[k];
          int source = rowIndex[r + k] * columns;
          for (int c = 0; c < columns; c++) {
            frame[row + c] += w * scratch[source + c];
          }
        }
      }
    }
  }

  /** Scratch length {@link #apply} needs for frames of {@code rows x columns}. */
  public static int scratchLength(int rows, int columns, int kernel) {
    return rows * columns + columns + kernel;
  }

  /** Source index of padded position {@code i} (0-based, {@code radius} pixels of padding on each side). */
  private static int[] reflectIndex(int size, int radius) {
    int[] index = new int[size + 2 * radius];
    for (int i = 0; i < index.length; i++) {
      int x = i - radius;
      if (x < 0) {
        x = -x;
      } else if (x >= size) {
        x = 2 * (size - 1) - x;
      }
      index[i] = x;
    }
    return index;
  }
}
