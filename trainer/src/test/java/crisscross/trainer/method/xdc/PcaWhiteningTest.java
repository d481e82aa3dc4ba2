package crisscross.trainer.method.xdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import crisscross.pipeline.random.SampleRandom;
import crisscross.trainer.method.FeatureFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcaWhiteningTest {
  /** Standard deviations of the latent axes of {@link #correlatedGaussian}, decreasing. */
  static final double[] SCALES = {3.0, 2.0, 1.5, 1.0, 0.6, 0.3, 0.1, 0.05};

  @TempDir
  Path dir;

  /**
   * Rows x = mean + R z, z ~ N(0, diag(SCALES^2)), R a fixed rotation mixing every axis: the covariance's
   * eigenvectors are R's columns and its eigenvalues SCALES^2. Rows at indices divisible by 97 are left missing.
   */
  static FeatureFile correlatedGaussian(Path path, int rows, long seed) throws Exception {
    int d = SCALES.length;
    double[][] rotation = rotation(d);
    SampleRandom random = SampleRandom.of(seed);
    FeatureFile x = FeatureFile.create(path, rows, d);
    float[] row = new float[d];
    for (int i = 0; i < rows; i++) {
      double[] z = new double[d];
      for (int a = 0; a < d; a++) {
        z[a] = SCALES[a] * random.nextGaussian();
      }
      if (i % 97 == 0) {
        continue;
      }
      for (int a = 0; a < d; a++) {
        double v = 5 + a;
        for (int b = 0; b < d; b++) {
          v += rotation[a][b] * z[b];
        }
        row[a] = (float) v;
      }
      x.put(i, row);
    }
    return x;
  }

  /** An orthogonal d x d matrix: Gram-Schmidt of a fixed pseudo-random matrix. */
  static double[][] rotation(int d) {
    SampleRandom random = SampleRandom.of(1234);
    double[][] columns = new double[d][d];
    for (int c = 0; c < d; c++) {
      for (int a = 0; a < d; a++) {
        columns[c][a] = random.nextGaussian();
      }
      for (int p = 0; p < c; p++) {
        double dot = dot(columns[c], columns[p]);
        for (int a = 0; a < d; a++) {
          columns[c][a] -= dot * columns[p][a];
        }
      }
      double norm = Math.sqrt(dot(columns[c], columns[c]));
      for (int a = 0; a < d; a++) {
        columns[c][a] /= norm;
      }
    }
    double[][] r = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int c = 0; c < d; c++) {
        r[a][c] = columns[c][a];
      }
    }
    return r;
  }

  /**
   * The whitened rows of a correlated Gaussian have zero mean and identity covariance on the kept components (up to
   * the eps regulariser); the components are the true principal axes in decreasing order of variance.
   */
  @Test
  void whitenedCorrelatedGaussianHasIdentityCovarianceOnTheKeptComponents() throws Exception {
    int kept = 5;
    try (FeatureFile x = correlatedGaussian(dir.resolve("g.f32"), 20_000, 7)) {
      PcaWhitening pca = PcaWhitening.fit(x, kept);
      assertThat(pca.dim()).isEqualTo(kept);
      double[] values = pca.eigenvalues();
      double[][] axes = pca.components();
      double[][] rotation = rotation(SCALES.length);
      for (int j = 0; j < kept; j++) {
        if (j > 0) {
          assertThat(values[j]).as("eigenvalue %d below eigenvalue %d", j, j - 1).isLessThan(values[j - 1]);
        }
        assertThat(values[j]).as("variance along component %d", j)
            .isCloseTo(SCALES[j] * SCALES[j], within(0.05 * SCALES[j] * SCALES[j]));
        double[] truth = new double[SCALES.length];
        for (int a = 0; a < truth.length; a++) {
          truth[a] = rotation[a][j];
        }
        assertThat(Math.abs(dot(axes[j], truth))).as("component %d against the true axis", j).isGreaterThan(0.99);
      }
      double kept2 = 0;
      double total = 0;
      for (int a = 0; a < SCALES.length; a++) {
        total += SCALES[a] * SCALES[a];
        kept2 += a < kept ? SCALES[a] * SCALES[a] : 0;
      }
      assertThat(pca.varianceKept()).isCloseTo(kept2 / total, within(0.01));

      double[][] moments = whitenedMoments(x, pca);
      for (int i = 0; i < kept; i++) {
        assertThat(moments[kept][i]).as("mean of whitened component %d", i).isCloseTo(0, within(1e-6));
        for (int j = 0; j < kept; j++) {
          assertThat(moments[i][j]).as("whitened covariance (%d, %d)", i, j)
              .isCloseTo(i == j ? 1 : 0, within(1e-3));
        }
      }
    }
  }

  /** The streamed statistics equal a direct two-pass computation over the present rows (missing rows excluded). */
  @Test
  void streamedStatisticsEqualTheDirectOnesOverPresentRows() throws Exception {
    int rows = 2 * PcaWhitening.CHUNK + 37;
    try (FeatureFile x = correlatedGaussian(dir.resolve("g.f32"), rows, 3)) {
      int d = x.dim();
      double[] mean = new double[d];
      float[] row = new float[d];
      int n = 0;
      for (int i = 0; i < rows; i++) {
        if (x.isPresent(i)) {
          x.get(i, row);
          for (int a = 0; a < d; a++) {
            mean[a] += row[a];
          }
          n++;
        }
      }
      assertThat(n).isLessThan(rows);
      for (int a = 0; a < d; a++) {
        mean[a] /= n;
      }
      double[][] covariance = new double[d][d];
      for (int i = 0; i < rows; i++) {
        if (x.isPresent(i)) {
          x.get(i, row);
          for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
              covariance[a][b] += (row[a] - mean[a]) * (row[b] - mean[b]) / n;
            }
          }
        }
      }
      double[] streamedMean = PcaWhitening.mean(x);
      double[][] streamed = PcaWhitening.covariance(x, streamedMean);
      for (int a = 0; a < d; a++) {
        assertThat(streamedMean[a]).isCloseTo(mean[a], within(1e-12));
        for (int b = 0; b < d; b++) {
          assertThat(streamed[a][b]).isCloseTo(covariance[a][b], within(1e-10));
          assertThat(streamed[a][b]).isEqualTo(streamed[b][a]);
        }
      }
    }
  }

  /** V diag(lambda) V^T gives the matrix back, V is orthonormal, values decrease, signs follow the rule. */
  @Test
  void eigenDecompositionReconstructsTheMatrix() throws Exception {
    SymmetricEigen two = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});
    assertThat(two.values()[0]).isCloseTo(3, within(1e-15));
    assertThat(two.values()[1]).isCloseTo(1, within(1e-15));
    double h = Math.sqrt(0.5);
    assertThat(two.vectors()[0]).containsExactly(new double[] {h, h}, within(1e-15));
    assertThat(two.vectors()[1]).containsExactly(new double[] {h, -h}, within(1e-15));

    SampleRandom random = SampleRandom.of(5);
    int n = 24;
    double[][] general = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        general[i][j] = general[j][i] = random.nextGaussian();
      }
    }
    assertReconstructs(general);
    // Rank 3 of 12 (a covariance of 3 samples): nine zero eigenvalues, a repeated one.
    double[][] lowRank = new double[12][12];
    for (int s = 0; s < 3; s++) {
      double[] v = new double[12];
      for (int a = 0; a < 12; a++) {
        v[a] = random.nextGaussian();
      }
      for (int a = 0; a < 12; a++) {
        for (int b = 0; b < 12; b++) {
          lowRank[a][b] += v[a] * v[b];
        }
      }
    }
    SymmetricEigen eigen = assertReconstructs(lowRank);
    for (int i = 3; i < 12; i++) {
      assertThat(eigen.values()[i]).isCloseTo(0, within(1e-12));
    }
    try (FeatureFile x = correlatedGaussian(dir.resolve("g.f32"), 3000, 11)) {
      assertReconstructs(PcaWhitening.covariance(x, PcaWhitening.mean(x)));
    }
  }

  private static SymmetricEigen assertReconstructs(double[][] a) {
    int n = a.length;
    SymmetricEigen eigen = SymmetricEigen.of(a);
    double scale = 0;
    for (double[] row : a) {
      for (double v : row) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        assertThat(eigen.values()[i]).isLessThanOrEqualTo(eigen.values()[i - 1]);
      }
      double[] v = eigen.vectors()[i];
      int largest = 0;
      for (int j = 0; j < n; j++) {
        largest = Math.abs(v[j]) > Math.abs(v[largest]) ? j : largest;
      }
      assertThat(v[largest]).as("sign of eigenvector %d", i).isPositive();
      for (int j = 0; j < n; j++) {
        assertThat(dot(v, eigen.vectors()[j])).as("v%d . v%d", i, j).isCloseTo(i == j ? 1 : 0, within(1e-12));
        double sum = 0;
        for (int k = 0; k < n; k++) {
          sum += eigen.vectors()[k][i] * eigen.values()[k] * eigen.vectors()[k][j];
        }
        assertThat(sum).as("(V L V^T)[%d][%d]", i, j).isCloseTo(a[i][j], within(1e-12 * scale));
      }
    }
    return eigen;
  }

  /** Two fits of the same file, and their whitened files, are the same bits. */
  @Test
  void aFitAndItsWhitenedRowsAreDeterministic() throws Exception {
    try (FeatureFile x = correlatedGaussian(dir.resolve("g.f32"), 3 * PcaWhitening.CHUNK + 5, 13);
        FeatureFile a = PcaWhitening.fit(x, 6).apply(x, dir.resolve("a.f32"));
        FeatureFile b = PcaWhitening.fit(x, 6).apply(x, dir.resolve("b.f32"))) {
      PcaWhitening one = PcaWhitening.fit(x, 6);
      PcaWhitening two = PcaWhitening.fit(x, 6);
      assertThat(one.eigenvalues()).isEqualTo(two.eigenvalues());
      assertThat(one.components()).isDeepEqualTo(two.components());
      assertThat(one.mean()).isEqualTo(two.mean());
      assertThat(Files.readAllBytes(a.path())).isEqualTo(Files.readAllBytes(b.path()));
      float[] row = new float[6];
      for (int i = 0; i < x.rows(); i++) {
        assertThat(a.isPresent(i)).isEqualTo(x.isPresent(i));
        if (a.isPresent(i)) {
          a.get(i, row);
          double norm = 0;
          for (float v : row) {
            norm += v * (double) v;
          }
          assertThat(norm).isCloseTo(1, within(1e-5));
        }
      }
    }
  }

  @Test
  void keepsBetweenOneAndAllDimensions() throws Exception {
    try (FeatureFile x = correlatedGaussian(dir.resolve("g.f32"), 200, 1)) {
      assertThatThrownBy(() -> PcaWhitening.fit(x, 9)).hasMessageContaining("keep between 1 and 8");
      assertThat(PcaWhitening.fit(x, 8).dim()).isEqualTo(8);
    }
  }

  /**
   * Four clusters separated along two directions of small variance, hidden by one direction of large variance: raw
   * k-means slices the large direction, after whitening and l2-normalisation it recovers the clusters.
   */
  @Test
  void clustersHiddenByALargeVarianceDirectionAreRecoveredAfterWhitening() throws Exception {
    int n = 800;
    SampleRandom random = SampleRandom.of(17);
    int[] truth = new int[n];
    try (FeatureFile x = FeatureFile.create(dir.resolve("c.f32"), n, 3)) {
      for (int i = 0; i < n; i++) {
        int c = i % 4;
        truth[i] = c;
        x.put(i, new float[] {(float) (10 * random.nextGaussian()),
            (float) ((c % 2 == 0 ? 1 : -1) + 0.1 * random.nextGaussian()),
            (float) ((c / 2 == 0 ? 1 : -1) + 0.1 * random.nextGaussian())});
      }
      double raw = Nmi.of(KMeans.fit(x, 4, 50, SampleRandom.of(2)).labels(), truth);
      try (FeatureFile white = PcaWhitening.fit(x, 3).apply(x, dir.resolve("w.f32"))) {
        double whitened = Nmi.of(KMeans.fit(white, 4, 50, SampleRandom.of(2)).labels(), truth);
        System.out.printf(java.util.Locale.ROOT, "NMI with the clusters: raw %.3f, whitened %.3f%n", raw, whitened);
        assertThat(raw).as("NMI of raw k-means with the clusters").isLessThan(0.3);
        assertThat(whitened).as("NMI of k-means on the whitened rows with the clusters").isGreaterThan(0.95);
      }
    }
  }

  /** Column means (last row) and covariance (first rows) of the whitened, unnormalised present rows. */
  private static double[][] whitenedMoments(FeatureFile x, PcaWhitening pca) {
    int k = pca.dim();
    double[][] out = new double[k + 1][k];
    float[] row = new float[x.dim()];
    double[] y = new double[k];
    int n = 0;
    for (int i = 0; i < x.rows(); i++) {
      if (x.isPresent(i)) {
        x.get(i, row);
        pca.whiten(row, y);
        for (int a = 0; a < k; a++) {
          out[k][a] += y[a];
        }
        n++;
      }
    }
    for (int a = 0; a < k; a++) {
      out[k][a] /= n;
    }
    for (int i = 0; i < x.rows(); i++) {
      if (x.isPresent(i)) {
        x.get(i, row);
        pca.whiten(row, y);
        for (int a = 0; a < k; a++) {
          for (int b = 0; b < k; b++) {
            out[a][b] += (y[a] - out[k][a]) * (y[b] - out[k][b]) / n;
          }
        }
      }
    }
    return out;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
