package crisscross.evaluation.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SampleIndexTest {
  private static Clip clip(String sample, int index, int label) {
    return new Clip(sample, index, label, null, "test");
  }

  @Test
  void averagingDecisionValuesOverrulesTheClipMajority() {
    // Sample "s" (true class 1): two clips lean weakly to class 0, one clip is confidently class 1. Clip-level
    // predictions are 0, 0, 1 (one of three right); the average (-1, 1) predicts class 1, so the sample is right.
    // Sample "t" (true class 0): its clips average to (2, 0), class 0, like each clip.
    List<Clip> clips = List.of(clip("s", 0, 1), clip("t", 0, 0), clip("s", 1, 1), clip("s", 2, 1), clip("t", 1, 0));
    double[][] decisions = {{1, 0}, {3, 0}, {1, 0}, {-5, 3}, {1, 0}};
    SampleIndex index = SampleIndex.of(clips);

    assertThat(SampleIndex.argmax(decisions)).containsExactly(0, 0, 0, 1, 0);
    double[][] perSample = index.average(decisions);
    assertThat(index.sampleIds()).containsExactly("s", "t");
    assertThat(perSample[0]).containsExactly(-1.0, 1.0);
    assertThat(perSample[1]).containsExactly(2.0, 0.0);
    assertThat(SampleIndex.argmax(perSample)).containsExactly(1, 0);
    assertThat(index.labels()).containsExactly(1, 0);
  }

  @Test
  void numbersSamplesByFirstAppearanceAndMapsClipsBothWays() {
    SampleIndex index = SampleIndex.of(List.of(clip("b", 0, 0), clip("a", 0, 1), clip("b", 1, 0)));
    assertThat(index.sampleCount()).isEqualTo(2);
    assertThat(index.clipsOf(0)).containsExactly(0, 2);
    assertThat(index.clipsOf(1)).containsExactly(1);
    assertThat(index.sampleOf(2)).isZero();
    float[][] means = index.average(new float[][] {{1f, 2f}, {5f, 5f}, {3f, 4f}});
    assertThat(means[0]).containsExactly(2f, 3f);
    assertThat(means[1]).containsExactly(5f, 5f);
  }

  @Test
  void clipsOfOneSampleMustAgreeOnLabel() {
    assertThatThrownBy(() -> SampleIndex.of(List.of(clip("a", 0, 0), clip("a", 1, 1))))
        .hasMessageContaining("'a'").hasMessageContaining("disagree");
  }

  @Test
  void argmaxTakesTheFirstOfTiedClasses() {
    assertThat(SampleIndex.argmax(new double[][] {{1, 1, 0}, {0, 2, 2}})).containsExactly(0, 1);
  }
}
