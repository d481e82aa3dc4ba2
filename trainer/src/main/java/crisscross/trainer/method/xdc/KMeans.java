package crisscross.trainer.method.xdc;

import crisscross.pipeline.random.SampleRandom;
import crisscross.trainer.method.FeatureFile;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Lloyd's k-means on the rows of a {@link FeatureFile}, k-means++ seeded: each iteration assigns every row to its
 * nearest centre by one GEMM per chunk of rows (||x||^2 - 2 x.c + ||c||^2 on ND4J, multithreaded), then moves every
 * centre to the mean of its rows (sums in double, in row order, so a fit is deterministic). A centre left without
 * rows is re-seeded at the row farthest from its own centre (DeepCluster re-seeds empty clusters too). After the last
 * update every row is assigned once more, so labels, centres and inertia agree (scikit-learn's Lloyd does the same),
 * and a cluster that this leaves empty is re-seeded the same way, so every cluster of the result holds rows.
 */
public final class KMeans {
  /** Rows per GEMM. */
  static final int CHUNK = 4096;

  private KMeans() {}

  /**
   * @param centres k x d, float32
   * @param labels cluster of every row (-1 for rows missing from the file)
   * @param inertia sum over rows of the squared distance to their centre
   * @param reseeded empty clusters re-seeded over the fit
   * @param iterations centre updates made (fewer than asked when the labels stopped changing)
   */
  public record Result(float[][] centres, int[] labels, double inertia, int reseeded, int iterations) {
    public int k() {
      return centres.length;
    }

    /** Rows per cluster. */
    public int[] sizes() {
      int[] sizes = new int[centres.length];
      for (int label : labels) {
        if (label >= 0) {
          sizes[label]++;
        }
      }
      return sizes;
    }
  }

  /** k-means++ initialisation from {@code random}, then {@code iterations} Lloyd updates. */
  public static Result fit(FeatureFile x, int k, int iterations, SampleRandom random) {
    return lloyd(x, initialCentres(x, k, random), iterations);
  }

  /**
   * k-means++ (Arthur & Vassilvitskii): the first centre a uniformly drawn present row, each next one a row drawn
   * with probability proportional to its squared distance to the nearest centre so far.
   */
  public static float[][] initialCentres(FeatureFile x, int k, SampleRandom random) {
    int[] rows = presentRows(x);
    if (rows.length < k) {
      throw new IllegalArgumentException("k-means needs at least k = " + k + " rows, got " + rows.length);
    }
    int d = x.dim();
    float[][] centres = new float[k][d];
    x.get(rows[random.nextInt(rows.length)], centres[0]);
    double[] nearest = new double[rows.length];
    Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    for (int c = 1; c < k; c++) {
      double total = updateNearest(x, rows, centres[c - 1], nearest);
      double target = random.nextDouble() * total;
      int chosen = rows.length - 1;
      double cumulative = 0;
      for (int i = 0; i < rows.length; i++) {
        cumulative += nearest[i];
        if (cumulative > target) {
          chosen = i;
          break;
        }
      }
      x.get(rows[chosen], centres[c]);
    }
    return centres;
  }

  /**
   * At most {@code iterations} Lloyd updates from {@code initial} (k x d), fewer when an assignment repeats the last
   * one (the centres would not move again), then a final assignment.
   */
  public static Result lloyd(FeatureFile x, float[][] initial, int iterations) {
    int k = initial.length;
    int d = x.dim();
    float[][] centres = new float[k][];
    for (int c = 0; c < k; c++) {
      if (initial[c].length != d) {
        throw new IllegalArgumentException("centre " + c + " has " + initial[c].length + " values, rows have " + d);
      }
      centres[c] = initial[c].clone();
    }
    int[] rows = presentRows(x);
    int[] labels = new int[rows.length];
    double[] distances = new double[rows.length];
    int reseeded = 0;
    int[] previous = null;
    int done = 0;
    for (int iteration = 0; iteration < iterations; iteration++) {
      assign(x, rows, centres, labels, distances);
      // Labels as in the last iteration: the centres are already their means, and stay so (scikit-learn stops too).
      if (previous != null && java.util.Arrays.equals(previous, labels)) {
        break;
      }
      previous = labels.clone();
      done++;
      double[][] sums = new double[k][d];
      int[] counts = new int[k];
      float[] row = new float[d];
      for (int i = 0; i < rows.length; i++) {
        x.get(rows[i], row);
        double[] sum = sums[labels[i]];
        for (int j = 0; j < d; j++) {
          sum[j] += row[j];
        }
        counts[labels[i]]++;
      }
      for (int c = 0; c < k; c++) {
        if (counts[c] == 0) {
          reseeded++;
          int far = farthest(distances, labels, counts);
          x.get(rows[far], centres[c]);
          distances[far] = 0;
          continue;
        }
        for (int j = 0; j < d; j++) {
          centres[c][j] = (float) (sums[c][j] / counts[c]);
        }
      }
    }
    double inertia = assign(x, rows, centres, labels, distances);
    // The last update can leave a centre nearest to no row: re-seed it at the farthest row and assign again, so
    // every cluster of the result holds rows (at most k rounds; each re-seeded centre keeps at least its own row).
    for (int attempt = 0; attempt < k; attempt++) {
      int[] counts = new int[k];
      for (int label : labels) {
        counts[label]++;
      }
      boolean empty = false;
      for (int c = 0; c < k; c++) {
        if (counts[c] == 0) {
          empty = true;
          reseeded++;
          int far = farthest(distances, labels, counts);
          x.get(rows[far], centres[c]);
          distances[far] = 0;
          labels[far] = c;
          counts[c]++;
        }
      }
      if (!empty) {
        break;
      }
      inertia = assign(x, rows, centres, labels, distances);
    }
    int[] all = new int[x.rows()];
    Arrays.fill(all, -1);
    for (int i = 0; i < rows.length; i++) {
      all[rows[i]] = labels[i];
    }
    return new Result(centres, all, inertia, reseeded, done);
  }

  /** The row (index into the present rows) farthest from its centre among clusters of more than one row. */
  private static int farthest(double[] distances, int[] labels, int[] counts) {
    int best = -1;
    for (int i = 0; i < distances.length; i++) {
      if (counts[labels[i]] > 1 && (best < 0 || distances[i] > distances[best])) {
        best = i;
      }
    }
    if (best < 0) {
      throw new IllegalStateException("cannot re-seed an empty cluster: every cluster has at most one row");
    }
    counts[labels[best]]--;
    return best;
  }

  /** Assigns every present row to its nearest centre; returns the total squared distance. */
  static double assign(FeatureFile x, int[] rows, float[][] centres, int[] labels, double[] distances) {
    int d = x.dim();
    int k = centres.length;
    float[] flat = new float[k * d];
    for (int c = 0; c < k; c++) {
      System.arraycopy(centres[c], 0, flat, c * d, d);
    }
    double total = 0;
    try (INDArray c = Nd4j.create(flat, new long[] {k, d}, 'c');
        INDArray ct = c.transpose().dup('c');
        INDArray cc = c.mul(c).sum(1).reshape(1, k)) {
      float[] chunk = new float[CHUNK * d];
      for (int start = 0; start < rows.length; start += CHUNK) {
        int m = Math.min(CHUNK, rows.length - start);
        gather(x, rows, start, m, chunk);
        try (INDArray xs = Nd4j.create(chunk, new long[] {CHUNK, d}, 'c').get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, m),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c');
            INDArray xx = xs.mul(xs).sum(1).reshape(m, 1);
            INDArray dist = xs.mmul(ct).muli(-2).addiColumnVector(xx).addiRowVector(cc)) {
          float[] values = dist.data().asFloat();
          for (int i = 0; i < m; i++) {
            int best = 0;
            float bestValue = values[i * k];
            for (int j = 1; j < k; j++) {
              if (values[i * k + j] < bestValue) {
                bestValue = values[i * k + j];
                best = j;
              }
            }
            labels[start + i] = best;
            double squared = Math.max(0, bestValue);
            distances[start + i] = squared;
            total += squared;
          }
        }
      }
    }
    return total;
  }

  /** Updates each row's squared distance to its nearest centre with one new centre; returns their sum. */
  private static double updateNearest(FeatureFile x, int[] rows, float[] centre, double[] nearest) {
    int d = x.dim();
    float[] row = new float[d];
    double total = 0;
    for (int i = 0; i < rows.length; i++) {
      x.get(rows[i], row);
      double s = 0;
      for (int j = 0; j < d; j++) {
        double diff = row[j] - centre[j];
        s += diff * diff;
      }
      if (s < nearest[i]) {
        nearest[i] = s;
      }
      total += nearest[i];
    }
    return total;
  }

  private static void gather(FeatureFile x, int[] rows, int start, int m, float[] out) {
    int d = x.dim();
    boolean contiguous = rows[start + m - 1] - rows[start] == m - 1;
    if (contiguous) {
      x.rows(rows[start], m, out);
      return;
    }
    float[] row = new float[d];
    for (int i = 0; i < m; i++) {
      x.get(rows[start + i], row);
      System.arraycopy(row, 0, out, i * d, d);
    }
  }

  private static int[] presentRows(FeatureFile x) {
    int[] rows = new int[x.presentCount()];
    int n = 0;
    for (int i = 0; i < x.rows(); i++) {
      if (x.isPresent(i)) {
        rows[n++] = i;
      }
    }
    return rows;
  }
}
