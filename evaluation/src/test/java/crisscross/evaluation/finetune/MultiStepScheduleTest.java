package crisscross.evaluation.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MultiStepScheduleTest {
  @Test
  void table11sUcf101ScheduleDecaysAtEachMilestone() {
    List<Integer> milestones = List.of(6, 10, 14);
    double[] expected = new double[20];
    for (int e = 0; e < 20; e++) {
      int passed = e >= 14 ? 3 : e >= 10 ? 2 : e >= 6 ? 1 : 0;
      expected[e] = 0.0005 * Math.pow(0.3, passed);
    }
    for (int e = 0; e < 20; e++) {
      assertThat(MultiStepSchedule.rate(0.0005, 0.3, milestones, e)).isCloseTo(expected[e], within(1e-18));
    }
    assertThat(MultiStepSchedule.rate(0.0005, 0.3, milestones, 5)).isEqualTo(0.0005);
    assertThat(MultiStepSchedule.rate(0.0005, 0.3, milestones, 6)).isCloseTo(0.00015, within(1e-15));
    assertThat(MultiStepSchedule.rate(1, 0.1, List.of(), 100)).isEqualTo(1.0);
  }
}
