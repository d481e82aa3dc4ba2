package crisscross.pipeline.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameSizeTest {
  @Test
  void theShortSideIsSetAndTheLongSideKeepsTheAspectRatio() {
    assertThat(FrameSize.withShortSide(320, 240, 1, 128)).isEqualTo(new FrameSize(171, 128));
    assertThat(FrameSize.withShortSide(1920, 1080, 1, 128)).isEqualTo(new FrameSize(228, 128));
    assertThat(FrameSize.withShortSide(240, 320, 1, 128)).isEqualTo(new FrameSize(128, 171));
    assertThat(FrameSize.withShortSide(128, 128, 1, 112)).isEqualTo(new FrameSize(112, 112));
  }

  @Test
  void smallVideoIsEnlargedSoThatCropsFit() {
    assertThat(FrameSize.withShortSide(64, 48, 1, 128)).isEqualTo(new FrameSize(171, 128));
  }

  @Test
  void nonSquarePixelsAreStretchedToTheDisplayedShape() {
    // PAL DVD 16:9: 720x576 coded, pixels 64/45 wide, displayed 1024x576.
    assertThat(FrameSize.withShortSide(720, 576, 64.0 / 45, 128)).isEqualTo(new FrameSize(228, 128));
    // An unknown pixel aspect ratio (0) counts as square.
    assertThat(FrameSize.withShortSide(720, 576, 0, 128)).isEqualTo(new FrameSize(160, 128));
  }

  @Test
  void emptySizesAreRefused() {
    assertThatThrownBy(() -> FrameSize.withShortSide(0, 48, 1, 128)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FrameSize(10, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
