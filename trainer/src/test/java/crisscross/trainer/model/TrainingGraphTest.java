package crisscross.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.trainer.method.crisscross.CrissCrossMethod;
import crisscross.trainer.method.crisscross.CrissCrossSettings;
import crisscross.trainer.optim.OptimSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TrainingGraphTest {
  static final ModelSettings SMALL = new ModelSettings(new int[] {4, 8, 8, 16}, new int[] {4, 8, 8, 16}, 16, 16, 8,
      4, 32, 32, 40, DataType.FLOAT);

  /** CrissCross's heads with {@code loss} on the backbones. */
  static TrainingGraph crissCross(ModelSettings settings, String loss, long seed) {
    CrissCrossMethod method = new CrissCrossMethod(CrissCrossSettings.of(loss, OptimSettings.paper()));
    return TrainingGraph.create(settings, method.views(), method.heads(settings), seed);
  }

  @Test
  void fullPresetHasThePapersParameterCounts() {
    try (TrainingGraph model = crissCross(ModelSettings.full(), "crisscross", 1)) {
      Map<String, Long> counts = model.parameterCounts();
      // Table S5: 15.38 M; Table S6: 11.17 M; Tables S7-S8 heads (counts from the PyTorch reference).
      assertThat(counts.get("video_backbone")).isEqualTo(15_379_136L);
      assertThat(counts.get("audio_backbone")).isEqualTo(11_170_240L);
      assertThat(counts.get("video_projector")).isEqualTo(9_455_616L);
      assertThat(counts.get("audio_projector")).isEqualTo(9_455_616L);
      assertThat(counts.get("video_predictor")).isEqualTo(2_100_736L);
      assertThat(counts.get("audio_predictor")).isEqualTo(2_100_736L);
    }
  }

  @Test
  void unimodalLossesBuildOnlyTheirModality() {
    try (TrainingGraph audio = crissCross(SMALL, "a1a2", 1)) {
      assertThat(audio.parameters().keySet()).allMatch(n -> n.startsWith("audio_"));
      assertThat(audio.parameterCounts()).doesNotContainKey("video_backbone");
      assertThat(audio.views()).containsExactly(View.A1, View.A2);
      assertThatThrownBy(() -> audio.backbones().featureMaps(Modality.VIDEO, Nd4j.zeros(DataType.FLOAT, 1, 3, 4, 32, 32)))
          .hasMessageContaining("no video backbone");
    }
  }

  @Test
  void initialisationIsPyTorchsDefaultAndSeeded() {
    try (TrainingGraph a = crissCross(SMALL, "crisscross", 3);
        TrainingGraph b = crissCross(SMALL, "crisscross", 3);
        TrainingGraph c = crissCross(SMALL, "crisscross", 4)) {
      INDArray w = a.parameters().get("video_backbone.layer2.0.conv1.spatial.weight");
      double bound = 1 / Math.sqrt(4 * 9);
      assertThat(w.amaxNumber().doubleValue()).isLessThanOrEqualTo(bound).isGreaterThan(0.9 * bound);
      assertThat(a.parameters().get("audio_projector.fc1.bias").amaxNumber().doubleValue())
          .isLessThanOrEqualTo(1 / Math.sqrt(16));
      assertThat(a.parameters().get("video_projector.bn1.weight").minNumber().doubleValue()).isEqualTo(1.0);
      assertThat(a.parameters().get("video_projector.bn1.bias").amaxNumber().doubleValue()).isEqualTo(0.0);
      assertThat(w.equalsWithEps(b.parameters().get("video_backbone.layer2.0.conv1.spatial.weight"), 0)).isTrue();
      assertThat(w.equalsWithEps(c.parameters().get("video_backbone.layer2.0.conv1.spatial.weight"), 1e-3)).isFalse();
    }
  }

  @Test
  void featureMapsUseRunningStatisticsForAnyInputSizeAndSurviveSaveAndLoad() {
    Nd4j.getRandom().setSeed(11);
    try (TrainingGraph model = crissCross(SMALL, "crisscross", 1)) {
      Map<String, INDArray> inputs = new LinkedHashMap<>();
      for (View v : View.values()) {
        long[] shape = v.modality() == Modality.VIDEO ? new long[] {3, 3, 4, 32, 32} : new long[] {3, 1, 32, 40};
        inputs.put(v.key(), Nd4j.randn(DataType.FLOAT, shape));
      }
      model.forwardBackward(inputs, Set.of());
      assertThat(model.buffers().get("video_backbone.stem_bn.num_batches_tracked").getLong(0)).isEqualTo(2);
      assertThat(model.buffers().get("audio_projector.bn3.running_var").sub(1).amaxNumber().doubleValue())
          .isGreaterThan(1e-4);

      INDArray clip = Nd4j.randn(DataType.FLOAT, 2, 3, 8, 48, 40);
      INDArray video = model.backbones().featureMaps(Modality.VIDEO, clip);
      assertThat(video.shape()).containsExactly(2, 16, 1, 2, 2);
      INDArray spec = Nd4j.randn(DataType.FLOAT, 1, 1, 64, 100);
      INDArray audio = model.backbones().featureMaps(Modality.AUDIO, spec);
      assertThat(audio.shape()).containsExactly(1, 16, 2, 4);
      // Inference mode: one sample's features do not depend on the rest of the batch.
      INDArray single = model.backbones().featureMaps(Modality.VIDEO, clip.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)));
      assertThat(single.equalsWithEps(video.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)), 1e-5)).isTrue();

      ModelState saved = model.state();
      try (TrainingGraph fresh = crissCross(SMALL, "crisscross", 99)) {
        assertThat(fresh.backbones().featureMaps(Modality.AUDIO, spec).equalsWithEps(audio, 1e-3)).isFalse();
        fresh.restore(saved);
        assertThat(fresh.backbones().featureMaps(Modality.VIDEO, clip).equalsWithEps(video, 0.0)).isTrue();
        assertThat(fresh.backbones().featureMaps(Modality.AUDIO, spec).equalsWithEps(audio, 0.0)).isTrue();
      }
    }
  }

  /** The evaluation's standalone backbones start exactly where a training graph of the same seed starts. */
  @Test
  void standaloneBackbonesMatchATrainingGraphsAndTakeItsWeights() {
    Nd4j.getRandom().setSeed(12);
    INDArray clip = Nd4j.randn(DataType.FLOAT, 2, 3, 4, 32, 32);
    INDArray spec = Nd4j.randn(DataType.FLOAT, 2, 1, 32, 40);
    try (TrainingGraph model = crissCross(SMALL, "crisscross", 7);
        Backbones initial = Backbones.initial(SMALL, Set.of(Modality.VIDEO, Modality.AUDIO), 7);
        Backbones audioOnly = Backbones.initial(SMALL, Set.of(Modality.AUDIO), 8)) {
      assertThat(initial.parameters().keySet()).isEqualTo(model.backbones().parameters().keySet());
      assertThat(initial.buffers().keySet()).isEqualTo(model.backbones().buffers().keySet());
      assertThat(initial.parameters().keySet()).allMatch(n -> n.contains("_backbone."));
      initial.parameters().forEach((name, value) -> assertThat(value).as(name)
          .isEqualTo(model.parameters().get(name)));
      assertThat(initial.featureMaps(Modality.VIDEO, clip))
          .isEqualTo(model.backbones().featureMaps(Modality.VIDEO, clip));
      assertThat(audioOnly.parameters().keySet()).allMatch(n -> n.startsWith("audio_backbone."));
      assertThat(audioOnly.featureMaps(Modality.AUDIO, spec).equalsWithEps(
          model.backbones().featureMaps(Modality.AUDIO, spec), 1e-3)).isFalse();
      audioOnly.restore(model.state());
      assertThat(audioOnly.featureMaps(Modality.AUDIO, spec))
          .isEqualTo(model.backbones().featureMaps(Modality.AUDIO, spec));
      assertThatThrownBy(() -> audioOnly.featureMaps(Modality.VIDEO, clip)).hasMessageContaining("no video");
    }
  }
}
