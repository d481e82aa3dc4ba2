package crisscross.pipeline.decode;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.testing.TestMedia;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeBenchmarkTest {
  @TempDir Path dir;

  @Test
  void decodesMildSizedWindowsOnEveryThreadAndCountsSkips() {
    Path a = TestMedia.video(64, 48, 25).seconds(4).writeTo(dir.resolve("a.mp4"));
    Path b = TestMedia.video(64, 48, 30).seconds(5).channels(2).writeTo(dir.resolve("b.mp4"));
    Path tooShort = TestMedia.video(64, 48, 25).seconds(2).writeTo(dir.resolve("short.mp4"));
    DecodeSettings settings = DecodeSettings.defaults().withShortSide(32);

    DecodeBenchmark.Result result = DecodeBenchmark.run(new ClipDecoder(settings), List.of(a, b, tooShort), 9, 2,
        DecodeBenchmark.mildSizedWindows(settings, 1));

    assertThat(result.decodes()).isEqualTo(9);
    assertThat(result.skipped()).isEqualTo(Map.of(SkipReason.TOO_SHORT, 3));
    assertThat(result.videoFrames()).isEqualTo(6 * 12);
    assertThat(result.audioSamples()).isEqualTo(6 * 48_000);
    assertThat(result.medianMillis()).isPositive().isLessThanOrEqualTo(result.p95Millis());
    assertThat(result.describe()).contains("9 decodes on 2 threads");
  }

  @Test
  void mildSizedWindowsLieInsideTheClipWithTheVideoInsideTheAudio() {
    DecodeSettings settings = DecodeSettings.defaults();
    MediaInfo info = new MediaInfo(4.2, true, true, 64, 48, 1, 25, 4.2, 4.1, 44_100, 2, false);
    DecodeBenchmark.Planner planner = DecodeBenchmark.mildSizedWindows(settings, 9);
    for (int n = 0; n < 200; n++) {
      DecodeRequest request = (DecodeRequest) planner.forDecode(n).apply(info);
      assertThat(request.audioSampleCount()).isEqualTo(48_000);
      assertThat(request.videoFrameCount()).isEqualTo(12);
      assertThat(request.audioStartSample() + request.audioSampleCount()).isLessThanOrEqualTo(4_1 * 1_600);
      double videoStart = request.videoStartFrame() / 16.0;
      double videoEnd = (request.videoStartFrame() + 12) / 16.0;
      assertThat(videoStart).isGreaterThanOrEqualTo(request.audioStartSample() / 16_000.0);
      assertThat(videoEnd).isLessThanOrEqualTo((request.audioStartSample() + 48_000) / 16_000.0);
    }
  }
}
