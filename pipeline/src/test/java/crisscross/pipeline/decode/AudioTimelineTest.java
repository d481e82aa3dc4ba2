package crisscross.pipeline.decode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AudioTimelineTest {
  @Test
  void contiguousFramesArePlacedBySampleCountNotByRoundedTimestamps() {
    AudioTimeline timeline = new AudioTimeline(16_000);
    assertThat(timeline.startsRun(1.0, 1024, 44_100)).isTrue();
    timeline.startRun(1.0, 44_100);
    long first = timeline.position();
    int placed = 0;
    for (int frame = 0; frame < 100; frame++) {
      // Millisecond timestamps, as Matroska stores them.
      double rounded = Math.floor((1.0 + frame * 1024 / 44_100.0) * 1000) / 1000;
      assertThat(timeline.startsRun(rounded, 1024, 44_100)).as("frame %d", frame).isFalse();
      timeline.consumed(1024);
      timeline.advance(371);
      placed += 371;
    }
    assertThat(first).isEqualTo(16_000);
    assertThat(timeline.position()).isEqualTo(16_000 + placed);
  }

  @Test
  void aMissingFrameStartsANewRunAtItsOwnTime() {
    AudioTimeline timeline = new AudioTimeline(16_000);
    timeline.startRun(0, 48_000);
    timeline.consumed(1024);
    timeline.advance(341);

    double afterAGap = 2 * 1024 / 48_000.0;
    assertThat(timeline.startsRun(afterAGap, 1024, 48_000)).isTrue();
    timeline.startRun(afterAGap, 48_000);
    assertThat(timeline.position()).isEqualTo(Math.round(afterAGap * 16_000));
    assertThat(timeline.firstRunPosition()).isZero();
  }

  @Test
  void aChangeOfSampleRateStartsANewRun() {
    AudioTimeline timeline = new AudioTimeline(16_000);
    timeline.startRun(0, 48_000);
    timeline.consumed(1024);

    assertThat(timeline.startsRun(1024 / 48_000.0, 1024, 44_100)).isTrue();
  }
}
