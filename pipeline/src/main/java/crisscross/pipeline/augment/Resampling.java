package crisscross.pipeline.augment;

/**
 * One-dimensional resampling as a table of taps: output {@code o} is {@code sum_k weight[o * taps + k] *
 * input[index[o * taps + k]]}. Two-dimensional resizes apply one table per axis (all the interpolations used
 * here are separable). Tables are built once per geometry and reused for every frame, row and channel.
 *
 * @param taps entries per output (unused entries have weight 0 and a valid index)
 */
public record Resampling(int inSize, int outSize, int taps, int[] index, float[] weight) {

  /**
   * PIL's and torchvision's antialiased bilinear ({@code antialias=True}, the triangle filter widened by the
   * scale factor when shrinking), over input positions {@code [start, start + length)} of a larger axis; with
   * {@code reverse} the output order is mirrored, which is a horizontal flip folded into the resize.
   */
  public static Resampling antialiasedBilinear(int start, int length, int outSize, boolean reverse) {
    if (length < 1 || outSize < 1) {
      throw new IllegalArgumentException("cannot resample " + length + " to " + outSize);
    }
    double scale = length / (double) outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = filterScale;
    int taps = (int) Math.ceil(support) * 2 + 1;
    int[] index = new int[outSize * taps];
    float[] weight = new float[outSize * taps];
    double[] w = new double[taps];
    for (int o = 0; o < outSize; o++) {
      double center = (o + 0.5) * scale;
      int min = Math.max((int) (center - support + 0.5), 0);
      int max = Math.min((int) (center + support + 0.5), length);
      double total = 0;
      int count = Math.min(max - min, taps);
      for (int k = 0; k < count; k++) {
        double x = (k + min - center + 0.5) / filterScale;
        w[k] = Math.max(0, 1 - Math.abs(x));
        total += w[k];
      }
      int target = reverse ? outSize - 1 - o : o;
      for (int k = 0; k < taps; k++) {
        index[target * taps + k] = start + Math.min(min + k, min + count - 1);
        weight[target * taps + k] = k < count && total > 0 ? (float) (w[k] / total) : 0f;
      }
    }
    return new Resampling(length, outSize, taps, index, weight);
  }

  /**
   * PyTorch's bicubic interpolation ({@code F.interpolate(mode='bicubic')}, Keys' cubic with a = -0.75, input
   * indices clamped to the edge). With {@code alignCorners} the first and last samples of input and output
   * coincide; without, sample centres are aligned (source = (o + 0.5) * in / out - 0.5, not clamped).
   */
  public static Resampling bicubic(int inSize, int outSize, boolean alignCorners) {
    if (inSize < 1 || outSize < 1) {
      throw new IllegalArgumentException("cannot resample " + inSize + " to " + outSize);
    }
    int[] index = new int[outSize * 4];
    float[] weight = new float[outSize * 4];
    for (int o = 0; o < outSize; o++) {
      double source;
      if (alignCorners) {
        source = outSize > 1 ? o * (inSize - 1) / (double) (outSize - 1) : 0;
      } else {
        source = (o + 0.5) * inSize / outSize - 0.5;
      }
      int floor = (int) Math.floor(source);
      double t = source - floor;
      double[] c = cubicCoefficients(t);
      for (int k = 0; k < 4; k++) {
        index[o * 4 + k] = Math.min(Math.max(floor - 1 + k, 0), inSize - 1);
        weight[o * 4 + k] = (float) c[k];
      }
    }
    return new Resampling(inSize, outSize, 4, index, weight);
  }

  private static double[] cubicCoefficients(double t) {
    double a = -0.75;
    double x1 = t + 1;
    double x2 = t;
    double x3 = 1 - t;
    double x4 = 2 - t;
    return new double[] {
        ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a,
        ((a + 2) * x2 - (a + 3)) * x2 * x2 + 1,
        ((a + 2) * x3 - (a + 3)) * x3 * x3 + 1,
        ((a * x4 - 5 * a) * x4 + 8 * a) * x4 - 4 * a};
  }

  /**
   * Resizes a row-major {@code [rows][columns]} plane: {@code rowsTable} maps input rows to output rows and
   * {@code columnsTable} input columns to output columns. Rows first, then columns, through {@code scratch}
   * (at least {@code rowsTable.outSize * inColumns} long).
   */
  public static void resizePlane(float[] in, int inColumns, Resampling rowsTable, Resampling columnsTable,
      float[] scratch, float[] out, int outOffset) {
    int outRows = rowsTable.outSize;
    int outColumns = columnsTable.outSize;
    int rowTaps = rowsTable.taps;
    for (int r = 0; r < outRows; r++) {
      int base = r * inColumns;
      java.util.Arrays.fill(scratch, base, base + inColumns, 0f);
      for (int k = 0; k < rowTaps; k++) {
        float w = rowsTable.weight[r * rowTaps + k];
        if (w == 0f) {
          continue;
        }
        int source = rowsTable.index[r * rowTaps + k] * inColumns;
        for (int c = 0; c < inColumns; c++) {
          scratch[base + c] += w * in[source + c];
        }
      }
    }
    int columnTaps = columnsTable.taps;
    for (int r = 0; r < outRows; r++) {
      int base = r * inColumns;
      int target = outOffset + r * outColumns;
      for (int c = 0; c < outColumns; c++) {
        float sum = 0f;
        for (int k = 0; k < columnTaps; k++) {
          sum += columnsTable.weight[c * columnTaps + k] * scratch[base + columnsTable.index[c * columnTaps + k]];
        }
        out[target + c] = sum;
      }
    }
  }
}
