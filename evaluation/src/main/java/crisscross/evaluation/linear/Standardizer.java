package crisscross.evaluation.linear;

import java.util.Arrays;

/**
 * Per-dimension z-scoring, {@code (x - mean) / std} with the population standard deviation, as scikit-learn's
 * {@code StandardScaler}; a dimension that never varies keeps scale 1. Fitted on training rows only and then
 * applied unchanged to held-out rows, so no statistic of test data reaches the classifier.
 *
 * <p>Why standardise at all: frozen ReLU features of different encoders (pretrained or random) differ in scale by
 * orders of magnitude, and the SVM's cost grid of Appendix E.1 only means the same thing for each of them when
 * the features share a scale; the dual coordinate-descent solver also converges far faster on standardised data.
 */
public record Standardizer(double[] mean, double[] scale) {
  /** Statistics of the given rows. */
  public static Standardizer fit(float[][] rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("cannot fit a standardizer on zero rows");
    }
    int d = rows[0].length;
    double[] mean = new double[d];
    for (float[] row : rows) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= rows.length;
    }
    double[] variance = new double[d];
    for (float[] row : rows) {
      for (int j = 0; j < d; j++) {
        double centred = row[j] - mean[j];
        variance[j] += centred * centred;
      }
    }
    double[] scale = new double[d];
    for (int j = 0; j < d; j++) {
      double std = Math.sqrt(variance[j] / rows.length);
      scale[j] = std > 0 ? std : 1.0;
    }
    return new Standardizer(mean, scale);
  }

  /** The identity transform of a given dimension (preprocessing "none"). */
  public static Standardizer identity(int dimension) {
    double[] scale = new double[dimension];
    Arrays.fill(scale, 1.0);
    return new Standardizer(new double[dimension], scale);
  }

  public float[][] apply(float[][] rows) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != mean.length) {
        throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " features, the standardizer "
            + "was fitted on " + mean.length);
      }
      float[] row = new float[mean.length];
      for (int j = 0; j < row.length; j++) {
        row[j] = (float) ((rows[i][j] - mean[j]) / scale[j]);
      }
      out[i] = row;
    }
    return out;
  }
}
