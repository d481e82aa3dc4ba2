package crisscross.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.synth.MediaWriter;
import crisscross.pipeline.synth.SynthSettings;
import crisscross.pipeline.synth.SyntheticCorpus;
import crisscross.pipeline.testing.TestMedia;
import crisscross.trainer.checkpoint.Checkpoint;
import crisscross.trainer.checkpoint.LocalCheckpointStore;
import crisscross.trainer.checkpoint.TrainerState;
import crisscross.trainer.host.NativeKernels;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.method.Method;
import crisscross.trainer.method.Methods;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.run.ModelEngine;
import crisscross.trainer.step.TrainingStep;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crisscross evaluate} end to end on tiny generated data and a tiny freshly initialised checkpoint: the
 * JSON lines, the report files and figures, the random-init floor beside the checkpoint, the feature cache on a
 * second run, and the errors of an audio-only checkpoint.
 */
class EvaluateCommandIT {
  @TempDir Path dir;

  /**
   * A model small enough for two cores, and evaluation settings to match (few clips, two costs). The log-mel
   * statistics stand in for those pretrain measures at start and stores in the run's configuration.
   */
  private static final List<String> TINY = List.of(
      "model.preset=tiny", "model.presets.tiny.video-channels=[4, 8, 8, 16]",
      "model.presets.tiny.audio-channels=[4, 8, 8, 16]", "model.presets.tiny.projector-hidden=16",
      "model.presets.tiny.projector-out=16", "model.presets.tiny.predictor-hidden=8",
      "sampling.frames-per-view=4", "video.crop-size=32", "video.decode-short-side=36",
      "video.augment.cutout-max-size=8", "video.augment.blur-kernel=5", "audio.hop-length=320",
      "audio.mel-bands=16", "audio.output-frames=50", "sampling.audio-view-seconds=1.0",
      "audio.augment.time-mask-max=5", "audio.augment.frequency-mask-max=3",
      "audio.dataset-statistics.mean=-6.0", "audio.dataset-statistics.std=3.0");

  private static final String[] EVALUATION = {
      "--set", "evaluation.video.train-clips=2", "--set", "evaluation.video.test-clips=2",
      "--set", "evaluation.audio.train-clips=2", "--set", "evaluation.audio.test-clips=2",
      "--set", "evaluation.fusion.train-clips=2", "--set", "evaluation.fusion.test-clips=2",
      "--set", "evaluation.linear.costs=[0.01, 1]", "--set", "evaluation.linear.cv-folds=2",
      "--set", "evaluation.grouped-cv-folds=3", "--set", "evaluation.extraction.workers=2",
      "--set", "evaluation.workers=2", "--set", "evaluation.retrieval.sheet-queries=2"};

  /** A run directory holding one checkpoint of a freshly initialised model (seed 7; the run's seed is 42). */
  private Path checkpoint(String objectiveName) throws Exception {
    List<String> overrides = new ArrayList<>(TINY);
    overrides.add("crisscross.loss=" + objectiveName);
    Settings settings = ConfigLoader.load(List.of(), overrides);
    Method method = Methods.from(settings);
    Path run = dir.resolve("run-" + objectiveName);
    try (ModelEngine engine = new ModelEngine(TrainingStep.create(ModelSettings.from(settings), method,
        OptimSettings.from(settings), 1, 7))) {
      new LocalCheckpointStore(run.resolve("checkpoints"), 3, 0).write(new Checkpoint(method.name(),
          method.variant(), settings.renderCanonical(), settings.hash(), "test-data", "test", NativeKernels.current(),
          TrainerState.initial(42, method.termLabels()), engine.snapshot()));
    }
    return run;
  }

  private record Outcome(int status, List<String> stdout, String stderr) {}

