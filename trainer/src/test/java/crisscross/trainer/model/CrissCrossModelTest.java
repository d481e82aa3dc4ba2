package crisscross.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.trainer.objective.Objectives;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CrissCrossModelTest {
  static final ModelSettings SMALL = new ModelSettings(new int[] {4, 8, 8, 16}, new int[] {4, 8, 8, 16}, 16, 16, 8,
      4, 32, 32, 40, DataType.FLOAT);

  @Test
  void fullPresetHasThePapersParameterCounts() {
    try (CrissCrossModel model = CrissCrossModel.create(ModelSettings.full(), Objectives.byName("crisscross"), 1)) {
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
  void unimodalObjectivesBuildOnlyTheirModality() {
    try (CrissCrossModel audio = CrissCrossModel.create(SMALL, Objectives.byName("a1a2"), 1)) {
      assertThat(audio.parameters().keySet()).allMatch(n -> n.startsWith("audio_"));
      assertThat(audio.parameterCounts()).doesNotContainKey("video_backbone");
      assertThatThrownBy(() -> audio.featureMaps(Modality.VIDEO, Nd4j.zeros(DataType.FLOAT, 1, 3, 4, 32, 32)))
          .hasMessageContaining("no video backbone");
    }
  }

  @Test
  void initialisationIsPyTorchsDefaultAndSeeded() {
    try (CrissCrossModel a = CrissCrossModel.create(SMALL, Objectives.byName("crisscross"), 3);
        CrissCrossModel b = CrissCrossModel.create(SMALL, Objectives.byName("crisscross"), 3);
        CrissCrossModel c = CrissCrossModel.create(SMALL, Objectives.byName("crisscross"), 4)) {
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
    try (CrissCrossModel model = CrissCrossModel.create(SMALL, Objectives.byName("crisscross"), 1)) {
      Map<View, INDArray> inputs = new EnumMap<>(View.class);
      for (View v : View.values()) {
        long[] shape = v.modality() == Modality.VIDEO ? new long[] {3, 3, 4, 32, 32} : new long[] {3, 1, 32, 40};
        inputs.put(v, Nd4j.randn(DataType.FLOAT, shape));
      }
      model.forwardBackward(inputs, false);
      assertThat(model.buffers().get("video_backbone.stem_bn.num_batches_tracked").getLong(0)).isEqualTo(2);
      assertThat(model.buffers().get("audio_projector.bn3.running_var").sub(1).amaxNumber().doubleValue())
          .isGreaterThan(1e-4);

      INDArray clip = Nd4j.randn(DataType.FLOAT, 2, 3, 8, 48, 40);
      INDArray video = model.featureMaps(Modality.VIDEO, clip);
      assertThat(video.shape()).containsExactly(2, 16, 1, 2, 2);
      INDArray spec = Nd4j.randn(DataType.FLOAT, 1, 1, 64, 100);
      INDArray audio = model.featureMaps(Modality.AUDIO, spec);
      assertThat(audio.shape()).containsExactly(1, 16, 2, 4);
      // Inference mode: one sample's features do not depend on the rest of the batch.
      INDArray single = model.featureMaps(Modality.VIDEO, clip.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)));
      assertThat(single.equalsWithEps(video.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)), 1e-5)).isTrue();

      ModelState saved = model.state();
      try (CrissCrossModel fresh = CrissCrossModel.create(SMALL, Objectives.byName("crisscross"), 99)) {
        assertThat(fresh.featureMaps(Modality.AUDIO, spec).equalsWithEps(audio, 1e-3)).isFalse();
        fresh.restore(saved);
        assertThat(fresh.featureMaps(Modality.VIDEO, clip).equalsWithEps(video, 0.0)).isTrue();
        assertThat(fresh.featureMaps(Modality.AUDIO, spec).equalsWithEps(audio, 0.0)).isTrue();
      }
    }
  }
}
