package crisscross.pipeline.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EpochPlanTest {
  @Test
  void anEpochOfDatasetSizeIsAPermutationAndDependsOnSeedAndEpoch() {
    EpochPlan plan = new EpochPlan(7, 0, 50, 50);
    Set<Integer> seen = new HashSet<>();
    int[] order = new int[50];
    for (int p = 0; p < 50; p++) {
      order[p] = plan.sampleAt(p);
      seen.add(order[p]);
    }
    assertThat(seen).hasSize(50);
    int[] sameAgain = new int[50];
    int[] nextEpoch = new int[50];
    int[] otherSeed = new int[50];
    for (int p = 0; p < 50; p++) {
      sameAgain[p] = new EpochPlan(7, 0, 50, 50).sampleAt(p);
      nextEpoch[p] = new EpochPlan(7, 1, 50, 50).sampleAt(p);
      otherSeed[p] = new EpochPlan(8, 0, 50, 50).sampleAt(p);
    }
    assertThat(sameAgain).isEqualTo(order);
    assertThat(nextEpoch).isNotEqualTo(order);
    assertThat(otherSeed).isNotEqualTo(order);
  }

  @Test
  void longerEpochsRevisitEverySampleWithDistinctDrawKeys() {
    EpochPlan plan = new EpochPlan(7, 3, 10, 25);
    int[] visits = new int[10];
    Set<Long> keys = new HashSet<>();
    for (int p = 0; p < 25; p++) {
      visits[plan.sampleAt(p)]++;
      keys.add(plan.drawKey(p));
    }
    for (int v : visits) {
      assertThat(v).isBetween(2, 3);
    }
    assertThat(keys).hasSize(25);
  }

  @Test
  void aChosenOrderIsVisitedAsGivenWithDistinctDrawKeysForRepeats() {
    int[] order = {4, 4, 0, 9, 4, 0};
    EpochPlan plan = EpochPlan.ofOrder(2, 10, order);
    assertThat(plan.size()).isEqualTo(6);
    Set<Long> keys = new HashSet<>();
    for (int p = 0; p < 6; p++) {
      assertThat(plan.sampleAt(p)).isEqualTo(order[p]);
      keys.add(plan.drawKey(p));
    }
    assertThat(keys).hasSize(6);
    // The first visit of a sample has the key a shuffled epoch gives it, the n-th visit that of round n.
    assertThat(plan.drawKey(0)).isEqualTo(4);
    assertThat(plan.drawKey(1)).isEqualTo(14);
    assertThat(plan.drawKey(4)).isEqualTo(24);
    assertThat(plan.drawKey(5)).isEqualTo(10);
    order[0] = 1;
    assertThat(plan.sampleAt(0)).as("the plan keeps its own copy").isEqualTo(4);
    assertThat(plan.sameVisits(EpochPlan.ofOrder(2, 10, new int[] {4, 4, 0, 9, 4, 0}))).isTrue();
    assertThat(plan.sameVisits(EpochPlan.ofOrder(2, 10, new int[] {4, 4, 0, 9, 4, 1}))).isFalse();
    assertThatThrownBy(() -> EpochPlan.ofOrder(2, 10, new int[] {3, 10}))
        .hasMessageContaining("sample 10").hasMessageContaining("dataset of 10");
  }
}
