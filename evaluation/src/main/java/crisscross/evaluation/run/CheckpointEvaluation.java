package crisscross.evaluation.run;

import crisscross.evaluation.EvaluationSettings;
import crisscross.evaluation.ProgressBar;
import crisscross.evaluation.cache.FeatureCache;
import crisscross.evaluation.encoder.CheckpointEncoders;
import crisscross.evaluation.encoder.Encoder;
import crisscross.evaluation.extract.ClipStream;
import crisscross.evaluation.extract.ExtractionSettings;
import crisscross.evaluation.finetune.FinetuneSettings;
import crisscross.evaluation.report.EvaluationResult;
import crisscross.evaluation.report.Figures;
import crisscross.evaluation.report.ReportWriter;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.source.DataSettings;
import crisscross.pipeline.source.MediaStore;
import crisscross.trainer.checkpoint.Checkpoint;
import crisscross.trainer.model.Modality;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;

/**
 * One evaluation of a checkpoint's encoders as {@code crisscross evaluate} runs it: every planned (dataset,
 * protocol, modalities) through the {@link Evaluator}, features through the cache, then {@code report.md},
 * {@code report.json}, the figures and the effective configuration written into the output folder. {@code compare}
 * runs the same evaluation on each method's checkpoint and on the random-init floor once.
 */
public final class CheckpointEvaluation {
  /** Which of a checkpoint's encoders are evaluated. */
  public enum Encoders {
    /** The checkpoint's weights beside the random-init floor, as {@code evaluate} reports them. */
    PRETRAINED_AND_RANDOM_INIT,
    /** The checkpoint's weights alone. */
    PRETRAINED,
    /** Only the same backbones at the initial weights of the checkpoint's seed (the floor). */
    RANDOM_INIT
  }

  /** The protocols and modalities each dataset is evaluated on, in order. */
  public record Plan(Map<DatasetSpec, Map<EvaluationProtocol, Set<Modality>>> datasets) {
    public Plan {
      datasets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(datasets));
    }

