package crisscross.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandIT {
  static final Pattern VIDEO = Pattern.compile(
      "v3 +frames (\\d+)-(\\d+)(?: every (\\d+)\\w\\w)? \\(([\\d.]+)-([\\d.]+) s\\), (as recorded|x\\d+|reversed|x\\d+ reversed)");
  static final Pattern AUDIO = Pattern.compile(
      "a3 +([\\d.]+)-([\\d.]+) s, (as recorded|(x(\\d+))?( ?reversed)?)(?: \\(resampled: pitch x(\\d+)\\))?");

  @TempDir Path dir;

  /**
   * The temporal method's clips of one sample: both pairs and a playback clip per modality, each written as an image
   * and captioned with its source span and transform; a video clip at speed s spans 7 s + 1 frames, an audio clip
   * s x 2 s of source.
   */
  @Test
  void showsEveryClipOfTheTemporalMethodCaptionedWithItsTransform() throws Exception {
    Path data = dir.resolve("corpus");
    assertThat(Main.run("synth", "--out", data.toString(), "--clips", "2", "--classes", "2", "--seconds", "4",
        "--width", "96", "--height", "72", "--fps", "16", "--seed", "5")).isZero();
    Path out = dir.resolve("views");

    int status = Main.run("inspect", "--data", data.toString(), "--out", out.toString(), "--set",
        "method=temporal-contrastive");

    assertThat(status).isZero();
    for (String image : List.of("v1", "v2", "v3", "a1", "a2", "a3")) {
      assertThat(out.resolve(image + ".png")).isRegularFile();
    }
    String text = Files.readString(out.resolve("views.txt"));
    assertThat(text).contains("temporal-contrastive").contains("v1           frames").contains("as recorded");
    Matcher video = VIDEO.matcher(text);
    assertThat(video.find()).as(text).isTrue();
    int speed = video.group(3) == null ? 1 : Integer.parseInt(video.group(3));
    assertThat(Integer.parseInt(video.group(2)) - Integer.parseInt(video.group(1))).isEqualTo(7 * speed);
    assertThat(video.group(6)).startsWith(speed == 1 ? "" : "x" + speed);
    Matcher audio = AUDIO.matcher(text);
    assertThat(audio.find()).as(text).isTrue();
    int audioSpeed = audio.group(5) == null ? 1 : Integer.parseInt(audio.group(5));
    assertThat(Double.parseDouble(audio.group(2)) - Double.parseDouble(audio.group(1)))
        .isCloseTo(2.0 * audioSpeed, org.assertj.core.api.Assertions.within(1e-3));
  }
}
