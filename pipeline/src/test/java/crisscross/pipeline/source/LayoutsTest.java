package crisscross.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LayoutsTest {
  @Test
  void splitNamesAreCanonical() {
    assertThat(Layouts.normalizeSplit(" Training ")).isEqualTo("train");
    assertThat(Layouts.normalizeSplit("validate")).isEqualTo("val");
    assertThat(Layouts.normalizeSplit("evaluation")).isEqualTo("test");
    assertThat(Layouts.normalizeSplit("holdout")).isEqualTo("holdout");
  }

  @Test
  void listFileNamesImplyTheirSplit() {
    assertThat(Layouts.splitFromFileName("eval_segments.csv")).isEqualTo("test");
    assertThat(Layouts.splitFromFileName("meta/balanced_train_segments.csv")).isEqualTo("train");
    assertThat(Layouts.splitFromFileName("annotations/validate.csv")).isEqualTo("val");
    assertThat(Layouts.splitFromFileName("kinetics400_val.csv")).isEqualTo("val");
    assertThat(Layouts.splitFromFileName("trainlist01.txt")).isEqualTo("train");
    assertThat(Layouts.splitFromFileName("segments.csv")).isEmpty();
  }
}