  private static Outcome evaluate(String... arguments) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      List<String> all = new ArrayList<>(List.of("evaluate"));
      all.addAll(List.of(arguments));
      all.addAll(List.of(EVALUATION));
      int status = Main.run(all.toArray(String[]::new));
      String text = stdout.toString(StandardCharsets.UTF_8);
      return new Outcome(status, text.isEmpty() ? List.of() : List.of(text.split("\n")),
          stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static Path onlyReport(Path run) throws Exception {
    try (Stream<Path> reports = Files.list(run.resolve("evaluation"))) {
      List<Path> stamped = reports.filter(p -> !p.getFileName().toString().equals("feature-cache")).toList();
      assertThat(stamped).hasSize(1);
      return stamped.get(0);
    }
  }

  @Test
  void evaluatesTheSyntheticCorpusWithEveryFrozenProtocolAndReusesItsFeatures() throws Exception {
    Path corpus = dir.resolve("corpus");
    SyntheticCorpus.generate(new SynthSettings(12, 3, 1.5, 5, 48, 32, 16, 16_000, 0.25, 2), corpus);
    Path run = checkpoint("crisscross");

    Outcome first = evaluate("--checkpoint", run.toString(), "--dataset", "synthetic=" + corpus,
        "--protocol", "linear,retrieval", "--protocol", "fusion", "--json");

    assertThat(first.status()).as(first.stderr()).isZero();
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : first.stdout()) {
      lines.add(json.readTree(line));
    }
    assertThat(lines).as("(linear a, v; retrieval a, v; fusion a+v) x (pretrained, random-init)").hasSize(10);
    Set<String> rows = new HashSet<>();
    for (JsonNode line : lines) {
      assertThat(line.path("dataset").asText()).isEqualTo("Synthetic");
      String encoder = line.path("encoder").asText();
      assertThat(encoder).isIn("pretrained", "random-init");
      assertThat(line.path("pretrained").asBoolean()).isEqualTo(encoder.equals("pretrained"));
      String protocol = line.path("protocol").asText();
      if (protocol.equals("retrieval")) {
        assertThat(line.path("recall_at_k").path("1").asDouble()).isBetween(0.0, 1.0);
        assertThat(line.path("recall_at_k").path("5").asDouble())
            .isGreaterThanOrEqualTo(line.path("recall_at_k").path("1").asDouble());
        assertThat(line.path("recall_at_k").has("20")).isTrue();
        assertThat(line.has("top1")).isFalse();
      } else {
        assertThat(protocol).isEqualTo("linear-svm");
        assertThat(line.path("top1").asDouble()).isBetween(0.0, 1.0);
        assertThat(line.path("test_samples").asInt()).isEqualTo(3);
      }
      rows.add(protocol + " " + line.path("modality").asText() + " " + encoder);
    }
    assertThat(rows).hasSize(10).contains("linear-svm audio+video random-init", "retrieval video pretrained");

    Path report = onlyReport(run);
    assertThat(report.resolve("report.md")).content().contains("| Synthetic | v | linear SVM |")
        .contains("## Retrieval");
    JsonNode reportJson = json.readTree(report.resolve("report.json").toFile());
    assertThat(reportJson.path("results")).hasSize(10);
    assertThat(reportJson.path("provenance").path("feature sets").asText()).startsWith("16 extracted, 4 read");
    try (Stream<Path> files = Files.list(report.resolve("figures"))) {
      List<String> figures = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(figures).contains("synthetic-video-pretrained-confusion.png",
          "synthetic-audio-random-init-accuracy-vs-c.png", "synthetic-audio-video-pretrained-confusion.png",
          "synthetic-video-pretrained-retrieval.png", "synthetic-audio-random-init-retrieval.png");
      for (String figure : figures) {
        byte[] head = Arrays.copyOf(Files.readAllBytes(report.resolve("figures").resolve(figure)), 4);
        assertThat(head).containsExactly(0x89, 'P', 'N', 'G');
      }
    }

    Outcome second = evaluate("--checkpoint", run.resolve("checkpoints").toString(), "--dataset",
        "synthetic=" + corpus, "--protocol", "linear,retrieval,fusion", "--json", "--out",
        dir.resolve("again").toString());
    assertThat(second.status()).as(second.stderr()).isZero();
    assertThat(second.stderr()).contains("features: 0 extracted, 20 from the cache");
    assertThat(second.stdout()).isEqualTo(first.stdout());
  }

  @Test
  void anAudioOnlyCheckpointEvaluatesEsc50AndRefusesVideoProtocols() throws Exception {
    Path esc = dir.resolve("esc50");
    Files.createDirectories(esc.resolve("audio"));
    Files.createDirectories(esc.resolve("meta"));
    StringBuilder meta = new StringBuilder("filename,fold,target,category,esc10,src_file,take\n");
    for (int target = 0; target < 2; target++) {
      for (int recording = 0; recording < 3; recording++) {
        for (String take : List.of("A", "B")) {
          String name = "4-" + target + recording + "-" + take + "-" + target + ".wav";
          TestMedia.audio(MediaWriter.Container.WAV).seconds(2.5).sampleRate(16_000)
              .tone(new TestMedia.Tone(400 + 500 * target, 0, 0.4)).writeTo(esc.resolve("audio").resolve(name));
          meta.append(name).append(",4,").append(target).append(',').append(target == 0 ? "dog" : "rain")
              .append(",False,").append(target).append(recording).append(',').append(take).append('\n');
        }
      }
    }
    Files.writeString(esc.resolve("meta/esc50.csv"), meta.toString());
    Path run = checkpoint("a1a2");

    Outcome audio = evaluate("--checkpoint", run.toString(), "--dataset", "esc50=" + esc, "--json");
    assertThat(audio.status()).as(audio.stderr()).isZero();
    assertThat(audio.stdout()).hasSize(2);
    JsonNode pretrained = new ObjectMapper().readTree(audio.stdout().get(0));
    assertThat(pretrained.path("protocol").asText()).isEqualTo("linear-svm-grouped-cv");
    assertThat(pretrained.path("modality").asText()).isEqualTo("audio");
    assertThat(pretrained.path("folds").asInt()).isEqualTo(3);
    assertThat(audio.stderr()).contains("3-fold grouped cross-validation");

    Outcome finetune = evaluate("--checkpoint", run.toString(), "--dataset", "esc50=" + esc, "--protocol",
        "finetune");
    assertThat(finetune.status()).isEqualTo(2);
    assertThat(finetune.stderr()).contains("finetuning on ESC-50 trains the video encoder, but the checkpoint "
        + "(crisscross (a1a2)) has only an audio encoder");
    Outcome video = evaluate("--checkpoint", run.toString(), "--dataset", "esc50=" + esc, "--modality", "video");
    assertThat(video.status()).isEqualTo(2);
    assertThat(video.stderr()).contains("asks for only a video encoder");
  }
}
