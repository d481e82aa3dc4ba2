package crisscross.app;

import crisscross.trainer.reference.ReferenceCheck;
import crisscross.trainer.reference.ReferenceData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code crisscross check-reference DIR}: one SameDiff training step against golden PyTorch outputs. */
@Command(name = "check-reference", mixinStandardHelpOptions = true,
    description = {"Run one CrissCross training step from a golden directory's weights and inputs (written by "
        + "tools/reference/crisscross_ref.py) and print the worst relative error per quantity group.",
        "Exit status 0 when every group is within tolerance, 1 otherwise."})
final class CheckReferenceCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "golden directory (input.*.npy, param_init.*.npy, ...)")
  Path directory;

  @Option(names = "--dtype", defaultValue = "float64", description = "float64 | float32 (default: ${DEFAULT-VALUE})")
  String dtype;

  @Override
  public Integer call() {
    Logs.quiet();
    DataType type = switch (dtype) {
      case "float64" -> DataType.DOUBLE;
      case "float32" -> DataType.FLOAT;
      default -> throw new UserError("--dtype must be float64 or float32, got '" + dtype + "'");
    };
    ReferenceData data;
    try {
      data = ReferenceData.load(directory);
    } catch (IOException e) {
      throw new UserError("cannot read reference directory: " + e.getMessage(), e);
    }
    long start = System.nanoTime();
    ReferenceCheck.Report report = Logs.withoutStdout(() -> ReferenceCheck.run(data, type));
    System.out.println(report.format());
    System.out.printf("(%.1f s)%n", (System.nanoTime() - start) / 1e9);
    return report.passed() ? 0 : 1;
  }
}
