package crisscross.trainer.method.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.sample.ClipTiming;
import crisscross.pipeline.sample.Playback;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemporalLabelsTest {
  static final List<Integer> SPEEDS = List.of(1, 2, 4, 8);

  static ClipTiming at(double start, double span) {
    return new ClipTiming(Playback.NORMAL, start, span);
  }

  @Test
  void aClipIsLabelledWithTheSpeedItReallyPlaysAtAndItsDirection() {
    ClipTiming normal = new ClipTiming(Playback.NORMAL, 0.2, 0.5);
    ClipTiming fourTimesReversed = new ClipTiming(new Playback(4, true), 0.0, 4 * 0.4375 + 0.0625);
    // A drawn x8 that fell back to x2 plays at 2 and is labelled 2.
    ClipTiming fellBack = new ClipTiming(new Playback(8, false).fitted(20, 8, SPEEDS).orElseThrow(), 0, 15 / 16.0);
    ClipTiming[] clips = {normal, fourTimesReversed, fellBack};
    assertThat(TemporalLabels.speed(clips, SPEEDS)).containsExactly(
        1, 0, 0, 0,
        0, 0, 1, 0,
        0, 1, 0, 0);
    assertThat(TemporalLabels.direction(clips)).containsExactly(
        1, 0,
        0, 1,
        1, 0);
    assertThat(TemporalLabels.transformed(clips)).containsExactly(0, 1, 1);
    assertThatThrownBy(() -> TemporalLabels.speed(new ClipTiming[] {new ClipTiming(new Playback(3, false), 0, 1)},
        SPEEDS)).hasMessageContaining("speed 3, not one of the speed classes [1, 2, 4, 8]");
  }

  @Test
  void theOrderLabelSaysWhetherTheClipShownFirstIsTheEarlierAndOverlappingClipsHaveNone() {
    ClipTiming[] first = {at(0.0, 0.5), at(0.0, 0.5), at(0.0, 1.0), at(1.0, 0.5)};
    ClipTiming[] second = {at(2.0, 0.5), at(2.0, 0.5), at(0.5, 1.0), at(1.5, 0.5)};
    boolean[] swapped = {false, true, false, true};
    assertThat(TemporalLabels.order(first, second, swapped)).containsExactly(
        1, 0,
        0, 1,
        0, 0,
        0, 1);
  }

  @Test
  void theInterModalLabelSaysWhetherTheAudioComesAfterTheVideo() {
    ClipTiming[] v1 = {at(0.5, 0.5), at(0.5, 0.5)};
    ClipTiming[] v2 = {at(2.5, 0.5), at(2.5, 0.5)};
    ClipTiming[] a1 = {at(0.0, 2.0), at(0.0, 2.0)};
    ClipTiming[] a2 = {at(2.0, 2.0), at(2.0, 2.0)};
    // (v1, a2): audio after; (v2, a1): audio before.
    assertThat(TemporalLabels.interOrder(v1, v2, a1, a2, new boolean[] {false, true})).containsExactly(
        1, 0,
        0, 1);
    // An audio window holding the video clip gives no label.
    assertThat(TemporalLabels.interOrder(v1, v2, a1, a1, new boolean[] {false, false})).containsExactly(
        0, 0,
        0, 0);
  }
}
