package crisscross.trainer.method.xdc;

import crisscross.pipeline.random.SampleRandom;
import crisscross.trainer.method.FeatureFile;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Lloyd's k-means on the rows of a {@link FeatureFile}, k-means++ seeded: each iteration assigns every row to its
 * nearest centre by one GEMM per chunk of rows (||x||^2 - 2 x.c + ||c||^2 on ND4J, multithreaded), then moves every
 * centre to the mean of its rows (sums in double, taken in the assignment's pass in a fixed order, so a fit is
 * deterministic). A centre left without rows is re-seeded at the row farthest from its own centre (DeepCluster
 * re-seeds empty clusters too). Unless the labels stopped changing, every row is assigned once more after the last
 * update, so labels, centres and inertia agree (scikit-learn's Lloyd does the same), and a cluster that this leaves
 * empty is re-seeded the same way, so every cluster of the result holds rows.
 */
public final class KMeans {
  /** Rows per GEMM. */
  static final int CHUNK = 4096;
  /**
   * Parts of a chunk whose argmin and sums run in parallel; a constant, not the number of cores, so that the sums
   * (each part's in row order, then the parts in order) are the same bits on every machine.
   */
  static final int SLICES = 4;

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
    try (Assignment assignment = new Assignment(x, rows, k)) {
      double inertia = Double.NaN;
      for (int iteration = 0; iteration < iterations; iteration++) {
        double[][] sums = new double[k][d];
        int[] counts = new int[k];
        double total = assignment.run(centres, labels, distances, sums, counts);
        // Labels as in the last iteration: the centres are already their means, and stay so (scikit-learn stops
        // too), so this assignment is also the final one.
        if (previous != null && Arrays.equals(previous, labels)) {
          inertia = total;
          break;
        }
        previous = labels.clone();
        done++;
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
      if (Double.isNaN(inertia)) {
        inertia = assignment.run(centres, labels, distances, null, null);
      }
      // The last update can leave a centre nearest to no row: re-seed it at the farthest row and assign again, so
      // every cluster of the result holds rows (at most k rounds; each re-seeded centre keeps at least its own
      // row).
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
        inertia = assignment.run(centres, labels, distances, null, null);
      }
      int[] all = new int[x.rows()];
      Arrays.fill(all, -1);
      for (int i = 0; i < rows.length; i++) {
        all[rows[i]] = labels[i];
      }
      return new Result(centres, all, inertia, reseeded, done);
    }
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

  /**
   * The assignment step's native buffers, allocated once per fit: the rows go through in chunks of at most
   * {@link #CHUNK} (equal sizes, so the last one is not mostly padding), each copied into one reused buffer and
   * multiplied by the centres in one GEMM into one reused product buffer; the argmin and, when asked, the per-cluster
   * sums of the update step are taken from those buffers in the same pass, {@link #SLICES} parts of each chunk in
   * parallel. The rows' squared norms do not change over a fit: the first pass computes them.
   */
  static final class Assignment implements AutoCloseable {
    private final FeatureFile x;
    private final int[] rows;
    private final int k;
    private final int d;
    private final int chunk;
    private final double[] squaredNorms;
    private boolean normsComputed;
    private final float[] rowValues;
    private final float[] products;
    private final INDArray chunkRows;
    private final INDArray centreMatrix;
    private final INDArray productMatrix;

    Assignment(FeatureFile x, int[] rows, int k) {
      this.x = x;
      this.rows = rows;
      this.k = k;
      this.d = x.dim();
      int chunks = Math.max(1, (rows.length + CHUNK - 1) / CHUNK);
      this.chunk = Math.max(1, (rows.length + chunks - 1) / chunks);
      this.rowValues = new float[chunk * d];
      this.products = new float[chunk * k];
      this.squaredNorms = new double[rows.length];
      this.chunkRows = Nd4j.create(DataType.FLOAT, chunk, d);
      this.centreMatrix = Nd4j.create(DataType.FLOAT, k, d);
      this.productMatrix = Nd4j.create(DataType.FLOAT, chunk, k);
    }

    /**
     * Assigns every row to its nearest centre (its label and squared distance); adds each row to its cluster's
     * {@code sums} and {@code counts} when they are given. Returns the total squared distance.
     */
    double run(float[][] centres, int[] labels, double[] distances, double[][] sums, int[] counts) {
      float[] flat = new float[k * d];
      float[] centreNorms = new float[k];
      for (int c = 0; c < k; c++) {
        System.arraycopy(centres[c], 0, flat, c * d, d);
        double s = 0;
        for (float v : centres[c]) {
          s += v * (double) v;
        }
        centreNorms[c] = (float) s;
      }
      centreMatrix.data().setData(flat);
      FloatBuffer productValues = productMatrix.data().asNioFloat();
      double[] sliceTotals = new double[SLICES];
      double[][][] partialSums = sums == null ? null : new double[SLICES][k][d];
      int[][] partialCounts = sums == null ? null : new int[SLICES][k];
      for (int start = 0; start < rows.length; start += chunk) {
        int m = Math.min(chunk, rows.length - start);
        gather(start, m);
        if (!normsComputed) {
          for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = i * d, end = j + d; j < end; j++) {
              s += rowValues[j] * (double) rowValues[j];
            }
            squaredNorms[start + i] = s;
          }
        }
        chunkRows.data().setData(rowValues);
        // -2 x.c for every row of the chunk and every centre; rows past m are the last chunk's padding.
        Nd4j.gemm(chunkRows, centreMatrix, productMatrix, false, true, -2.0, 0.0);
        productValues.get(0, products, 0, m * k);
        int first = start;
        IntStream.range(0, SLICES).parallel().forEach(slice -> {
          int from = m * slice / SLICES;
          int to = m * (slice + 1) / SLICES;
          double[][] sliceSums = sums == null ? null : partialSums[slice];
          int[] sliceCounts = sums == null ? null : partialCounts[slice];
          double sliceTotal = 0;
          for (int i = from; i < to; i++) {
            int offset = i * k;
            int best = 0;
            float bestValue = products[offset] + centreNorms[0];
            for (int c = 1; c < k; c++) {
              float value = products[offset + c] + centreNorms[c];
              if (value < bestValue) {
                bestValue = value;
                best = c;
              }
            }
            int row = first + i;
            labels[row] = best;
            double squared = Math.max(0, squaredNorms[row] + bestValue);
            distances[row] = squared;
            sliceTotal += squared;
            if (sliceSums != null) {
              double[] sum = sliceSums[best];
              for (int j = 0, base = i * d; j < d; j++) {
                sum[j] += rowValues[base + j];
              }
              sliceCounts[best]++;
            }
          }
          sliceTotals[slice] += sliceTotal;
        });
      }
      normsComputed = true;
      double total = 0;
      for (int slice = 0; slice < SLICES; slice++) {
        total += sliceTotals[slice];
        if (sums != null) {
          for (int c = 0; c < k; c++) {
            counts[c] += partialCounts[slice][c];
            double[] sum = sums[c];
            double[] part = partialSums[slice][c];
            for (int j = 0; j < d; j++) {
              sum[j] += part[j];
            }
          }
        }
      }
      return total;
    }

    private void gather(int start, int m) {
      if (rows[start + m - 1] - rows[start] == m - 1) {
        x.rows(rows[start], m, rowValues);
        return;
      }
      float[] row = new float[d];
      for (int i = 0; i < m; i++) {
        x.get(rows[start + i], row);
        System.arraycopy(row, 0, rowValues, i * d, d);
      }
    }

    @Override
    public void close() {
      chunkRows.close();
      centreMatrix.close();
      productMatrix.close();
    }
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
