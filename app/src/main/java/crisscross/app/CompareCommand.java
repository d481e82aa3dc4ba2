package crisscross.app;

import com.typesafe.config.Config;
import crisscross.evaluation.EvaluationSettings;
import crisscross.evaluation.encoder.CheckpointEncoders;
import crisscross.evaluation.report.ComparisonChart;
import crisscross.evaluation.report.ComparisonReport;
import crisscross.evaluation.report.EncoderKind;
import crisscross.evaluation.report.ReportWriter;
import crisscross.evaluation.run.CheckpointEvaluation;
import crisscross.evaluation.run.DatasetKind;
import crisscross.evaluation.run.DatasetSpec;
import crisscross.evaluation.run.EvaluationProtocol;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.storage.S3Location;
import crisscross.trainer.actor.RunOutcome;
import crisscross.trainer.checkpoint.Checkpoint;
import crisscross.trainer.checkpoint.CheckpointManifest;
import crisscross.trainer.checkpoint.CheckpointStore;
import crisscross.trainer.checkpoint.LocalCheckpointStore;
import crisscross.trainer.method.Methods;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.run.RunSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code crisscross compare}: pretrains several methods alike and evaluates each beside the random-init floor. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Compare self-supervised methods: pretrain each on --data with the same configuration (seed, "
        + "schedule, model preset; only `method` differs), evaluate each final checkpoint and the random-init floor "
        + "(the first method's backbones at their initial weights) on --eval-data with evaluate's frozen-feature "
        + "protocols (linear SVM and retrieval, audio and video), and write report.md, report.json and report.svg.",
        "Output folder: runs/<method>/ (each a pretrain run directory), evaluation/<name>/ (each an evaluate "
        + "report), feature-cache/, compare-state.json. Run the same command again to continue an interrupted "
        + "comparison: finished steps are skipped, an unfinished pretraining continues from its checkpoint; other "
        + "options on the same --out are refused.",
        "SIGTERM or Ctrl-C during pretraining writes a checkpoint and exits 0, as pretrain does."})
final class CompareCommand implements Callable<Integer> {
  static final String RUNS = "runs";
  static final String EVALUATIONS = "evaluation";
  static final String FEATURE_CACHE = "feature-cache";
  private static final Set<EvaluationProtocol> PROTOCOLS = EnumSet.of(EvaluationProtocol.LINEAR,
      EvaluationProtocol.RETRIEVAL);
  private static final Pattern NAMED_DATASET = Pattern.compile("[A-Za-z0-9-]+=.+");

