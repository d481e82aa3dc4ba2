package crisscross.trainer.method.xdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import crisscross.pipeline.random.SampleRandom;
import crisscross.trainer.method.FeatureFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KMeansTest {
  @TempDir
  Path dir;

  /** Four well separated blobs in 8-d: k-means finds them exactly, and the inertia is the blobs' own spread. */
  @Test
  void findsSeparatedBlobsAndReportsTheirInertia() throws Exception {
    int perBlob = 50;
    int d = 8;
    SampleRandom random = SampleRandom.of(3);
    int[] truth = new int[4 * perBlob];
    double expectedInertia = 0;
    try (FeatureFile x = FeatureFile.create(dir.resolve("blobs.f32"), 4 * perBlob + 1, d)) {
      for (int i = 0; i < 4 * perBlob; i++) {
        int blob = i % 4;
        truth[i] = blob;
        float[] row = new float[d];
        for (int j = 0; j < d; j++) {
          double noise = 0.1 * random.nextGaussian();
          row[j] = (float) ((j == blob ? 10 : 0) + noise);
        }
        x.put(i, row);
      }
      // The last row is never written: it is missing, not a point at the origin.
      KMeans.Result result = KMeans.fit(x, 4, 10, SampleRandom.of(9));
      assertThat(result.labels()[4 * perBlob]).isEqualTo(-1);
      int[] labels = java.util.Arrays.copyOf(result.labels(), 4 * perBlob);
      assertThat(Nmi.of(labels, truth)).isCloseTo(1.0, within(1e-12));
      assertThat(result.sizes()).containsExactly(perBlob, perBlob, perBlob, perBlob);
      float[] row = new float[d];
      for (int i = 0; i < 4 * perBlob; i++) {
        x.get(i, row);
        float[] c = result.centres()[result.labels()[i]];
        for (int j = 0; j < d; j++) {
          expectedInertia += (row[j] - c[j]) * (double) (row[j] - c[j]);
        }
      }
      assertThat(result.inertia()).isCloseTo(expectedInertia, within(expectedInertia * 1e-4));
      KMeans.Result again = KMeans.fit(x, 4, 10, SampleRandom.of(9));
      assertThat(again.labels()).isEqualTo(result.labels());
      assertThat(again.inertia()).isEqualTo(result.inertia());
    }
  }

  /** A centre that starts far from every row loses them all; it is re-seeded, so no cluster stays empty. */
  @Test
  void anEmptyClusterIsReseeded() throws Exception {
    int d = 2;
    try (FeatureFile x = FeatureFile.create(dir.resolve("line.f32"), 10, d)) {
      for (int i = 0; i < 10; i++) {
        x.put(i, new float[] {i, 0});
      }
      float[][] initial = {{0, 0}, {1, 0}, {1000, 1000}};
      KMeans.Result result = KMeans.lloyd(x, initial, 5);
      assertThat(result.reseeded()).isPositive();
      assertThat(result.sizes()).doesNotContain(0);
    }
  }

  @Test
  void lloydMatchesAHandComputedIteration() throws Exception {
    try (FeatureFile x = FeatureFile.create(dir.resolve("four.f32"), 4, 1)) {
      float[][] points = {{0}, {1}, {9}, {10}};
      for (int i = 0; i < 4; i++) {
        x.put(i, points[i]);
      }
      KMeans.Result result = KMeans.lloyd(x, new float[][] {{0}, {3}}, 1);
      // Assignment {0, 1} to 0, {9, 10} to 3; one update moves the centres to 0.5 and 9.5.
      assertThat(result.centres()[0][0]).isEqualTo(0.5f);
      assertThat(result.centres()[1][0]).isEqualTo(9.5f);
      assertThat(result.labels()).containsExactly(0, 0, 1, 1);
      assertThat(result.inertia()).isCloseTo(4 * 0.25, within(1e-6));
    }
  }

  @Test
  void nmiIsOneForRenamedLabelsAndNearZeroForIndependentOnes() {
    assertThat(Nmi.of(new int[] {0, 0, 1, 1, 2, 2}, new int[] {5, 5, 3, 3, 4, 4})).isCloseTo(1.0, within(1e-12));
    // scikit-learn: normalized_mutual_info_score([0,0,1,1], [0,1,0,1]) == 0
    assertThat(Nmi.of(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1})).isCloseTo(0.0, within(1e-12));
    // scikit-learn: normalized_mutual_info_score([0,0,0,1,1,1], [0,0,1,1,2,2]) == 0.5158037429793889
    assertThat(Nmi.of(new int[] {0, 0, 0, 1, 1, 1}, new int[] {0, 0, 1, 1, 2, 2}))
        .isCloseTo(0.5158037429793889, within(1e-12));
  }

  /**
   * Several chunks with missing rows between them (the gathered, not contiguous, path) and a last chunk of different
   * length: one Lloyd step gives every row its brute-force nearest centre and every centre the mean of its rows.
   */
  @Test
  void chunkedAssignmentMatchesBruteForceAcrossChunksAndGaps() throws Exception {
    int n = 2 * KMeans.CHUNK + 777;
    int d = 6;
    int k = 5;
    SampleRandom random = SampleRandom.of(17);
    float[][] points = new float[n][d];
    try (FeatureFile x = FeatureFile.create(dir.resolve("many.f32"), n, d)) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) {
          points[i][j] = (float) random.nextGaussian();
        }
        if (i % 7 != 3) {
          x.put(i, points[i]);
        }
      }
      float[][] initial = new float[k][d];
      for (int c = 0; c < k; c++) {
        for (int j = 0; j < d; j++) {
          initial[c][j] = (float) (2 * random.nextGaussian());
        }
      }
      KMeans.Result one = KMeans.lloyd(x, initial, 1);
      double[][] sums = new double[k][d];
      int[] counts = new int[k];
      for (int i = 0; i < n; i++) {
        if (i % 7 == 3) {
          assertThat(one.labels()[i]).isEqualTo(-1);
          continue;
        }
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          double s = 0;
          for (int j = 0; j < d; j++) {
            s += (points[i][j] - initial[c][j]) * (double) (points[i][j] - initial[c][j]);
          }
          if (s < bestDistance) {
            bestDistance = s;
            best = c;
          }
        }
        counts[best]++;
        for (int j = 0; j < d; j++) {
          sums[best][j] += points[i][j];
        }
      }
      for (int c = 0; c < k; c++) {
        org.junit.jupiter.api.Assumptions.assumeTrue(counts[c] > 0, "every initial centre keeps rows");
        for (int j = 0; j < d; j++) {
          assertThat((double) one.centres()[c][j]).as("centre %d[%d]", c, j)
              .isCloseTo(sums[c][j] / counts[c], within(1e-5));
        }
      }
      KMeans.Result again = KMeans.lloyd(x, initial, 1);
      assertThat(again.centres()).isEqualTo(one.centres());
      assertThat(again.inertia()).isEqualTo(one.inertia());
    }
  }
}
