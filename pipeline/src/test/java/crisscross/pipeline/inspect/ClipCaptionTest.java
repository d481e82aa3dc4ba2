package crisscross.pipeline.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.sample.ClipTiming;
import crisscross.pipeline.sample.Playback;
import org.junit.jupiter.api.Test;

class ClipCaptionTest {
  @Test
  void eachClipIsCaptionedWithItsSourceSpanAndTransform() {
    assertThat(ClipCaption.video("v1", 16, new ClipTiming(Playback.NORMAL, 1.0, 0.5), 8))
        .isEqualTo("v1           frames 16-23 (1.000-1.500 s), as recorded");
    assertThat(ClipCaption.video("v3", 12, new ClipTiming(new Playback(8, true), 0.75, 57 / 16.0), 8))
        .isEqualTo("v3           frames 12-68 every 8th (0.750-4.313 s), x8 reversed");
    assertThat(ClipCaption.video("v3", 0, new ClipTiming(new Playback(2, false), 0, 15 / 16.0), 8))
        .isEqualTo("v3           frames 0-14 every 2nd (0.000-0.938 s), x2");
    assertThat(ClipCaption.audio("a3", new ClipTiming(new Playback(1, true), 0.25, 2.0)))
        .isEqualTo("a3           0.250-2.250 s, reversed");
    assertThat(ClipCaption.audio("a3", new ClipTiming(new Playback(2, true), 0.25, 4.0)))
        .isEqualTo("a3           0.250-4.250 s, x2 reversed (resampled: pitch x2)");
  }
}
