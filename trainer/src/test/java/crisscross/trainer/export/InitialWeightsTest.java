package crisscross.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.config.ConfigError;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.trainer.checkpoint.ModelSnapshot;
import crisscross.trainer.checkpoint.TensorBlob;
import crisscross.trainer.method.Method;
import crisscross.trainer.method.crisscross.CrissCrossMethod;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.run.ModelEngine;
import crisscross.trainer.run.Nd4jCpuBackend;
import crisscross.trainer.step.TrainingStep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/** {@code model.init-from}: a pretraining engine starting from an exported safetensors file. */
class InitialWeightsTest {
  private static final ModelSettings SMALL = new ModelSettings(new int[] {4, 8, 8, 16}, new int[] {4, 8, 8, 16},
      16, 16, 8, 4, 16, 16, 32, DataType.FLOAT);
  private static final OptimSettings OPTIM = OptimSettings.paper();
  private static final int BATCH = 2;

  @TempDir static Path dir;
  /** A model after one training step (BN buffers moved off their initial values), seed 1. */
  private static ModelSnapshot trained;
  private static Path exported;

  @BeforeAll
  static void exportOneTrainedModel() throws Exception {
    try (TrainingStep step = TrainingStep.create(SMALL, method(), OPTIM, 1, 1);
        ModelEngine engine = new ModelEngine(step)) {
      Random random = new Random(5);
      float[][] views = new float[4][];
      for (int v = 0; v < 4; v++) {
        views[v] = new float[BATCH * SMALL.viewSize(v < 2 ? Modality.VIDEO : Modality.AUDIO)];
        for (int i = 0; i < views[v].length; i++) {
          views[v][i] = (float) random.nextGaussian();
        }
      }
      step.run(views[0], views[1], views[2], views[3], BATCH);
      trained = engine.snapshot();
    }
    exported = dir.resolve("backbones.safetensors");
    Safetensors.write(exported, WeightExport.tensors(trained, false), Map.of());
  }

  private static Method method() {
    return CrissCrossMethod.of("crisscross", OPTIM);
  }

  private static ModelSnapshot startFrom(Path file, boolean strict) throws Exception {
    try (ModelEngine engine = (ModelEngine) new Nd4jCpuBackend().trainingEngine(SMALL, method(), OPTIM, 1, 2,
        Optional.of(InitialWeights.read(file, strict)))) {
      return engine.snapshot();
    }
  }

  private static ModelSnapshot fresh(long seed) {
    try (ModelEngine engine = new ModelEngine(TrainingStep.create(SMALL, method(), OPTIM, 1, seed))) {
      return engine.snapshot();
    }
  }

  @Test
  void theBackbonesStartFromExactlyTheFilesValuesAndTheHeadsFromTheSeed() throws Exception {
    ModelSnapshot started = startFrom(exported, true);
    ModelSnapshot seedTwo = fresh(2);
    List<TensorBlob> backbones = WeightExport.tensors(started, false);
    assertThat(backbones).containsExactlyElementsOf(WeightExport.tensors(trained, false));
    assertThat(backbones).as("the trained BN statistics came along").anySatisfy(t -> {
      assertThat(t.name()).endsWith(".num_batches_tracked");
      assertThat(t.longs()).containsExactly(2);
    });
    assertThat(heads(started)).containsExactlyElementsOf(heads(seedTwo));
    assertThat(heads(started).stream().filter(t -> t.name().contains(".fc")).toList())
        .doesNotContainAnyElementsOf(heads(trained));
    assertThat(WeightExport.tensors(started, false)).doesNotContainAnyElementsOf(
        WeightExport.tensors(seedTwo, false).stream().filter(t -> t.name().endsWith(".weight")
            && t.name().contains("conv")).toList());
  }

  @Test
  void aTensorOfAnotherShapeIsRefusedNamingItAndTheFile() throws Exception {
    List<TensorBlob> tensors = new ArrayList<>(WeightExport.tensors(trained, false));
    tensors.replaceAll(t -> t.name().equals("audio_backbone.layer2.0.conv1.weight")
        ? TensorBlob.ofFloats(t.name(), new long[] {8, 8, 3, 3}, new float[8 * 8 * 9]) : t);
    Path file = dir.resolve("narrow.safetensors");
    Safetensors.write(file, tensors, Map.of());
    assertThatThrownBy(() -> startFrom(file, false)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tensor audio_backbone.layer2.0.conv1.weight in " + file)
        .hasMessageContaining("has shape [8, 8, 3, 3], the model's has [8, 4, 3, 3]");
  }

  @Test
  void strictRefusesATensorTheModelLacksAndRelaxedSkipsIt() throws Exception {
    List<TensorBlob> tensors = new ArrayList<>(WeightExport.tensors(trained, false));
    tensors.add(TensorBlob.ofFloats("video_backbone.fc.weight", new long[] {2}, new float[] {1, 2}));
    Path file = dir.resolve("extra.safetensors");
    Safetensors.write(file, tensors, Map.of());
    assertThatThrownBy(() -> startFrom(file, true))
        .hasMessageContaining("tensor video_backbone.fc.weight in " + file + " is not a parameter or buffer")
        .hasMessageContaining("model.init-from-strict");
    assertThat(WeightExport.tensors(startFrom(file, false), false))
        .containsExactlyElementsOf(WeightExport.tensors(trained, false));
  }

  @Test
  void strictRefusesAMissingBackboneTensorAndRelaxedKeepsItsInitialValue() throws Exception {
    String missing = "video_backbone.layer3.1.conv2.temporal.weight";
    List<TensorBlob> tensors = new ArrayList<>(WeightExport.tensors(trained, false));
    tensors.removeIf(t -> t.name().equals(missing));
    Path file = dir.resolve("missing.safetensors");
    Safetensors.write(file, tensors, Map.of());
    assertThatThrownBy(() -> startFrom(file, true))
        .hasMessageContaining("backbone tensor " + missing + " is missing from " + file);
    ModelSnapshot relaxed = startFrom(file, false);
    assertThat(byName(relaxed, missing)).isEqualTo(byName(fresh(2), missing));
    assertThat(byName(relaxed, "video_backbone.stem_conv.weight"))
        .isEqualTo(byName(trained, "video_backbone.stem_conv.weight"));
  }

  @Test
  void theConfigurationKeysNameAnUnreadableFile() {
    assertThat(InitialWeights.from(ConfigLoader.load(List.of(), List.of()))).isEmpty();
    Path nowhere = dir.resolve("nowhere.safetensors");
    assertThatThrownBy(() -> InitialWeights.from(ConfigLoader.load(List.of(), List.of("model.init-from=\""
        + nowhere + "\"")))).isInstanceOf(ConfigError.class).hasMessageContaining("model.init-from")
        .hasMessageContaining(nowhere.toString());
  }

  private static List<TensorBlob> heads(ModelSnapshot snapshot) {
    return WeightExport.tensors(snapshot, true).stream().filter(t -> !t.name().contains("_backbone.")).toList();
  }

  private static TensorBlob byName(ModelSnapshot snapshot, String name) {
    return snapshot.parameters().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }
}
