package crisscross.pipeline.augment;

/**
 * torchvision's {@code gaussian_blur} (Table S1: kernel 11, sigma drawn in [0.1, 2]): a normalised Gaussian
 * sampled at the integer offsets {@code -(k-1)/2 .. (k-1)/2}, applied separably to each channel with
 * reflect padding ({@code k / 2} pixels, the edge pixel not repeated).
 */
public final class GaussianBlur {
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
   * Blurs {@code channels} planes of {@code side x side} pixels in place; {@code scratch} holds at least one
   * plane. The frame must be wider than half the kernel, as reflect padding requires.
   */
  public static void apply(float[] frame, int channels, int rows, int columns, float[] kernel, float[] scratch) {
    int radius = kernel.length / 2;
    if (radius >= rows || radius >= columns) {
      throw new IllegalArgumentException("a " + rows + "x" + columns + " frame is too small for a blur kernel of "
          + kernel.length);
    }
    int[] columnIndex = reflectIndex(columns, radius);
    int[] rowIndex = reflectIndex(rows, radius);
    int plane = rows * columns;
    for (int ch = 0; ch < channels; ch++) {
      int base = ch * plane;
      for (int r = 0; r < rows; r++) {
        int row = base + r * columns;
        for (int c = 0; c < columns; c++) {
          float sum = 0f;
          for (int k = 0; k < kernel.length; k++) {
            sum += kernel[k] * frame[row + columnIndex[c + k]];
          }
          scratch[r * columns + c] = sum;
        }
      }
      for (int r = 0; r < rows; r++) {
        int row = base + r * columns;
        for (int c = 0; c < columns; c++) {
          float sum = 0f;
          for (int k = 0; k < kernel.length; k++) {
            sum += kernel[k] * scratch[rowIndex[r + k] * columns + c];
          }
          frame[row + c] = sum;
        }
      }
    }
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
