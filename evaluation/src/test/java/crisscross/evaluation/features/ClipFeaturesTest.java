package crisscross.evaluation.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.source.SampleRef;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClipFeaturesTest {
  private static SampleRef ref(String id, String label, String split, String group) {
    return new SampleRef(0, id, "/data/" + id, Optional.ofNullable(label), split, group);
  }

  private static ClipFeatures twoSplits() {
    return ClipFeatures.builder(List.of("dog", "rain"))
        .add(ref("a.wav", "dog", "train", "src1"), 0, new float[] {1f, 0f})
        .add(ref("a.wav", "dog", "train", "src1"), 1, new float[] {3f, 0f})
        .add(ref("b.wav", "rain", "test", null), 0, new float[] {0f, 2f})
        .add(ref("c.wav", "rain", "train", "src2"), 0, new float[] {0f, 4f})
        .build();
  }

  @Test
  void builderTakesLabelGroupAndSplitFromTheSample() {
    ClipFeatures features = twoSplits();
    assertThat(features.size()).isEqualTo(4);
    assertThat(features.dimension()).isEqualTo(2);
    assertThat(features.clip(1)).isEqualTo(new Clip("a.wav", 1, 0, "src1", "train"));
    assertThat(features.clip(2).group()).as("group defaults to the sample id").isEqualTo("b.wav");
    assertThat(features.labels()).containsExactly(0, 0, 1, 1);
  }

  @Test
  void splitsSelectsAndAveragesBySample() {
    ClipFeatures train = twoSplits().split("train");
    assertThat(train.size()).isEqualTo(3);
    assertThat(train.samples().sampleIds()).containsExactly("a.wav", "c.wav");
    SampleFeatures averaged = train.averageBySample();
    assertThat(averaged.rows()[0]).containsExactly(2f, 0f);
    assertThat(averaged.rows()[1]).containsExactly(0f, 4f);
    assertThat(train.selectSamples(new int[] {1}).clips()).extracting(Clip::sampleId).containsExactly("c.wav");
  }

  @Test
  void relabelsIntoAWiderLabelSpace() {
    ClipFeatures relabelled = twoSplits().withClassNames(List.of("bird", "rain", "dog"));
    assertThat(relabelled.labels()).containsExactly(2, 2, 1, 1);
    assertThatThrownBy(() -> twoSplits().withClassNames(List.of("rain")))
        .hasMessageContaining("class 'dog'").hasMessageContaining("a.wav");
  }

  @Test
  void concatenationMatchesClipsByIdNotByPosition() {
    ClipFeatures audio = twoSplits();
    ClipFeatures video = ClipFeatures.of(audio.classNames(),
        List.of(audio.clip(3), audio.clip(2), audio.clip(1), audio.clip(0)),
        new float[][] {{40f}, {30f}, {20f}, {10f}});
    ClipFeatures fused = ClipFeatures.concatenate(audio, video);
    assertThat(fused.dimension()).isEqualTo(3);
    assertThat(fused.row(0)).containsExactly(1f, 0f, 10f);
    assertThat(fused.row(3)).containsExactly(0f, 4f, 40f);

    ClipFeatures missing = audio.select(new int[] {0, 1, 2});
    assertThatThrownBy(() -> ClipFeatures.concatenate(audio, missing.withRows(new float[][] {{1}, {2}, {3}})))
        .hasMessageContaining("same clips");
  }

  @Test
  void refusesBadRowsNamingTheSample() {
    assertThatThrownBy(() -> ClipFeatures.builder(List.of("dog"))
        .add(ref("x.wav", "dog", "train", null), 0, new float[] {1f, Float.NaN}).build())
        .hasMessageContaining("x.wav").hasMessageContaining("non-finite");
    assertThatThrownBy(() -> ClipFeatures.builder(List.of("dog"))
        .add(ref("x.wav", "dog", "train", null), 0, new float[] {1f})
        .add(ref("x.wav", "dog", "train", null), 0, new float[] {2f}).build())
        .hasMessageContaining("appears twice");
    assertThatThrownBy(() -> ClipFeatures.builder(List.of("dog"))
        .add(ref("y.wav", "cat", "train", null), 0, new float[] {1f}))
        .hasMessageContaining("y.wav").hasMessageContaining("'cat'");
    assertThatThrownBy(() -> ClipFeatures.builder(List.of("dog"))
        .add(ref("z.wav", null, "train", null), 0, new float[] {1f}))
        .hasMessageContaining("z.wav").hasMessageContaining("no label");
    assertThatThrownBy(() -> ClipFeatures.builder(List.of("dog"))
        .add(ref("u.wav", "dog", "train", null), 0, new float[] {1f})
        .add(ref("v.wav", "dog", "train", null), 0, new float[] {1f, 2f}).build())
        .hasMessageContaining("v.wav").hasMessageContaining("2 features");
  }
}
