package crisscross.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.trainer.checkpoint.ModelSnapshot;
import crisscross.trainer.checkpoint.TensorBlob;
import crisscross.trainer.method.crisscross.CrissCrossMethod;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.run.ModelEngine;
import crisscross.trainer.step.TrainingStep;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exported names and shapes are those of the PyTorch reference definition: the expected lists were written by
 * {@code tools/export/check_export.py --names PRESET} from {@code CrissCross(...).state_dict()} of
 * {@code tools/reference/crisscross_ref.py} (whose audio backbone keys are torchvision's resnet18 keys).
 */
class WeightExportTest {
  private static final OptimSettings OPTIM = OptimSettings.paper();

  @ParameterizedTest
  @ValueSource(strings = {"tiny", "full"})
  void namesAndShapesAreThoseOfThePytorchDefinition(String preset) throws IOException {
    List<String> expected = expected(preset);
    ModelSettings settings = preset.equals("tiny") ? ModelSettings.tiny() : ModelSettings.full();
    ModelSnapshot snapshot;
    try (ModelEngine engine = new ModelEngine(TrainingStep.create(settings, CrissCrossMethod.of("crisscross", OPTIM),
        OPTIM, 1, 1))) {
      snapshot = engine.snapshot();
    }
    assertThat(lines(WeightExport.tensors(snapshot, true))).as("backbones and heads")
        .containsExactlyInAnyOrderElementsOf(expected);
    List<String> backbones = expected.stream().filter(l -> l.contains("_backbone.")).toList();
    assertThat(backbones).hasSizeGreaterThan(100);
    assertThat(lines(WeightExport.tensors(snapshot, false))).as("backbones only")
        .containsExactlyInAnyOrderElementsOf(backbones);
    assertThat(WeightExport.modalities(snapshot)).isEqualTo(Set.of(Modality.VIDEO, Modality.AUDIO));
  }

  @Test
  void optimiserMomentsAndMethodStateAreNeverExported() {
    ModelSnapshot snapshot = new ModelSnapshot(
        new ArrayList<>(List.of(TensorBlob.ofFloats("audio_backbone.conv1.weight", new long[] {1}, new float[] {1}),
            TensorBlob.ofFloats("audio_projector.fc1.weight", new long[] {1}, new float[] {2}))),
        new ArrayList<>(List.of(TensorBlob.ofLongs("audio_backbone.bn1.num_batches_tracked", new long[0],
            new long[] {3}))),
        new ArrayList<>(List.of(TensorBlob.ofFloats("adam.m.audio_backbone.conv1.weight", new long[] {1},
            new float[] {4}))),
        new ArrayList<>(List.of(TensorBlob.ofFloats("queue.audio", new long[] {1}, new float[] {5}))));
    assertThat(WeightExport.tensors(snapshot, true)).extracting(TensorBlob::name).containsExactly(
        "audio_backbone.conv1.weight", "audio_projector.fc1.weight", "audio_backbone.bn1.num_batches_tracked");
    assertThat(WeightExport.modalities(snapshot)).containsExactly(Modality.AUDIO);
  }

  private static List<String> lines(List<TensorBlob> tensors) {
    return tensors.stream().map(t -> t.name() + " " + (t.shape().length == 0 ? "scalar"
        : java.util.Arrays.stream(t.shape()).mapToObj(Long::toString).collect(Collectors.joining("x")))).toList();
  }

  private static List<String> expected(String preset) throws IOException {
    try (InputStream in = WeightExportTest.class.getResourceAsStream("pytorch-names-" + preset + ".txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
  }
}
