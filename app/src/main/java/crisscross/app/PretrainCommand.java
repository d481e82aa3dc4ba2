package crisscross.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code crisscross pretrain}: the main job. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
    description = "Pretrain CrissCross encoders (on the embedded demo data when no data is given).")
final class PretrainCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("crisscross pretrain: the trainer is not available yet in this build; "
        + "see README.md for the commands that are.");
    return 3;
  }
}
