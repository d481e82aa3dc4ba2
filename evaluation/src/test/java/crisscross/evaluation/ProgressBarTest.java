package crisscross.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void aLineShowsCountRateAndTimeLeft() {
    assertThat(ProgressBar.render("video features", 50, 200, "clips", 10, false))
        .isEqualTo("video features [######..................] 50/200 clips, 5.0 clips/s, ETA 0:30");
    assertThat(ProgressBar.render("x", 0, 10, "clips", 0, false)).endsWith("0/10 clips, 0.0 clips/s, ETA --:--");
    assertThat(ProgressBar.render("x", 190, 200, "clips", 3725, true)).endsWith("done in 1:02:05");
  }

  @Test
  void withoutAConsoleALineIsWrittenAtEachTenth() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = ProgressBar.lines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    ProgressBar.Task task = bar.start("audio", 100, "clips");
    for (int i = 0; i < 100; i++) {
      task.advance(1);
    }
    task.finish();
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(11);
    assertThat(lines[0]).contains(" 0/100 clips");
    assertThat(lines[10]).contains("100/100 clips").contains("done in");
    assertThat(task.done()).isEqualTo(100);
  }
}
