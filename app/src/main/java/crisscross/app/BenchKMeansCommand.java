package crisscross.app;

import crisscross.trainer.bench.KMeansBenchmark;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crisscross bench kmeans}: XDC's k-means at a given size. */
@Command(name = "kmeans", mixinStandardHelpOptions = true,
    description = "Time XDC's k-means (Lloyd iterations with GEMM assignment) on a seeded Gaussian mixture; writes "
        + "the rows and initial centres as .npy for tools/kmeans/sklearn_lloyd.py.")
final class BenchKMeansCommand implements Callable<Integer> {
  @Option(names = "--n", defaultValue = "100000", description = "rows (default: ${DEFAULT-VALUE})")
  int n;

  @Option(names = "--dim", defaultValue = "512", description = "dimensions (default: ${DEFAULT-VALUE})")
  int dim;

  @Option(names = "--k", defaultValue = "256", description = "clusters (default: ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--iters", defaultValue = "20", description = "Lloyd iterations (default: ${DEFAULT-VALUE})")
  int iterations;

  @Option(names = "--seed", defaultValue = "7", description = "seed of the data and of k-means++")
  long seed;

  @Option(names = "--out", defaultValue = "bench-kmeans", description = "folder for the .npy files")
  Path out;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Logs.quiet();
    if (n < 2 || dim < 1 || k < 2 || k > n || iterations < 1) {
      throw new UserError("need --n >= 2, --dim >= 1, 2 <= --k <= --n, --iters >= 1");
    }
    KMeansBenchmark.Result r = KMeansBenchmark.run(n, dim, k, iterations, seed, out);
    if (json) {
      System.out.println(r.toJson());
      return 0;
    }
    System.out.printf(Locale.ROOT, "k-means n %d, dim %d, k %d: %d of at most %d Lloyd iterations in %.3f s (%.3f s "
        + "each), inertia %.6g, k-means++ %.3f s; rows %s, initial centres %s%n", n, dim, k, r.iterationsRun(),
        iterations, r.lloydSeconds(), r.lloydSeconds() / Math.max(1, r.iterationsRun()), r.inertia(),
        r.initSeconds(), r.data(), r.initialCentres());
    return 0;
  }
}
