package crisscross.app;

import com.typesafe.config.Config;
import crisscross.evaluation.EvaluationSettings;
import crisscross.evaluation.encoder.CheckpointEncoders;
import crisscross.evaluation.report.EvaluationResult;
import crisscross.evaluation.report.ReportWriter;
import crisscross.evaluation.run.CheckpointEvaluation;
import crisscross.evaluation.run.DatasetSpec;
import crisscross.evaluation.run.EvaluationProtocol;
import crisscross.evaluation.run.Evaluator;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.storage.S3Location;
import crisscross.pipeline.storage.S3Settings;
import crisscross.trainer.checkpoint.Checkpoint;
import crisscross.trainer.checkpoint.CheckpointManifest;
import crisscross.trainer.checkpoint.CheckpointStore;
import crisscross.trainer.checkpoint.CheckpointStores;
import crisscross.trainer.model.Modality;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code crisscross evaluate}: a checkpoint's encoders on downstream datasets, beside the random-init floor. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Evaluate a checkpoint's frozen or finetuned encoders on downstream datasets as the paper does "
        + "(Appendix E), always beside the same architecture at its random initialisation (the floor), and print a "
        + "table like the paper's.",
        "Writes report.md, report.json and PNG figures (confusion matrices, accuracy vs C, retrieval sheets) into "
        + "evaluation/<timestamp>/ of the checkpoint's run directory (or --out). Extracted features are cached in "
        + "evaluation/feature-cache/ of the run, so a second evaluation does not extract them again.",
        "Input sizes come from the checkpoint's own configuration; protocol settings are the evaluation.* keys "
        + "(--set evaluation.video.crop-size=224, ...)."})
final class EvaluateCommand implements Callable<Integer> {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  @Option(names = "--checkpoint", required = true, paramLabel = "RUN_OR_FILE",
      description = "A run directory, its checkpoints directory, one checkpoint (step-...), or an s3:// prefix; the "
          + "newest good checkpoint is used unless one is named.")
  String checkpoint;

  @Option(names = "--dataset", required = true, paramLabel = "NAME=PATH",
      description = "A downstream dataset (repeatable): esc50, dcase, ucf101, hmdb51, kinetics-sound, kinetics400, "
          + "synthetic, manifest or directory, = its folder, manifest or s3:// prefix.")
  List<String> datasets = new ArrayList<>();

  @Option(names = "--protocol", paramLabel = "NAME", split = ",",
      description = "linear, retrieval, fusion or finetune (repeatable or comma-separated; default linear).")
  List<String> protocols = new ArrayList<>();

  @Option(names = "--modality", paramLabel = "NAME", split = ",",
      description = "audio and/or video for linear and retrieval (default: what each dataset is evaluated on).")
  List<String> modalities = new ArrayList<>();

