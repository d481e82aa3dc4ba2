package crisscross.trainer.step;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SimSiam's collapse indicator: the standard deviation over the batch of the l2-normalised projector output,
 * per dimension, averaged over dimensions. About 1/sqrt(d) for healthy outputs, 0 when every sample maps to one
 * point.
 */
public final class CollapseIndicator {
  /** Lower clamp of each vector norm (as the SimSiam cosine distance's). */
  static final double NORM_EPSILON = 1e-8;

  private CollapseIndicator() {}

  /** @param z [B, d] projector outputs (B >= 2) */
  public static double of(INDArray z) {
    INDArray zz = z.castTo(DataType.DOUBLE);
    return of(zz.toDoubleMatrix());
  }

  /** @param z [B][d]; sample standard deviation over the batch (n - 1), as SimSiam's {@code z.std(dim=0)} */
  public static double of(double[][] z) {
    int b = z.length;
    if (b < 2) {
      throw new IllegalArgumentException("the collapse indicator needs a batch of at least 2");
    }
    int d = z[0].length;
    double[][] unit = new double[b][d];
    for (int i = 0; i < b; i++) {
      double norm = 0;
      for (double v : z[i]) {
        norm += v * v;
      }
      norm = Math.max(Math.sqrt(norm), NORM_EPSILON);
      for (int j = 0; j < d; j++) {
        unit[i][j] = z[i][j] / norm;
      }
    }
    double total = 0;
    for (int j = 0; j < d; j++) {
      double mean = 0;
      for (int i = 0; i < b; i++) {
        mean += unit[i][j];
      }
      mean /= b;
      double var = 0;
      for (int i = 0; i < b; i++) {
        var += (unit[i][j] - mean) * (unit[i][j] - mean);
      }
      total += Math.sqrt(var / (b - 1));
    }
    return total / d;
  }
}
