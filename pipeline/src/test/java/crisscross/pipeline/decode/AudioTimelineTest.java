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
  void aFrameWithoutATimestampIsTimedWhereTheCountedSamplesEnd() {
    AudioTimeline timeline = new AudioTimeline(16_000);
    timeline.skipped(20.0, 1024, 44_100, true);
    timeline.skipped(20.023, 1024, 44_100, true);

    assertThat(timeline.countedSeconds()).isEqualTo(20.0 + 2048 / 44_100.0);
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

  /**
   * A laced Matroska block: its first packet carries the block's (exact, millisecond) timestamp, FFmpeg gives the
   * others timestamps interpolated from millisecond-rounded durations, 2 ms for a 128-sample Vorbis packet at 44.1 kHz
   * (2.9 ms of sound). The lag is not a gap: nothing restarts, and every sample goes where the count says.
   */
  @Test
  void interpolatedTimestampsThatLagInsideALacedBlockAreNotGaps() {
    AudioTimeline timeline = new AudioTimeline(16_000);
    timeline.startRun(0, 44_100);
    long counted = 0;
    int[][] blocks = {{128, 128, 128, 128, 128, 128, 128, 128}, {128, 576, 1024, 1024, 1024, 1024, 1024, 1024},
        {1024, 576, 128, 128, 128, 128, 128, 128}};
    for (int[] block : blocks) {
      double blockTime = Math.round(counted * 1000.0 / 44_100) / 1000.0;
      double interpolated = blockTime;
      for (int packet = 0; packet < block.length; packet++) {
        assertThat(timeline.startsRun(interpolated, block[packet], 44_100))
            .as("packet %d at %.3f s, counted %.4f s", packet, interpolated, counted / 44_100.0).isFalse();
        timeline.consumed(block[packet]);
        counted += block[packet];
        interpolated += Math.floor(block[packet] * 1000.0 / 44_100) / 1000.0;
      }
    }
  }

  @Test
  void aTimestampFarBehindTheCountStartsANewRunAndOneAheadIsAGap() {
    AudioTimeline timeline = new AudioTimeline(16_000);
    timeline.startRun(10, 48_000);
    timeline.consumed(48_000);
    assertThat(timeline.startsRun(11 - AudioTimeline.MAX_LAG_SECONDS / 2, 1024, 48_000)).as("drift").isFalse();
    assertThat(timeline.startsRun(11 - 2 * AudioTimeline.MAX_LAG_SECONDS, 1024, 48_000)).as("a reset").isTrue();
    assertThat(timeline.startsRun(11 + 1024 / 48_000.0, 1024, 48_000)).as("a lost packet").isTrue();
  }

  /**
   * Frames before the window are only counted; the first one placed goes where the count from the run's truest start
   * says, not to its own timestamp, which inside a laced block lags (and would make the next exact one a gap).
   */
  @Test
  void framesBeforeTheWindowAreCountedAndTheExactTimestampsAmongThemFixTheStart() {
    AudioTimeline timeline = new AudioTimeline(16_000);
    // The first frame after a seek, mid-lace: 1 ms behind; then two exact block timestamps.
    timeline.skipped(4.001, 1024, 48_000, true);
    assertThat(timeline.placing()).isFalse();
    timeline.skipped(4.002 + 1024 / 48_000.0, 1024, 48_000, true);
    timeline.skipped(4.002 + 2048 / 48_000.0, 1024, 48_000, true);
    timeline.skipped(0, 1024, 48_000, false); // no timestamp: counted on
    assertThat(timeline.startsRun(4.0015 + 4096 / 48_000.0, 1024, 48_000)).as("a lagging frame to place").isFalse();
    timeline.placeFromCount();
    assertThat(timeline.placing()).isTrue();
    assertThat(timeline.position()).isEqualTo(Math.round((4.002 + 4096 / 48_000.0) * 16_000));
  }
}