  @Option(names = "--methods", required = true, split = ",", paramLabel = "NAME",
      description = "Methods to compare, comma-separated or repeated: any of `pretrain`'s method names "
          + "(crisscross, xdc, ...).")
  List<String> methods = new ArrayList<>();

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "Pretraining data (data.root): a directory, a manifest or an s3:// prefix.")
  String data;

  @Option(names = "--eval-data", required = true, paramLabel = "[NAME=]DIR",
      description = "Evaluation dataset as evaluate's --dataset takes it (ucf101=/data/UCF101, ...); a bare DIR is "
          + "synthetic=DIR (a synth corpus or any manifest with train/test splits).")
  String evalData;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output folder; the same folder again continues the comparison. Default: a new "
          + "runs/compare-<timestamp>/.")
  Path out;

  @Option(names = "--max-steps", paramLabel = "N",
      description = "Pretrain each method for N optimiser steps (overrides trainer.max-steps).")
  long maxSteps = -1;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    PrintStream console = System.out;
    ComparePlan plan;
    DatasetSpec evaluationData;
    try {
      List<String> names = ComparePlan.methods(methods, Methods.names());
      ComparePlan.refuseOwnKeys(config.overrides);
      evaluationData = evaluationDataset(evalData);
      plan = new ComparePlan(names, location(data), evaluationData.kind().id() + "=" + evaluationData.root(),
          maxSteps, config.configs, config.overrides);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    for (String method : plan.methods()) {
      // Settings that cannot run are refused before anything is written, so that fixing them is not "other options".
      Settings settings = config.load("demo", ownKeys(plan, method));
      RunSettings.from(settings);
      Methods.from(settings);
    }
    Path outDir = (out != null ? RunDirectory.at(out) : RunDirectory.createUnder(PretrainCommand.RUNS_ROOT,
        "compare-")).path();
    CompareState state = begin(outDir, plan);
    console.printf("crisscross compare%n  methods         %s%n  output          %s%n  state           %s (%s)%n",
        String.join(", ", plan.methods()), outDir.toAbsolutePath(), CompareState.FILE, state.progress());
    console.flush();

    for (String method : plan.methods()) {
      if (state.pretrained().containsKey(method)) {
        CompareState.Pretrained done = state.pretrained().get(method);
        console.printf("compare: %s: pretrained already (%s, %s), skipped%n", method, done.runDirectory(),
            done.checkpoint());
      } else {
        RunDirectory run = RunDirectory.at(outDir.resolve(RUNS).resolve(method));
        boolean continuing = run.holdsRun();
        Settings settings = continuing ? run.loadConfig(config.configs, overrides(plan, method))
            : config.load("demo", ownKeys(plan, method));
        if (!continuing) {
          run.writeConfig(settings);
        }
        console.printf("compare: %s: pretraining in %s%s%n", method, relative(outDir, run.path()),
            continuing ? " (continuing the run there)" : "");
        console.flush();
        RunOutcome outcome = PretrainCommand.train(run, settings, plan.maxSteps(), console);
        if (outcome.status() == RunOutcome.Status.FAILED) {
          console.printf("compare: pretraining %s failed (%s); run the same command again to retry from its last "
              + "checkpoint%n", method, outcome.message());
          return 1;
        }
        if (outcome.status() == RunOutcome.Status.STOPPED) {
          console.printf("compare: stopped while pretraining %s (%s); run the same command again to continue from "
              + "its checkpoint%n", method, outcome.message());
          return 0;
        }
        CheckpointManifest last = outcome.checkpoint().orElseThrow(() -> new IllegalStateException(
            "pretraining " + method + " ended without a checkpoint"));
        state = state.withPretrained(method, new CompareState.Pretrained(relative(outDir, run.path()), last.name(),
            last.step()));
        state.write(outDir);
      }
      if (state.evaluated().containsKey(method)) {
        console.printf("compare: %s: evaluated already (%s), skipped%n", method,
            state.evaluated().get(method).evaluationDirectory());
      } else {
        state = state.withEvaluated(evaluate(outDir, plan, evaluationData, method, state.pretrained().get(method),
            CheckpointEvaluation.Encoders.PRETRAINED, console));
        state.write(outDir);
      }
    }
    String floorSource = plan.methods().get(0);
    if (state.evaluated().containsKey(CompareState.RANDOM_INIT)) {
      console.printf("compare: %s: evaluated already (%s), skipped%n", CompareState.RANDOM_INIT,
          state.evaluated().get(CompareState.RANDOM_INIT).evaluationDirectory());
    } else {
      state = state.withEvaluated(evaluate(outDir, plan, evaluationData, floorSource,
          state.pretrained().get(floorSource), CheckpointEvaluation.Encoders.RANDOM_INIT, console));
      state.write(outDir);
    }

    Settings first = RunDirectory.at(outDir.resolve(state.pretrained().get(floorSource).runDirectory()))
        .loadConfig(config.configs, overrides(plan, floorSource));
    List<ComparisonReport.Entry> rows = new ArrayList<>();
    for (String method : plan.methods()) {
      rows.add(state.evaluated().get(method));
    }
    rows.add(state.evaluated().get(CompareState.RANDOM_INIT));
    ComparisonReport report = ComparisonReport.of("Self-supervised methods compared on " + evaluationData.title(),
        provenance(plan, state, first, floorSource), rows);
    RunDirectory.writeAtomically(outDir.resolve("report.md"), report.markdown("report.svg"));
    RunDirectory.writeAtomically(outDir.resolve("report.json"), report.json());
    RunDirectory.writeAtomically(outDir.resolve("report.svg"), ComparisonChart.svg(report));
    console.printf("%n%s%ncompare: report %s (and report.json, report.svg)%n", report.markdown("report.svg"),
        outDir.resolve("report.md").toAbsolutePath());
    console.flush();
    return 0;
  }

  /** The state of the comparison in {@code outDir}: the one begun there with the same plan, or a new one. */
  private static CompareState begin(Path outDir, ComparePlan plan) throws IOException {
    var earlier = CompareState.read(outDir);
    if (earlier.isPresent()) {
      List<String> differences = plan.differences(earlier.get().plan());
      if (!differences.isEmpty()) {
        throw new UserError(outDir + " holds a comparison begun with other options: " + String.join("; ",
            differences) + ". Run it with the same options to continue it, or give another --out");
      }
      return earlier.get();
    }
    try (Stream<Path> entries = Files.list(outDir)) {
      if (entries.findAny().isPresent()) {
        throw new UserError("--out " + outDir + " holds files but no " + CompareState.FILE + "; give a new or "
            + "empty folder");
      }
    }
    CompareState state = CompareState.begin(plan);
    state.write(outDir);
    return state;
  }

  /**
   * Evaluates one method's final checkpoint ({@code PRETRAINED}) or its backbones at their initial weights
   * ({@code RANDOM_INIT}) into {@code evaluation/<name>/}, through the shared feature cache.
   */
  private ComparisonReport.Entry evaluate(Path outDir, ComparePlan plan, DatasetSpec dataset, String method,
      CompareState.Pretrained trained, CheckpointEvaluation.Encoders encoders, PrintStream console)
      throws IOException {
    boolean floor = encoders == CheckpointEvaluation.Encoders.RANDOM_INIT;
    String name = floor ? CompareState.RANDOM_INIT : method;
    RunDirectory run = RunDirectory.at(outDir.resolve(trained.runDirectory()));
    CheckpointStore store = new LocalCheckpointStore(run.checkpoints(), 1_000_000, 0);
    CheckpointStore.Loaded loaded = EvaluateCommand.load(store,
        new CheckpointCommand.Located(store.location(), trained.checkpoint()));
    Checkpoint checkpoint = loaded.checkpoint();
    List<Config> files = new ArrayList<>();
    for (String file : plan.configs()) {
      files.add(ConfigLoader.parseConfigArgument(file));
    }
    Settings settings = CheckpointEncoders.effectiveSettings(checkpoint, files, overrides(plan, method));
    CheckpointEvaluation.Plan protocols;
    try {
      protocols = CheckpointEvaluation.Plan.of(List.of(dataset), PROTOCOLS, EnumSet.noneOf(Modality.class),
          checkpoint);
    } catch (IllegalArgumentException e) {
      throw new UserError(method + ": " + e.getMessage(), e);
    }
    Path evaluationDir = outDir.resolve(EVALUATIONS).resolve(name);
    Path cacheDir = EvaluationSettings.from(settings).cacheDir().orElse(outDir.resolve(FEATURE_CACHE));
    String description = relative(outDir, run.checkpoints()) + "/" + loaded.name() + " (step "
        + loaded.manifest().step() + ")";
    console.printf("compare: %s: evaluating %s on %s into %s%n", name, floor
        ? "the backbones of " + method + " at their initial weights (seed " + settings.runSeed() + ")"
        : "the final checkpoint " + description, dataset.title(), relative(outDir, evaluationDir));
    console.flush();
    CheckpointEvaluation.Outcome outcome = CheckpointEvaluation.run(new CheckpointEvaluation.Request(checkpoint,
        description, settings, protocols, encoders, evaluationDir, cacheDir,
        (floor ? "Random-init floor (" + method + "'s backbones)" : method + " evaluation of " + loaded.name())
            + " for crisscross compare", Version.current()), console);
    console.print(ReportWriter.consoleTable(outcome.results()));
    console.flush();
    return new ComparisonReport.Entry(name, floor ? "" : trained.runDirectory(), relative(outDir, evaluationDir),
        ComparisonReport.measurements(outcome.results(), floor ? EncoderKind.RANDOM_INIT : EncoderKind.PRETRAINED));
  }

  /** What produced the numbers, without anything that changes from one run of the same command to the next. */
  private static Map<String, String> provenance(ComparePlan plan, CompareState state, Settings first,
      String floorSource) {
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("methods", String.join(", ", plan.methods()));
    provenance.put("pretraining data", plan.data());
    provenance.put("evaluation data", plan.evalData());
    provenance.put("pretraining, alike for every method", "model preset " + ModelSettings.preset(first) + ", seed "
        + first.runSeed() + ", " + OptimSettings.from(first).epochs() + " epochs"
        + (plan.maxSteps() >= 0 ? ", at most " + plan.maxSteps() + " steps (--max-steps)" : ""));
    List<String> steps = new ArrayList<>();
    plan.methods().forEach(m -> steps.add(m + " " + state.pretrained().get(m).step()));
    provenance.put("steps trained", String.join(", ", steps));
    provenance.put("protocols", "linear SVM and retrieval on frozen features, as crisscross evaluate runs them");
    provenance.put("random-init floor", "the backbones of " + floorSource + " at their initial weights (seed "
        + first.runSeed() + ")");
    if (!plan.configs().isEmpty()) {
      provenance.put("--config", String.join(" ", plan.configs()));
    }
    if (!plan.overrides().isEmpty()) {
      provenance.put("--set", String.join(" ", plan.overrides()));
    }
    provenance.put("code version", Version.current());
    return provenance;
  }

  /** The user's {@code --set}s, then the keys compare sets for {@code method}. */
  private static List<String> overrides(ComparePlan plan, String method) {
    List<String> all = new ArrayList<>(plan.overrides());
    all.addAll(ownKeys(plan, method));
    return all;
  }

  private static List<String> ownKeys(ComparePlan plan, String method) {
    // Blank checkpoint.dir keeps each method's checkpoints in its own run directory, where resuming looks.
    return List.of("method=" + method, "data.root=" + plan.data(), "checkpoint.dir=");
  }

  /** {@code --eval-data}: {@code NAME=PATH} as evaluate's {@code --dataset}, or a bare path as {@code synthetic}. */
  static DatasetSpec evaluationDataset(String argument) {
    DatasetSpec spec = NAMED_DATASET.matcher(argument).matches() ? DatasetSpec.parse(argument)
        : new DatasetSpec(DatasetKind.SYNTHETIC, argument);
    return new DatasetSpec(spec.kind(), location(spec.root()));
  }

  /** A local path made absolute (so the plan does not depend on the working directory); s3:// as given. */
  static String location(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("a path is needed");
    }
    return S3Location.isS3(path) ? path : Path.of(path).toAbsolutePath().normalize().toString();
  }

  private static String relative(Path base, Path path) {
    return base.toAbsolutePath().normalize().relativize(path.toAbsolutePath().normalize()).toString()
        .replace('\\', '/');
  }
}
