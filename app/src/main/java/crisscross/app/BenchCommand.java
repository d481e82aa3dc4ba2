package crisscross.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code crisscross bench}: performance measurements; see its subcommands. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Performance measurements.",
    subcommands = {BenchStepCommand.class, BenchPipelineCommand.class, BenchKMeansCommand.class})
final class BenchCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
