package crisscross.pipeline.decode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AudioWindowTest {
  private static float[] ramp(int from, int length) {
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = from + i;
    }
    return values;
  }

  @Test
  void copiesThePartOfEachChunkInsideTheWindow() {
    AudioWindow window = new AudioWindow(10, 8);
    window.put(4, ramp(4, 8), 0, 8);
    window.put(12, ramp(12, 8), 0, 8);

    assertThat(window.complete()).isTrue();
    assertThat(window.filled()).isEqualTo(8);
    assertThat(window.samples(0, 8)).containsExactly(10, 11, 12, 13, 14, 15, 16, 17);
  }

  @Test
  void aGapIsNeverCountedEvenWhenLaterChunksArrive() {
    AudioWindow window = new AudioWindow(0, 10);
    window.put(0, ramp(0, 3), 0, 3);
    window.put(5, ramp(5, 5), 0, 5);

    assertThat(window.complete()).isTrue();
    assertThat(window.filled()).isEqualTo(8);
  }

  @Test
  void overlappingChunksAreCountedOnce() {
    AudioWindow window = new AudioWindow(0, 6);
    window.put(0, ramp(0, 4), 0, 4);
    window.put(2, ramp(102, 4), 0, 4);

    assertThat(window.filled()).isEqualTo(6);
    assertThat(window.samples(0, 6)).containsExactly(0, 1, 102, 103, 104, 105);
  }

  @Test
  void aWholeFileWindowGrowsAndRemembersWhereSoundStarted() {
    AudioWindow window = new AudioWindow(0, -1);
    for (int position = 17; position < 100_017; position += 1000) {
      window.put(position, ramp(position, 1000), 0, 1000);
    }

    assertThat(window.complete()).isFalse();
    assertThat(window.firstFilled()).isEqualTo(17);
    assertThat(window.span()).isEqualTo(100_017);
    assertThat(window.samples(99_000, 99_002)).containsExactly(99_000, 99_001);
  }

  @Test
  void theFirstMissingPositionIsWhereTheFirstGapOpened() {
    AudioWindow late = new AudioWindow(100, 10);
    late.put(103, ramp(103, 7), 0, 7);
    AudioWindow holed = new AudioWindow(100, 10);
    holed.put(100, ramp(100, 3), 0, 3);
    holed.put(105, ramp(105, 2), 0, 2);
    holed.put(108, ramp(108, 2), 0, 2);
    AudioWindow refilled = new AudioWindow(100, 10);
    refilled.put(100, ramp(100, 3), 0, 3);
    refilled.put(106, ramp(106, 4), 0, 4);
    refilled.put(103, ramp(103, 2), 0, 2);
    AudioWindow cut = new AudioWindow(100, 10);
    cut.put(98, ramp(98, 8), 0, 8);
    AudioWindow complete = new AudioWindow(100, 10);
    complete.put(96, ramp(96, 20), 0, 20);
    AudioWindow empty = new AudioWindow(100, 10);

    assertThat(late.firstMissing()).as("sound starting after the window's start").isZero();
    assertThat(holed.firstMissing()).as("two gaps").isEqualTo(3);
    assertThat(refilled.firstMissing()).as("a gap partly filled by a later chunk").isEqualTo(3);
    assertThat(cut.firstMissing()).as("sound ending inside the window").isEqualTo(6);
    assertThat(complete.firstMissing()).isEqualTo(-1);
    assertThat(empty.firstMissing()).isZero();
  }

  @Test
  void aWholeFileWindowIsMissingSamplesOnlyAfterItsFirstOne() {
    AudioWindow holed = new AudioWindow(0, -1);
    holed.put(40, ramp(40, 10), 0, 10);
    holed.put(55, ramp(55, 10), 0, 10);
    AudioWindow whole = new AudioWindow(0, -1);
    whole.put(40, ramp(40, 10), 0, 10);

    assertThat(holed.firstMissing()).isEqualTo(50);
    assertThat(whole.firstMissing()).as("where the samples stop").isEqualTo(50);
  }
}
