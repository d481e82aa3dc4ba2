package crisscross.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RelativePathsTest {
  @Test
  void normalizeResolvesDotsAndRefusesClimbingOut() {
    assertThat(RelativePaths.normalize("a/./b//c.mp4")).contains("a/b/c.mp4");
    assertThat(RelativePaths.normalize("a/../b.mp4")).contains("b.mp4");
    assertThat(RelativePaths.normalize("../b.mp4")).isEmpty();
    assertThat(RelativePaths.normalize("a/../../b.mp4")).isEmpty();
    assertThat(RelativePaths.normalize("a/..")).isEmpty();
    assertThat(RelativePaths.normalize("")).isEmpty();
  }

  @Test
  void partsOfAPath() {
    assertThat(RelativePaths.depth("a.mp4")).isEqualTo(1);
    assertThat(RelativePaths.depth("train/cls/a.mp4")).isEqualTo(3);
    assertThat(RelativePaths.name("train/cls/a.b.mp4")).isEqualTo("a.b.mp4");
    assertThat(RelativePaths.stem("train/cls/a.b.mp4")).isEqualTo("a.b");
    assertThat(RelativePaths.stem(".hidden")).isEqualTo(".hidden");
    assertThat(RelativePaths.parent("train/cls/a.mp4")).isEqualTo("train/cls");
    assertThat(RelativePaths.parent("a.mp4")).isEmpty();
    assertThat(RelativePaths.first("train/cls/a.mp4")).isEqualTo("train");
    assertThat(RelativePaths.join("", "a")).isEqualTo("a");
    assertThat(RelativePaths.join("x", "a")).isEqualTo("x/a");
  }

  @Test
  void hiddenSegmentsAreRecognised() {
    assertThat(RelativePaths.isHidden("cls/._clip.mp4")).isTrue();
    assertThat(RelativePaths.isHidden(".git/config")).isTrue();
    assertThat(RelativePaths.isHidden("cls/clip.mp4")).isFalse();
  }
}