  @Option(names = "--json", description = "One JSON object per (dataset, protocol, modality, encoder) on stdout; "
      + "everything else goes to stderr.")
  boolean json;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Folder for report.md, report.json and figures/ (default: evaluation/<timestamp>/ in the run).")
  Path out;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    PrintStream stdout = System.out;
    if (json) {
      // Logs and library chatter print to System.out; with --json stdout carries the results alone, and the
      // chatter goes to stderr through the same filter.
      System.setOut(System.err);
      ConsoleFilter.install();
    }
    try {
      return evaluate(stdout);
    } finally {
      System.setOut(stdout);
    }
  }

  private int evaluate(PrintStream stdout) throws Exception {
    PrintStream console = json ? System.err : stdout;
    List<DatasetSpec> specs = new ArrayList<>();
    Set<EvaluationProtocol> protocolSet = new LinkedHashSet<>();
    Set<Modality> modalitySet = EnumSet.noneOf(Modality.class);
    try {
      for (String dataset : datasets) {
        specs.add(DatasetSpec.parse(dataset));
      }
      for (String protocol : protocols.isEmpty() ? List.of("linear") : protocols) {
        protocolSet.add(EvaluationProtocol.byName(protocol));
      }
      for (String modality : modalities) {
        modalitySet.add(switch (modality.trim().toLowerCase(Locale.ROOT)) {
          case "audio", "a" -> Modality.AUDIO;
          case "video", "v" -> Modality.VIDEO;
          default -> throw new IllegalArgumentException("--modality: unknown modality '" + modality
              + "'; known: audio, video");
        });
      }
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }

    Settings userSettings = config.load(null);
    CheckpointCommand.Located located = CheckpointCommand.locate(checkpoint);
    CheckpointStore store = CheckpointStores.open(located.store(), 1_000_000, 0, S3Settings.from(userSettings),
        Files.createTempDirectory("crisscross-evaluate"));
    CheckpointStore.Loaded loaded = load(store, located);
    Checkpoint cp = loaded.checkpoint();
    CheckpointManifest manifest = loaded.manifest();
    List<Config> files = new ArrayList<>();
    for (String file : config.configs) {
      files.add(ConfigLoader.parseConfigArgument(file));
    }
    Settings settings = CheckpointEncoders.effectiveSettings(cp, files, config.overrides);
    EvaluationSettings evaluation = EvaluationSettings.from(settings);
    CheckpointEvaluation.Plan plan;
    try {
      plan = CheckpointEvaluation.Plan.of(specs, protocolSet, modalitySet, cp);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }

    Path runDirectory = S3Location.isS3(located.store()) ? Path.of("runs")
        : Path.of(located.store()).toAbsolutePath().getParent();
    Path evaluationRoot = runDirectory.resolve("evaluation");
    Path outDir = out != null ? out : newStampedFolder(evaluationRoot);
    Path cacheDir = evaluation.cacheDir().orElse(evaluationRoot.resolve("feature-cache"));
    String checkpointName = store.location() + "/" + loaded.name();
    console.printf("crisscross evaluate%n  checkpoint      %s (step %d, method %s)%n  report          %s%n"
        + "  feature cache   %s%n", checkpointName, manifest.step(), CheckpointEncoders.method(cp), outDir.toAbsolutePath(),
        cacheDir.toAbsolutePath());
    console.flush();

    long started = System.nanoTime();
    CheckpointEvaluation.Outcome outcome = CheckpointEvaluation.run(new CheckpointEvaluation.Request(cp,
        checkpointName + " (step " + manifest.step() + ")", settings, plan,
        CheckpointEvaluation.Encoders.PRETRAINED_AND_RANDOM_INIT, outDir, cacheDir,
        "CrissCross evaluation of " + loaded.name(), Version.current()), console);
    List<EvaluationResult> results = outcome.results();
    Evaluator.Counts counts = outcome.counts();
    List<Path> figures = outcome.figures();

    console.println();
    console.print(ReportWriter.consoleTable(results));
    console.printf("%nfeatures: %d extracted, %d from the cache; %.1f s%nreport: %s (and report.json, %d figures "
        + "in figures/)%n", counts.extracted(), counts.cached(), (System.nanoTime() - started) / 1e9,
        outDir.resolve("report.md").toAbsolutePath(), figures.size());
    console.flush();
    if (json) {
      ReportWriter.jsonLines(results).forEach(stdout::println);
      stdout.flush();
    }
    return 0;
  }

  static CheckpointStore.Loaded load(CheckpointStore store, CheckpointCommand.Located located)
      throws IOException {
    if (located.name() != null) {
      CheckpointStore.Verification verification = store.verify(located.name());
      if (!verification.ok()) {
        throw new UserError("checkpoint " + located.name() + " in " + store.location() + " is damaged: "
            + verification.problem());
      }
      return new CheckpointStore.Loaded(located.name(), store.manifest(located.name()), store.read(located.name()));
    }
    return store.loadLatestValid(warning -> System.err.println("crisscross: " + warning))
        .orElseThrow(() -> new UserError("no usable checkpoint in " + store.location()));
  }

  private static Path newStampedFolder(Path parent) throws IOException {
    Files.createDirectories(parent);
    String stamp = LocalDateTime.now().format(STAMP);
    Path candidate = parent.resolve(stamp);
    for (int i = 2; Files.exists(candidate); i++) {
      candidate = parent.resolve(stamp + "-" + i);
    }
    Files.createDirectories(candidate);
    return candidate;
  }
}
