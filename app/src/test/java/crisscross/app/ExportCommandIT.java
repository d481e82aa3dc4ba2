package crisscross.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.trainer.checkpoint.Checkpoint;
import crisscross.trainer.checkpoint.LocalCheckpointStore;
import crisscross.trainer.checkpoint.ModelSnapshot;
import crisscross.trainer.checkpoint.TensorBlob;
import crisscross.trainer.checkpoint.TrainerState;
import crisscross.trainer.export.ForwardCheck;
import crisscross.trainer.export.Safetensors;
import crisscross.trainer.export.WeightExport;
import crisscross.trainer.host.NativeKernels;
import crisscross.trainer.method.Method;
import crisscross.trainer.method.Methods;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.run.ModelEngine;
import crisscross.trainer.step.TrainingStep;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code crisscross export} on a checkpoint written after one training step of a tiny model. */
class ExportCommandIT {
  @TempDir Path dir;

  private static final List<String> TINY = List.of(
      "model.preset=tiny", "model.presets.tiny.video-channels=[4, 8, 8, 16]",
      "model.presets.tiny.audio-channels=[4, 8, 8, 16]", "model.presets.tiny.projector-hidden=16",
      "model.presets.tiny.projector-out=16", "model.presets.tiny.predictor-hidden=8",
      "sampling.frames-per-view=4", "video.crop-size=32", "video.decode-short-side=36",
      "video.augment.cutout-max-size=8", "video.augment.blur-kernel=5", "audio.hop-length=320",
      "audio.mel-bands=16", "audio.output-frames=50", "sampling.audio-view-seconds=1.0",
      "audio.augment.time-mask-max=5", "audio.augment.frequency-mask-max=3");

  private record Outcome(int status, String stderr) {}

  /** A run directory with one checkpoint after one step, so BN running statistics are off their initial values. */
  private ModelSnapshot checkpoint(Path run) throws Exception {
    Settings settings = ConfigLoader.load(List.of(), TINY);
    Method method = Methods.from(settings);
    ModelSettings model = ModelSettings.from(settings);
    try (TrainingStep step = TrainingStep.create(model, method, OptimSettings.from(settings), 1, 7);
        ModelEngine engine = new ModelEngine(step)) {
      Random random = new Random(3);
      float[][] views = new float[4][];
      for (int v = 0; v < 4; v++) {
        views[v] = new float[2 * model.viewSize(v < 2 ? Modality.VIDEO : Modality.AUDIO)];
        for (int i = 0; i < views[v].length; i++) {
          views[v][i] = (float) random.nextGaussian();
        }
      }
      step.run(views[0], views[1], views[2], views[3], 2);
      ModelSnapshot snapshot = engine.snapshot();
      new LocalCheckpointStore(run.resolve("checkpoints"), 3, 0).write(new Checkpoint(method.name(),
          method.variant(), settings.renderCanonical(), settings.hash(), "test-data", "test", NativeKernels.current(),
          TrainerState.initial(42, method.termLabels()), snapshot));
      return snapshot;
    }
  }

  private static Outcome export(String... arguments) {
    PrintStream err = System.err;
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      List<String> all = new ArrayList<>(List.of("export"));
      all.addAll(List.of(arguments));
      return new Outcome(Main.run(all.toArray(String[]::new)), stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void writesTheCheckpointsTensorsTheirDescriptionAndAForwardCheck() throws Exception {
    Path run = dir.resolve("run");
    ModelSnapshot snapshot = checkpoint(run);
    Path out = dir.resolve("export");
    Outcome outcome = export("--checkpoint", run.toString(), "--format", "safetensors", "--out", out.toString(),
        "--heads", "--forward-check");
    assertThat(outcome.status()).as(outcome.stderr()).isZero();

    Safetensors.Contents weights = Safetensors.read(out.resolve(WeightExport.WEIGHTS_FILE));
    List<TensorBlob> expected = new ArrayList<>(snapshot.parameters());
    expected.addAll(snapshot.buffers());
    assertThat(weights.tensors()).containsExactlyElementsOf(expected);
    assertThat(weights.metadata()).containsEntry("format", "pt");

    JsonNode description = new ObjectMapper().readTree(out.resolve(WeightExport.DESCRIPTION_FILE).toFile());
    assertThat(description.get("format").asText()).isEqualTo(WeightExport.FORMAT);
    assertThat(description.get("preset").asText()).isEqualTo("tiny");
    assertThat(description.get("heads_included").asBoolean()).isTrue();
    assertThat(description.at("/video/channels").toString()).isEqualTo("[4,8,8,16]");
    assertThat(description.at("/video/input/frames").asInt()).isEqualTo(4);
    assertThat(description.at("/video/input/frame_rate").asInt()).isEqualTo(16);
    assertThat(description.at("/video/input/crop").asInt()).isEqualTo(32);
    assertThat(description.at("/video/input/normalize_std/0").asDouble()).isEqualTo(0.229);
    assertThat(description.at("/audio/input/mel_bands").asInt()).isEqualTo(16);
    assertThat(description.at("/audio/input/hop_length").asInt()).isEqualTo(320);
    assertThat(description.at("/audio/input/frames").asInt()).isEqualTo(50);
    assertThat(description.at("/audio/input/sample_rate").asInt()).isEqualTo(16000);

    Map<String, TensorBlob> check = Safetensors.read(out.resolve(ForwardCheck.FILE)).byName();
    assertThat(check.get("input.video").shape()).containsExactly(2, 3, 4, 32, 32);
    assertThat(check.get("features.video").shape()).containsExactly(2, 16, 1, 1, 1);
    assertThat(check.get("input.audio").shape()).containsExactly(2, 1, 16, 50);
    assertThat(check.get("features.audio").shape()).containsExactly(2, 16, 1, 2);
    float[] audioFeatures = check.get("features.audio").floats();
    float[] audioEmbedding = check.get("embedding.audio").floats();
    for (int i = 0; i < audioEmbedding.length; i++) {
      assertThat(audioEmbedding[i]).isCloseTo((audioFeatures[2 * i] + audioFeatures[2 * i + 1]) / 2, within(1e-5f));
    }
  }

  @Test
  void backbonesOnlyByDefaultAndAnUnknownFormatIsRefused() throws Exception {
    Path run = dir.resolve("run");
    ModelSnapshot snapshot = checkpoint(run);
    Path out = dir.resolve("backbones");
    assertThat(export("--checkpoint", run.toString(), "--out", out.toString()).status()).isZero();
    assertThat(Safetensors.read(out.resolve(WeightExport.WEIGHTS_FILE)).tensors())
        .containsExactlyElementsOf(WeightExport.tensors(snapshot, false))
        .allSatisfy(t -> assertThat(t.name()).contains("_backbone."));
    assertThat(Files.exists(out.resolve(ForwardCheck.FILE))).isFalse();
    Outcome onnx = export("--checkpoint", run.toString(), "--format", "onnx", "--out", dir.resolve("x").toString());
    assertThat(onnx.status()).isEqualTo(2);
    assertThat(onnx.stderr()).contains("--format: unknown format 'onnx'");
  }
}
