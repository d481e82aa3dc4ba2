package crisscross.app;

import crisscross.trainer.bench.StepBenchmark;
import crisscross.trainer.model.ModelSettings;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code crisscross bench step}: seconds per full CrissCross training step. */
@Command(name = "step", mixinStandardHelpOptions = true,
    description = "Time full CrissCross training steps (four encoder passes, heads, loss, backward, LARC+Adam "
        + "update) on random inputs of the paper's shapes (8x112x112 video, 80x200 audio).")
final class BenchStepCommand implements Callable<Integer> {
  @Option(names = "--preset", defaultValue = "full", description = "full | tiny (default: ${DEFAULT-VALUE})")
  String preset;

  @Option(names = "--batch", defaultValue = "2", description = "samples per batch (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--threads", defaultValue = "0", description = "native threads, 0 = ND4J's default")
  int threads;

  @Option(names = "--warmup", defaultValue = "5",
      description = "untimed steps after the first, before the measured ones (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--steps", defaultValue = "5", description = "measured steps (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--dtype", defaultValue = "float32", description = "float32 | float64")
  String dtype;

  @Option(names = "--profile", description = "time each op type with a SameDiff listener")
  boolean profile;

  @Option(names = "--json", description = "print one JSON object instead of text")
  boolean json;

  @Override
  public Integer call() {
    Logs.quiet();
    if (batch < 2 || steps < 1 || warmup < 0) {
      throw new UserError("--batch must be >= 2 (batch normalisation), --steps >= 1 and --warmup >= 0");
    }
    ModelSettings settings = switch (preset) {
      case "full" -> ModelSettings.full();
      case "tiny" -> ModelSettings.tiny();
      default -> throw new UserError("--preset must be full or tiny, got '" + preset + "'");
    };
    settings = settings.withDataType(switch (dtype) {
      case "float32" -> DataType.FLOAT;
      case "float64" -> DataType.DOUBLE;
      default -> throw new UserError("--dtype must be float32 or float64, got '" + dtype + "'");
    });
    ModelSettings chosen = settings;
    StepBenchmark.Result r = Logs.withoutStdout(() -> StepBenchmark.run(preset, chosen, batch, threads, warmup,
        steps, profile));
    if (json) {
      System.out.println(r.toJson());
      return 0;
    }
    System.out.printf(Locale.ROOT, "preset %s, batch %d, threads %d: %.3f s per step (median of %d after %d warm-up),"
        + " %.2f samples/s; first step %.1f s; fresh native memory %.1f MB per step%n", preset, batch, threads,
        r.medianSeconds(), steps, warmup, r.samplesPerSecond(), r.firstStepSeconds(),
        r.freshNativeBytesPerStep() / (1 << 20));
    for (Map.Entry<String, Double> e : r.opSeconds().entrySet()) {
      System.out.printf(Locale.ROOT, "  %-28s %8.4f s/step%n", e.getKey(), e.getValue());
    }
    return 0;
  }
}
