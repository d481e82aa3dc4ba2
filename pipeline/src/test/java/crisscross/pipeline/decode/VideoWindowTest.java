package crisscross.pipeline.decode;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.media.VideoFrames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VideoWindowTest {
  /** Frames of one float each holding the source frame's number, with a log of the conversions done. */
  private static final class Source {
    final List<Integer> converted = new ArrayList<>();

    /** Feeds frames 0..n-1 at {@code fps} until the window is complete or the source ends. */
    void play(VideoWindow window, double fps, int n) {
      for (int i = 0; i < n && !window.complete(); i++) {
        int held = i - 1;
        window.next(i / fps, 1 / fps, pixels(held));
      }
      if (!window.complete()) {
        window.finish(pixels(n - 1));
      }
    }

    VideoWindow.Pixels pixels(int frame) {
      return (rgb, offset) -> {
        converted.add(frame);
        rgb[offset] = frame;
      };
    }
  }

  private static int[] numbers(VideoFrames frames) {
    int[] numbers = new int[frames.frames()];
    for (int k = 0; k < numbers.length; k++) {
      numbers[k] = (int) frames.rgb()[k * 3];
    }
    return numbers;
  }

  @Test
  void picksTheFrameDisplayedAtEachTargetTime() {
    VideoWindow window = new VideoWindow(0, 8, 16, 3, true);
    Source source = new Source();

    source.play(window, 25, 100);

    assertThat(window.filled()).isEqualTo(8);
    // 25 fps frames shown at k/16 s: floor(k * 25 / 16).
    assertThat(numbers(window.frames(0, 8, 1, 1))).containsExactly(0, 1, 3, 4, 6, 7, 9, 10);
  }

  @Test
  void aFrameCoveringSeveralTargetsIsConvertedOnceAndFramesBetweenTargetsNever() {
    VideoWindow slow = new VideoWindow(0, 8, 16, 3, true);
    Source eightFps = new Source();
    eightFps.play(slow, 8, 100);
    assertThat(numbers(slow.frames(0, 8, 1, 1))).containsExactly(0, 0, 1, 1, 2, 2, 3, 3);
    assertThat(eightFps.converted).containsExactly(0, 1, 2, 3);

    VideoWindow fast = new VideoWindow(4, 3, 16, 3, true);
    Source sixtyFps = new Source();
    sixtyFps.play(fast, 60, 1000);
    assertThat(numbers(fast.frames(0, 3, 1, 1))).containsExactly(15, 18, 22);
    assertThat(sixtyFps.converted).containsExactly(15, 18, 22);
  }

  @Test
  void stopsWantingFramesOnceAFrameAfterTheWindowArrives() {
    VideoWindow window = new VideoWindow(16, 4, 16, 3, true);
    int fed = 0;
    for (int i = 0; !window.complete(); i++) {
      window.next(i / 30.0, 1 / 30.0, (rgb, offset) -> { });
      fed++;
    }
    // Targets end at 19/16 s = 1.1875 s, i.e. source frame 35; frame 36 (1.2 s) tells that 35 ends there.
    assertThat(fed).isEqualTo(37);
  }

  @Test
  void theLastFrameStaysOnScreenForItsDurationAtTheEnd() {
    VideoWindow window = new VideoWindow(14, 4, 16, 3, true);
    new Source().play(window, 10, 10);

    // Frame 9 is shown from 0.9 s to 1.0 s: it covers 15/16 s but not 16/16 s and later.
    assertThat(window.filled()).isEqualTo(2);
    assertThat(numbers(window.frames(0, 2, 1, 1))).containsExactly(8, 9);
  }

  @Test
  void missingFramesLeaveHolesThatAreCounted() {
    VideoWindow window = new VideoWindow(0, 8, 16, 3, false);
    Source source = new Source();
    // The stream starts at 0.2 s (targets 0-3 have nothing shown) and is then continuous.
    for (int i = 0; i < 20; i++) {
      double time = 0.2 + i / 25.0;
      window.next(time, 1 / 25.0, source.pixels((i - 1)));
    }

    assertThat(window.filled()).isEqualTo(4);
    assertThat(window.firstFilled()).isEqualTo(4);
  }

  @Test
  void fromTheStartOfAFileTheFirstFrameAlsoCoversTheMomentBeforeIt() {
    VideoWindow window = new VideoWindow(0, 2, 16, 3, true);
    Source source = new Source();
    // A stream at about 33 fps whose first frame comes 30 ms after the start of the file.
    window.next(0.03, 0.03, source.pixels(-1));
    window.next(0.06, 0.03, source.pixels(0));
    window.next(0.09, 0.03, source.pixels(1));

    assertThat(window.filled()).isEqualTo(2);
    assertThat(numbers(window.frames(0, 2, 1, 1))).containsExactly(0, 1);
  }

  @Test
  void timestampsRoundedBelowATargetStillCountAsDisplayedAtIt() {
    VideoWindow window = new VideoWindow(8, 1, 16, 3, false);
    Source source = new Source();
    window.next(0.4, 0.1, source.pixels(-1));
    window.next(0.5000004, 0.1, source.pixels(0));
    window.next(0.6, 0.1, source.pixels(1));

    assertThat(numbers(window.frames(0, 1, 1, 1))).containsExactly(1);
  }

  @Test
  void aWholeFileWindowGrowsUntilTheStreamEnds() {
    VideoWindow window = new VideoWindow(0, -1, 16, 3, true);
    new Source().play(window, 25, 250);

    assertThat(window.span()).isEqualTo(160);
    assertThat(window.filled()).isEqualTo(160);
    VideoFrames frames = window.frames(0, 160, 1, 1);
    assertThat(frames.rgb()[159 * 3]).isEqualTo(248f);
    assertThat(frames.timestamps()[159]).isEqualTo(248 / 25.0);
  }
}
