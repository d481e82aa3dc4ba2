package crisscross.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import crisscross.evaluation.extract.TrainingSetFeatures;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.source.DataSettings;
import crisscross.pipeline.stream.StreamSettings;
import crisscross.pipeline.synth.CorpusSummary;
import crisscross.pipeline.synth.SynthSettings;
import crisscross.pipeline.synth.SyntheticCorpus;
import crisscross.trainer.actor.RunOutcome;
import crisscross.trainer.checkpoint.MetricPoint;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.run.PretrainRun;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** {@code crisscross pretrain}: the main job. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
    description = {"Pretrain CrissCross encoders. With no arguments: the tiny model on the embedded demo data "
        + "(generated into data/demo on first use), checkpoints in runs/<timestamp>/.",
        "Full scale: --config config/kinetics400.conf --set data.root=s3://bucket/prefix.",
        "SIGTERM or Ctrl-C finishes the current step, writes a checkpoint and exits 0."})
final class PretrainCommand implements Callable<Integer> {
  /** The demo configuration's data root: generated on first use when missing. */
  static final String DEMO_ROOT = "data/demo";
  static final Path RUNS_ROOT = Path.of("runs");

  @Mixin ConfigOptions config;

  @Option(names = "--run-dir", paramLabel = "DIR",
      description = "Run directory. If it holds a run, that run continues (its stored configuration, with any "
          + "--config/--set on top); otherwise a new run starts there. Default: a new runs/<timestamp>/.")
  Path runDir;

  @Option(names = "--resume", description = "Continue the newest run under runs/ (or the one given by --run-dir).")
  boolean resume;

  @Option(names = "--max-steps", paramLabel = "N",
      description = "Stop after N optimiser steps with a checkpoint, exit 0 (overrides trainer.max-steps).")
  long maxSteps = -1;

  @Override
  public Integer call() throws Exception {
    RunDirectory run = chooseRunDirectory();
    boolean continuing = run.holdsRun();
    Settings settings = continuing ? run.loadConfig(config.configs, config.overrides) : config.load("demo");
    if (!continuing) {
      run.writeConfig(settings);
    }
    return train(run, settings, maxSteps, System.out).succeeded() ? 0 : 1;
  }

