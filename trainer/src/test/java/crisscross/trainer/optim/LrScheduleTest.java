package crisscross.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
  @Test
  void warmsUpLinearlyPerIterationThenFollowsTheCosineToTheFinalLr() {
    OptimSettings s = OptimSettings.paper().withEpochs(10, 2).withLearningRates(2e-4, 1e-5, 2e-3);
    LrSchedule schedule = new LrSchedule(s, 5);
    assertThat(schedule.encoderLr(0)).isCloseTo(2e-4 / 10, within(1e-15));
    assertThat(schedule.encoderLr(4)).isCloseTo(2e-4 * 5 / 10, within(1e-15));
    assertThat(schedule.encoderLr(9)).isCloseTo(2e-4, within(1e-15));
    assertThat(schedule.encoderLr(10)).isCloseTo(2e-4, within(1e-15));
    assertThat(schedule.encoderLr(30)).isCloseTo(1e-5 + (2e-4 - 1e-5) * 0.5, within(1e-15));
    assertThat(schedule.encoderLr(49)).isGreaterThan(1e-5).isLessThan(1.1e-5);
    assertThat(schedule.encoderLr(50)).isEqualTo(1e-5);
    for (long i = 10; i < 49; i++) {
      assertThat(schedule.encoderLr(i + 1)).isLessThan(schedule.encoderLr(i));
    }
  }

  @Test
  void predictorsStayAtTheirConstantLr() {
    LrSchedule schedule = new LrSchedule(OptimSettings.paper(), 100);
    for (long i : new long[] {0, 1, 199, 5000, 9999}) {
      assertThat(schedule.lr(ParameterGroup.constant("video_predictor", 2e-3), i)).isEqualTo(2e-3);
      assertThat(schedule.lr(ParameterGroup.scheduled("video_encoder", 2e-4, 0), i))
          .isEqualTo(schedule.encoderLr(i));
    }
    assertThat(schedule.lr(ParameterGroup.scheduled("audio_encoder", 2e-4, 0), 0)).isEqualTo(2e-4 / 200);
    // A group's own rates follow the same warmup and cosine.
    assertThat(schedule.lr(ParameterGroup.scheduled("video_encoder", 1e-4, 0), 0)).isEqualTo(1e-4 / 200);
  }
}
