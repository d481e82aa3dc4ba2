package crisscross.trainer.method.xdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.random.SampleRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BalancedEpochTest {
  /** 100 samples: label 0 holds 90 of them, labels 1 and 2 five each; two samples have no label. */
  static int[] skewedLabels() {
    int[] labels = new int[102];
    for (int i = 0; i < 102; i++) {
      labels[i] = i < 90 ? 0 : i < 95 ? 1 : i < 100 ? 2 : -1;
    }
    return labels;
  }

  @Test
  void everyLabelIsEquallyLikelyWhateverTheClusterSizes() {
    int[] labels = skewedLabels();
    int[] order = BalancedEpoch.draw(List.of(labels), 99, SampleRandom.of(3));
    assertThat(order).hasSize(99);
    int[] perLabel = new int[3];
    Set<Integer> label0 = new HashSet<>();
    for (int index : order) {
      assertThat(labels[index]).as("an unlabelled sample is never drawn").isNotNegative();
      perLabel[labels[index]]++;
      if (labels[index] == 0) {
        label0.add(index);
      }
    }
    assertThat(perLabel).containsExactly(33, 33, 33);
    // The large cluster is drawn without replacement; the small ones with replacement (33 draws of 5 samples).
    assertThat(label0).hasSize(33);
  }

  @Test
  void theDrawIsAFunctionOfTheLabelsAndTheRandomStream() {
    int[] labels = skewedLabels();
    int[] once = BalancedEpoch.draw(List.of(labels), 60, SampleRandom.of(3).fork(1));
    assertThat(BalancedEpoch.draw(List.of(labels), 60, SampleRandom.of(3).fork(1))).isEqualTo(once);
    assertThat(BalancedEpoch.draw(List.of(labels), 60, SampleRandom.of(3).fork(2))).isNotEqualTo(once);
  }

  @Test
  void twoSpacesShareTheEpochEachBalancedOverItsOwnLabels() {
    // Space A splits samples 0..9 from 10..99; space B splits the even from the odd.
    int[] a = new int[100];
    int[] b = new int[100];
    for (int i = 0; i < 100; i++) {
      a[i] = i < 10 ? 0 : 1;
      b[i] = i % 2;
    }
    int[] order = BalancedEpoch.draw(List.of(a, b), 200, SampleRandom.of(5));
    assertThat(order).hasSize(200);
    long firstTen = java.util.Arrays.stream(order).filter(i -> i < 10).count();
    // Half the epoch (100 draws) gives A's small label 50; the other half draws 0..9 about 10 % of the time.
    assertThat(firstTen).isBetween(50L + 2, 50L + 20);
    long even = java.util.Arrays.stream(order).filter(i -> i % 2 == 0).count();
    assertThat(even).isBetween(80L, 120L);
  }

  @Test
  void aSpaceWithoutLabelsIsRefused() {
    assertThatThrownBy(() -> BalancedEpoch.draw(List.of(new int[] {-1, -1}), 4, SampleRandom.of(1)))
        .hasMessageContaining("no sample has a pseudo-label");
  }
}
