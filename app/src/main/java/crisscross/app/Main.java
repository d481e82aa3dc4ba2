package crisscross.app;

import crisscross.pipeline.config.ConfigError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code crisscross} launcher. */
@Command(
    name = "crisscross",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Self-supervised audio-visual pretraining (CrissCross, AAAI 2023) on the JVM.",
    subcommands = {
        PretrainCommand.class,
        EvaluateCommand.class,
        CompareCommand.class,
        SynthCommand.class,
        InspectCommand.class,
        FeaturesCommand.class,
        CheckpointCommand.class,
        ExportCommand.class,
        CheckReferenceCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = "--log-json", scope = CommandLine.ScopeType.INHERIT,
      description = "Log JSON lines instead of text (same as CRISSCROSS_LOG_FORMAT=json).")
  boolean logJson;

  public static void main(String[] args) {
    // Logging is configured by the first logger created, before picocli has parsed anything.
    if (java.util.Arrays.asList(args).contains("--log-json")) {
      System.setProperty("CRISSCROSS_LOG_FORMAT", "json");
    }
    // JavaCPP's own messages go through slf4j, so the logging configuration decides what is shown.
    System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
    ConsoleFilter.install();
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit status (for tests). */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
      if (exception instanceof ConfigError || exception instanceof UserError
          || exception instanceof crisscross.pipeline.source.DatasetError) {
        cmd.getErr().println(cmd.getColorScheme().errorText("crisscross: " + exception.getMessage()));
        return 2;
      }
      throw exception;
    });
    return commandLine.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