  /**
   * Trains in {@code run} (continuing from its newest good checkpoint, if any) until the run ends, printing the
   * header and the summary to {@code out} and writing {@code summary.json}. The first SIGTERM or SIGINT while it
   * trains finishes the step and writes a checkpoint, the second quits at once; the handlers in place before are
   * put back afterwards.
   *
   * @param settings the effective configuration, already in the run's {@code config.conf}
   * @param maxSteps overrides {@code trainer.max-steps} when 0 or more
   */
  static RunOutcome train(RunDirectory run, Settings settings, long maxSteps, PrintStream out) throws Exception {
    long started = System.nanoTime();
    ensureDemoData(settings, out);
    PretrainRun pretrain = PretrainRun.create();
    AtomicInteger signals = new AtomicInteger();
    Map<String, SignalHandler> previous = new LinkedHashMap<>();
    try {
      PretrainRun.Started facts = pretrain.start(settings,
          new PretrainRun.Options(run.path(), maxSteps, Version.current(), null, TrainingSetFeatures.factory(out)));
      run.writeMonitorUrl(facts.monitorUrl());
      for (String name : List.of("TERM", "INT")) {
        previous.put(name, Signal.handle(new Signal(name), signal -> {
          if (signals.incrementAndGet() == 1) {
            System.err.println("\ncrisscross: SIG" + signal.getName() + " received: finishing the step and writing a "
                + "checkpoint (send it again to quit at once)");
            pretrain.requestStop("SIG" + signal.getName());
          } else {
            Runtime.getRuntime().halt(130);
          }
        }));
      }
      printHeader(out, run, settings, facts);
      RunOutcome outcome = pretrain.outcome().get();
      double seconds = (System.nanoTime() - started) / 1e9;
      Map<String, Object> summary = summary(outcome, pretrain, facts, seconds, run.path());
      run.writeSummary(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary));
      printSummary(out, summary, outcome);
      return outcome;
    } finally {
      previous.forEach((name, handler) -> Signal.handle(new Signal(name), handler));
      pretrain.close();
    }
  }

  private RunDirectory chooseRunDirectory() throws Exception {
    if (runDir != null) {
      RunDirectory dir = RunDirectory.at(runDir);
      if (resume && !dir.holdsRun()) {
        throw new UserError("--resume: " + runDir + " holds no run (no " + RunDirectory.CONFIG_FILE + ")");
      }
      return dir;
    }
    if (resume) {
      return RunDirectory.latestUnder(RUNS_ROOT).orElseThrow(() -> new UserError(
          "--resume: there is no run under " + RUNS_ROOT.toAbsolutePath() + " to continue"));
    }
    return RunDirectory.createUnder(RUNS_ROOT);
  }

  /** The demo's data is generated on first use, so that a fresh clone runs with no download. */
  private static void ensureDemoData(Settings settings, PrintStream out) throws Exception {
    String root = DataSettings.root(settings);
    if (!root.equals(DEMO_ROOT) || Files.exists(Path.of(root, SyntheticCorpus.MANIFEST))) {
      return;
    }
    out.println("crisscross: generating the demo corpus into " + root + " (first run only) ...");
    CorpusSummary corpus = SyntheticCorpus.ensure(SynthSettings.defaults(), Path.of(root), (done, total) -> {
      if (done == total || done % Math.max(1, total / 10) == 0) {
        System.out.printf("\r  %d/%d clips", done, total);
      }
    });
    out.printf("%n  %s%n", corpus.describe());
  }

  private static void printHeader(PrintStream out, RunDirectory run, Settings settings, PretrainRun.Started facts) {
    out.println("crisscross pretrain");
    out.printf("  run directory   %s%n", run.path().toAbsolutePath());
    out.printf("  data            %s (%s, %d samples, %d classes)%n", DataSettings.root(settings),
        facts.dataset().layout().name().toLowerCase(Locale.ROOT), facts.dataset().samples().size(),
        facts.dataset().classNames().size());
    out.printf("  model           %s preset, method %s (%s)%n", ModelSettings.preset(settings), facts.method(),
        facts.objective());
    out.printf("  schedule        %d epochs x %d steps (batch %d, %d samples per epoch)%n", facts.epochs(),
        facts.stepsPerEpoch(), StreamSettings.batchSize(settings), facts.epochSize());
    out.printf("  checkpoints     %s%s%n", facts.checkpointLocation(),
        facts.resumedFrom().map(name -> " (resuming from " + name + ")").orElse(""));
    out.printf("  dashboard       %s%n", facts.monitorUrl());
    out.flush();
  }

  static Map<String, Object> summary(RunOutcome outcome, PretrainRun pretrain, PretrainRun.Started facts,
      double seconds, Path runPath) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("status", outcome.status().name().toLowerCase(Locale.ROOT));
    summary.put("message", outcome.message());
    summary.put("seconds", Math.round(seconds * 10) / 10.0);
    outcome.finalState().ifPresent(state -> {
      summary.put("steps", state.step());
      summary.put("epoch", state.epoch());
      summary.put("samples_trained", state.samplesTrained());
      summary.put("skipped", state.skippedByReason());
    });
    Optional<MetricPoint> last = pretrain.board().lastPoint();
    last.ifPresent(point -> {
      Map<String, Double> losses = new LinkedHashMap<>();
      losses.put("total", point.total());
      List<String> names = pretrain.board().termNames();
      for (int i = 0; i < names.size() && i < point.terms().length; i++) {
        losses.put(names.get(i), point.terms()[i]);
      }
      summary.put("final_loss", losses);
      summary.put("collapse_std", point.collapse());
    });
    List<MetricPoint> recent = pretrain.board().pointsSince(0);
    int window = Math.min(20, recent.size());
    if (window > 0) {
      double mean = recent.subList(recent.size() - window, recent.size()).stream()
          .mapToDouble(MetricPoint::samplesPerSecond).average().orElse(0);
      summary.put("samples_per_second", Math.round(mean * 10) / 10.0);
    }
    summary.put("restarts", outcome.restarts());
    summary.put("checkpoint", outcome.checkpoint().map(m -> facts.checkpointLocation() + "/" + m.name()).orElse(""));
    summary.put("run_directory", runPath.toAbsolutePath().toString());
    return summary;
  }

  private static void printSummary(PrintStream out, Map<String, Object> summary, RunOutcome outcome) {
    out.println();
    out.println(outcome.succeeded() ? "crisscross pretrain: done" : "crisscross pretrain: FAILED");
    for (Map.Entry<String, Object> e : summary.entrySet()) {
      Object value = e.getValue();
      if (value instanceof Map<?, ?> map) {
        StringBuilder line = new StringBuilder();
        map.forEach((k, v) -> line.append(line.length() == 0 ? "" : ", ").append(k).append(' ')
            .append(v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v));
        value = line.toString();
      }
      out.printf("  %-18s %s%n", e.getKey().replace('_', ' '), value);
    }
    out.flush();
  }
}
