package crisscross.trainer.method.xdc;

import crisscross.trainer.method.FeatureFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * PCA whitening of feature rows before k-means, as DeepCluster prepares its features (Caron et al., ECCV 2018,
 * implementation details: PCA-reduced to 256 dimensions, whitened, l2-normalised): the mean and covariance of the
 * present rows, the covariance's top {@code dim} eigenvectors, and per row y_j = v_j . (x - mean) / sqrt(lambda_j +
 * eps), l2-normalised.
 *
 * <p>Fitted by streaming over a {@link FeatureFile} in chunks of {@link #CHUNK} rows, so that the heap holds the d x d
 * statistics and one chunk, never the n x d rows. Everything is double and plain Java in a fixed order (the mean
 * in row order; each covariance entry summed over the rows in row order, one thread per entry row; the eigenvectors
 * by {@link SymmetricEigen}), so a fit is the same bits on every machine and thread count.
 */
public final class PcaWhitening {
  /**
   * Added to every eigenvalue before the division, relative to the largest: a direction with (numerically) no
   * variance is scaled by at most 1/sqrt(EPSILON) = 316 of the leading one's scale instead of infinitely.
   * (DeepCluster's faiss PCAMatrix adds nothing; its 256 of 2048 dimensions are well above the noise.)
   */
  public static final double EPSILON = 1e-5;
  /** Rows per read of the file. */
  static final int CHUNK = 1024;

  private final double[] mean;
  private final double[] eigenvalues;
  private final double[][] components;
  private final double totalVariance;
  /** d x dim: components scaled by 1 / sqrt(eigenvalue + eps), transposed for a row-by-matrix product. */
  private final double[][] projection;

  private PcaWhitening(double[] mean, SymmetricEigen eigen, int dim) {
    this.mean = mean;
    this.eigenvalues = java.util.Arrays.copyOf(eigen.values(), dim);
    this.components = new double[dim][];
    double total = 0;
    for (double v : eigen.values()) {
      total += Math.max(0, v);
    }
    this.totalVariance = total;
    int d = mean.length;
    double eps = EPSILON * Math.max(0, eigen.values()[0]);
    this.projection = new double[d][dim];
    for (int j = 0; j < dim; j++) {
      components[j] = eigen.vectors()[j].clone();
      double scale = 1 / Math.sqrt(Math.max(0, eigenvalues[j]) + eps);
      if (!Double.isFinite(scale)) {
        throw new IllegalArgumentException("the features have no variance: every present row is the same");
      }
      for (int a = 0; a < d; a++) {
        projection[a][j] = components[j][a] * scale;
      }
    }
  }

  /** The whitening of {@code x}'s present rows (at least 2) onto their top {@code dim} principal components. */
  public static PcaWhitening fit(FeatureFile x, int dim) {
    if (dim < 1 || dim > x.dim()) {
      throw new IllegalArgumentException("PCA to " + dim + " dimensions of " + x.dim() + "-d features: keep between "
          + "1 and " + x.dim());
    }
    if (x.presentCount() < 2) {
      throw new IllegalArgumentException("PCA needs at least 2 rows, got " + x.presentCount());
    }
    double[] mean = mean(x);
    return new PcaWhitening(mean, SymmetricEigen.of(covariance(x, mean)), dim);
  }

  /** The mean of the present rows, summed in row order. */
  static double[] mean(FeatureFile x) {
    int d = x.dim();
    double[] sum = new double[d];
    float[] chunk = new float[CHUNK * d];
    for (int first = 0; first < x.rows(); first += CHUNK) {
      int m = Math.min(CHUNK, x.rows() - first);
      x.rows(first, m, chunk);
      for (int i = 0; i < m; i++) {
        if (x.isPresent(first + i)) {
          for (int a = 0; a < d; a++) {
            sum[a] += chunk[i * d + a];
          }
        }
      }
    }
    for (int a = 0; a < d; a++) {
      sum[a] /= x.presentCount();
    }
    return sum;
  }

  /**
   * The covariance (1/n sum of (x - mean)(x - mean)^T) of the present rows about {@code mean}, a second pass over the
   * file; entry (a, b) is summed over the rows in row order by the one thread that owns row a of the result.
   */
  static double[][] covariance(FeatureFile x, double[] mean) {
    int d = x.dim();
    double[][] scatter = new double[d][d];
    float[] chunk = new float[CHUNK * d];
    double[][] centred = new double[CHUNK][d];
    for (int first = 0; first < x.rows(); first += CHUNK) {
      int m = Math.min(CHUNK, x.rows() - first);
      x.rows(first, m, chunk);
      int present = 0;
      for (int i = 0; i < m; i++) {
        if (x.isPresent(first + i)) {
          double[] row = centred[present++];
          for (int a = 0; a < d; a++) {
            row[a] = chunk[i * d + a] - mean[a];
          }
        }
      }
      int rows = present;
      IntStream.range(0, d).parallel().forEach(a -> {
        double[] out = scatter[a];
        for (int i = 0; i < rows; i++) {
          double[] row = centred[i];
          double xa = row[a];
          for (int b = a; b < d; b++) {
            out[b] += xa * row[b];
          }
        }
      });
    }
    double n = x.presentCount();
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        scatter[a][b] /= n;
        scatter[b][a] = scatter[a][b];
      }
    }
    return scatter;
  }

  /** Dimensions kept. */
  public int dim() {
    return eigenvalues.length;
  }

  /** The mean the rows are centred on. */
  public double[] mean() {
    return mean.clone();
  }

  /** The covariance's eigenvalues of the kept components, decreasing (the variances along them). */
  public double[] eigenvalues() {
    return eigenvalues.clone();
  }

  /** The kept unit eigenvectors, {@code components()[j]} the j-th principal direction. */
  public double[][] components() {
    double[][] out = new double[components.length][];
    for (int j = 0; j < out.length; j++) {
      out[j] = components[j].clone();
    }
    return out;
  }

  /** The fraction of the features' total variance on the kept components. */
  public double varianceKept() {
    double kept = 0;
    for (double v : eigenvalues) {
      kept += Math.max(0, v);
    }
    return kept / totalVariance;
  }

  /** {@code row} (length d) centred, projected onto the kept components and whitened, not normalised. */
  public void whiten(float[] row, double[] out) {
    int d = mean.length;
    if (row.length != d || out.length != dim()) {
      throw new IllegalArgumentException("whitening maps " + d + " values to " + dim() + ", got " + row.length
          + " and " + out.length);
    }
    java.util.Arrays.fill(out, 0);
    for (int a = 0; a < d; a++) {
      double centred = row[a] - mean[a];
      double[] w = projection[a];
      for (int j = 0; j < out.length; j++) {
        out[j] += centred * w[j];
      }
    }
  }

  /**
   * A new file at {@code path}: each present row of {@code x} whitened and l2-normalised (norm at least 1e-12);
   * missing rows stay missing. Rows are transformed chunk by chunk, each by one thread.
   */
  public FeatureFile apply(FeatureFile x, Path path) throws IOException {
    int d = x.dim();
    int k = dim();
    FeatureFile out = FeatureFile.create(path, x.rows(), k);
    try {
      float[] chunk = new float[CHUNK * d];
      float[][] whitened = new float[CHUNK][k];
      for (int first = 0; first < x.rows(); first += CHUNK) {
        int m = Math.min(CHUNK, x.rows() - first);
        x.rows(first, m, chunk);
        int base = first;
        IntStream.range(0, m).parallel().forEach(i -> {
          if (!x.isPresent(base + i)) {
            return;
          }
          float[] row = java.util.Arrays.copyOfRange(chunk, i * d, (i + 1) * d);
          double[] y = new double[k];
          whiten(row, y);
          double norm = 0;
          for (double v : y) {
            norm += v * v;
          }
          double scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
          for (int j = 0; j < k; j++) {
            whitened[i][j] = (float) (y[j] * scale);
          }
        });
        for (int i = 0; i < m; i++) {
          if (x.isPresent(first + i)) {
            out.put(first + i, whitened[i]);
          }
        }
      }
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }
}
