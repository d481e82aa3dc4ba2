package crisscross.trainer.bench;

import crisscross.pipeline.random.SampleRandom;
import crisscross.trainer.method.FeatureFile;
import crisscross.trainer.method.xdc.KMeans;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * XDC's k-means at a given size: a seeded Gaussian mixture of {@code n} rows in {@code dim} dimensions (k true
 * centres, l2-normalised rows like XDC's features), k-means++ initial centres, then {@code iterations} Lloyd updates
 * timed. The rows and initial centres are also written as .npy files so that another implementation (scikit-learn,
 * {@code tools/kmeans/sklearn_lloyd.py}) can run the same iterations from the same start on the same machine.
 */
public final class KMeansBenchmark {
  private KMeansBenchmark() {}

  /** What one run measured. */
  public record Result(int n, int dim, int k, int iterations, int iterationsRun, double initSeconds,
      double lloydSeconds, double inertia, int reseeded, Path data, Path initialCentres) {
    public String toJson() {
      return String.format(Locale.ROOT, "{\"implementation\":\"crisscross\",\"n\":%d,\"dim\":%d,\"k\":%d,"
          + "\"iterations\":%d,\"iterations_run\":%d,\"init_seconds\":%.4f,\"lloyd_seconds\":%.4f,"
          + "\"inertia\":%.10g,\"reseeded\":%d,\"data\":\"%s\",\"initial_centres\":\"%s\"}", n, dim, k,
          iterations, iterationsRun, initSeconds, lloydSeconds, inertia, reseeded, data, initialCentres);
    }
  }

  public static Result run(int n, int dim, int k, int iterations, long seed, Path directory) throws IOException {
    Files.createDirectories(directory);
    Path rows = directory.resolve("rows.f32");
    try (FeatureFile x = FeatureFile.create(rows, n, dim)) {
      SampleRandom random = SampleRandom.of(seed);
      float[][] truth = new float[k][dim];
      for (float[] c : truth) {
        for (int j = 0; j < dim; j++) {
          c[j] = (float) random.nextGaussian();
        }
      }
      float[] row = new float[dim];
      for (int i = 0; i < n; i++) {
        float[] c = truth[random.nextInt(k)];
        double norm = 0;
        for (int j = 0; j < dim; j++) {
          row[j] = (float) (c[j] + 0.7 * random.nextGaussian());
          norm += row[j] * (double) row[j];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int j = 0; j < dim; j++) {
          row[j] *= scale;
        }
        x.put(i, row);
      }
      long t0 = System.nanoTime();
      float[][] initial = KMeans.initialCentres(x, k, random.fork("init"));
      double initSeconds = (System.nanoTime() - t0) / 1e9;
      Path data = directory.resolve("rows.npy");
      Path init = directory.resolve("initial-centres.npy");
      writeNpy(data, x);
      writeNpy(init, initial);
      long t1 = System.nanoTime();
      KMeans.Result result = KMeans.lloyd(x, initial, iterations);
      double lloydSeconds = (System.nanoTime() - t1) / 1e9;
      return new Result(n, dim, k, iterations, result.iterations(), initSeconds, lloydSeconds, result.inertia(), result.reseeded(), data,
          init);
    } finally {
      Files.deleteIfExists(rows);
    }
  }

  private static void writeNpy(Path file, FeatureFile x) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(header(x.rows(), x.dim()));
      float[] row = new float[x.dim()];
      ByteBuffer bytes = ByteBuffer.allocate(4 * x.dim()).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < x.rows(); i++) {
        x.get(i, row);
        bytes.clear();
        bytes.asFloatBuffer().put(row);
        out.write(bytes.array());
      }
    }
  }

  private static void writeNpy(Path file, float[][] rows) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(header(rows.length, rows[0].length));
      ByteBuffer bytes = ByteBuffer.allocate(4 * rows[0].length).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] row : rows) {
        bytes.clear();
        bytes.asFloatBuffer().put(row);
        out.write(bytes.array());
      }
    }
  }

  /** An .npy version 1.0 header for a C-order float32 matrix, padded to 64 bytes. */
  static byte[] header(int rows, int cols) {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String text = dict + " ".repeat(padding) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) text.length());
    b.put(text.getBytes(StandardCharsets.US_ASCII));
    return b.array();
  }
}