    /**
     * What {@code checkpoint} can be evaluated on; an {@link IllegalArgumentException} says what it cannot (video
     * protocols on an audio-only checkpoint).
     *
     * @param modalities modalities asked for; empty = what each dataset evaluates
     */
    public static Plan of(List<DatasetSpec> datasets, Set<EvaluationProtocol> protocols, Set<Modality> modalities,
        Checkpoint checkpoint) {
      Set<Modality> available = CheckpointEncoders.modalities(checkpoint);
      Map<DatasetSpec, Map<EvaluationProtocol, Set<Modality>>> plan = new LinkedHashMap<>();
      for (DatasetSpec spec : datasets) {
        Map<EvaluationProtocol, Set<Modality>> perProtocol = new LinkedHashMap<>();
        for (EvaluationProtocol protocol : protocols) {
          perProtocol.put(protocol, Evaluator.check(spec, protocol, modalities, available,
              CheckpointEncoders.method(checkpoint)));
        }
        plan.put(spec, perProtocol);
      }
      return new Plan(plan);
    }
  }

  /**
   * One evaluation.
   *
   * @param description where the checkpoint came from, for reports ({@code runs/x/checkpoints/step-... (step 4)})
   * @param settings {@link CheckpointEncoders#effectiveSettings} of the checkpoint
   * @param outDir receives {@code report.md}, {@code report.json}, {@code config.conf} and {@code figures/}
   */
  public record Request(Checkpoint checkpoint, String description, Settings settings, Plan plan, Encoders encoders,
      Path outDir, Path cacheDir, String title, String codeVersion) {}

  /** What came out: the results in plan order, and the feature sets extracted and read from the cache. */
  public record Outcome(List<EvaluationResult> results, Evaluator.Counts counts, List<Path> figures) {
    public Outcome {
      results = List.copyOf(results);
      figures = List.copyOf(figures);
    }
  }

  private CheckpointEvaluation() {}

  /** Runs the evaluation, printing one line per dataset to {@code console}, and writes its report. */
  public static Outcome run(Request request, PrintStream console) throws IOException {
    Settings settings = request.settings();
    EvaluationSettings evaluation = EvaluationSettings.from(settings);
    ExtractionSettings extraction = ExtractionSettings.from(settings);
    FinetuneSettings finetune = FinetuneSettings.from(settings);
    Path figuresDir = request.outDir().resolve("figures");
    Files.createDirectories(figuresDir);
    Checkpoint cp = request.checkpoint();

    List<EvaluationResult> results = new ArrayList<>();
    List<Path> figures;
    Evaluator.Counts counts;
    ActorSystem system = ActorSystem.create("crisscross-evaluate");
    List<Encoder> encoders = new ArrayList<>();
    try (MediaStore media = MediaStore.open(DataSettings.from(settings));
        ClipStream stream = new ClipStream(extraction.workers(), Materializer.createMaterializer(system))) {
      if (request.encoders() != Encoders.RANDOM_INIT) {
        encoders.add(CheckpointEncoders.pretrained(cp, settings, request.description()));
      }
      if (request.encoders() != Encoders.PRETRAINED) {
        encoders.add(CheckpointEncoders.randomInit(cp, settings));
      }
      Evaluator evaluator = new Evaluator(new Evaluator.Context(evaluation, extraction, finetune,
          new FeatureCache(request.cacheDir()), media, stream, ProgressBar.console(System.err), figuresDir));
      for (Map.Entry<DatasetSpec, Map<EvaluationProtocol, Set<Modality>>> dataset
          : request.plan().datasets().entrySet()) {
        DatasetSplits data = DatasetSplits.open(dataset.getKey(), DataSettings.from(settings),
            evaluation.groupedCvFolds(), extraction.seed());
        console.printf("  %-15s %s: %d samples, %d classes, %s%n", data.spec().title(), data.spec().root(),
            data.samples().size(), data.classNames().size(), data.groupedCv()
                ? evaluation.groupedCvFolds() + "-fold grouped cross-validation (no official split)"
                : data.splits().size() + " split(s): " + String.join(", ",
                    data.splits().stream().map(DatasetSplits.Split::name).toList()));
        console.flush();
        for (Map.Entry<EvaluationProtocol, Set<Modality>> protocol : dataset.getValue().entrySet()) {
          results.addAll(evaluator.run(data, protocol.getKey(), protocol.getValue(), encoders));
        }
      }
      counts = evaluator.counts();
      figures = new ArrayList<>(evaluator.sheetsWritten());
    } finally {
      encoders.forEach(e -> e.model().close());
      system.terminate();
    }

    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("checkpoint", request.description());
    provenance.put("method", cp.method());
    provenance.put("objective", cp.objective());
    for (Encoder encoder : encoders) {
      switch (encoder.kind()) {
        case PRETRAINED -> provenance.put("pretrained weights", encoder.hash());
        case RANDOM_INIT -> provenance.put("random-init floor", encoder.description() + ", " + encoder.hash());
      }
    }
    provenance.put("pretraining configuration sha256", cp.configHash());
    provenance.put("evaluation configuration sha256", settings.hash());
    provenance.put("code version", request.codeVersion());
    for (DatasetSpec spec : request.plan().datasets().keySet()) {
      provenance.put("dataset " + spec.title(), spec.root());
    }
    provenance.put("feature sets", counts.extracted() + " extracted, " + counts.cached() + " read from "
        + request.cacheDir());
    ReportWriter.write(request.outDir(), request.title(), provenance, results);
    figures.addAll(Figures.writeFor(figuresDir, results));
    Files.writeString(request.outDir().resolve("config.conf"), "# Effective configuration of this evaluation "
        + "(secrets redacted).\n" + settings.renderReadable() + "\n");
    return new Outcome(results, counts, figures);
  }
}
