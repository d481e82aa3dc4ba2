package crisscross.evaluation.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import crisscross.pipeline.random.SampleRandom;
import org.junit.jupiter.api.Test;

class ClipPlanTest {
  @Test
  void uniformClipsRunFromTheStartToTheEndAsLinspace() {
    assertThat(ClipPlan.uniform(10.0, 2.0, 5)).containsExactly(0.0, 2.0, 4.0, 6.0, 8.0);
    assertThat(ClipPlan.uniform(4.0, 0.5, 10)[9]).isCloseTo(3.5, within(1e-12));
    assertThat(ClipPlan.uniform(5.0, 2.0, 1)).containsExactly(1.5);
    assertThat(ClipPlan.uniform(2.0, 2.0, 3)).containsExactly(0.0, 0.0, 0.0);
  }

  @Test
  void randomClipsStayInsideTheSampleAndFollowTheGenerator() {
    double[] a = ClipPlan.random(4.0, 0.5, 200, SampleRandom.of(3));
    double[] b = ClipPlan.random(4.0, 0.5, 200, SampleRandom.of(3));
    double[] c = ClipPlan.random(4.0, 0.5, 200, SampleRandom.of(4));
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
    double min = Double.MAX_VALUE;
    double max = 0;
    for (double start : a) {
      assertThat(start).isBetween(0.0, 3.5);
      min = Math.min(min, start);
      max = Math.max(max, start);
    }
    assertThat(min).as("spread over the room").isLessThan(0.5);
    assertThat(max).isGreaterThan(3.0);
  }

  @Test
  void aSampleShorterThanItsClipIsRefused() {
    assertThatThrownBy(() -> ClipPlan.uniform(1.9, 2.0, 10)).hasMessageContaining("cannot hold");
    assertThatThrownBy(() -> ClipPlan.uniform(3, 2.0, 0)).hasMessageContaining("at least one clip");
  }

  @Test
  void windowsAreCentredInTheirSpanOnTheirOwnGrid() {
    // An 8-frame clip at 16 fps (0.5 s) centred in a 2 s span starting at 1 s: 1.75 s = frame 28.
    assertThat(ClipPlan.windowStart(1.0, 2.0, 8, 16, 64)).isEqualTo(28);
    // The audio of the same span fills it: sample 16000.
    assertThat(ClipPlan.windowStart(1.0, 2.0, 32_000, 16_000, 64_000)).isEqualTo(16_000);
    // Rounding past the end is pulled back inside the stream.
    assertThat(ClipPlan.windowStart(3.5, 0.5, 8, 16, 63)).isEqualTo(55);
    assertThatThrownBy(() -> ClipPlan.windowStart(0, 1, 20, 16, 19)).hasMessageContaining("does not fit");
  }
}
