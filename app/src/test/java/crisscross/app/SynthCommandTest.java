package crisscross.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {
  @TempDir Path dir;

  @Test
  void writesACorpusWithItsManifest() throws Exception {
    Path out = dir.resolve("corpus");

    int status = Main.run("synth", "--out", out.toString(), "--clips", "4", "--classes", "2", "--seconds", "1",
        "--width", "32", "--height", "24", "--fps", "8", "--seed", "3");

    assertThat(status).isZero();
    List<String> manifest = Files.readAllLines(out.resolve("manifest.csv"));
    assertThat(manifest).hasSize(5).first().isEqualTo("path,label,split");
    for (String line : manifest.subList(1, 5)) {
      assertThat(out.resolve(line.split(",")[0])).isRegularFile();
    }
  }

  @Test
  void aFolderHoldingOtherFilesIsAUserError() throws Exception {
    Files.writeString(dir.resolve("thesis.tex"), "precious");

    int status = Main.run("synth", "--out", dir.toString(), "--clips", "4", "--classes", "2");

    assertThat(status).isEqualTo(2);
    assertThat(dir.resolve("thesis.tex")).hasContent("precious");
    assertThat(dir.resolve("manifest.csv")).doesNotExist();
  }

  @Test
  void impossibleSettingsAreAUserError() {
    assertThat(Main.run("synth", "--out", dir.resolve("x").toString(), "--classes", "1")).isEqualTo(2);
    assertThat(Main.run("synth", "--out", dir.resolve("y").toString(), "--width", "33")).isEqualTo(2);
  }
}
