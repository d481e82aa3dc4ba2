package crisscross.pipeline.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import crisscross.pipeline.decode.DecodeResult.Decoded;
import crisscross.pipeline.decode.DecodeResult.Skipped;
import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.synth.MediaWriter;
import crisscross.pipeline.synth.MediaWriter.Container;
import crisscross.pipeline.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 3 s windows from the middle of 30 s WebM files as video sites serve them (VP8 + Vorbis at 44.1 kHz, VP9 + Opus at
 * 48 kHz), written by FFmpeg's own muxer: each window must be complete at 16 kHz and sit where the sound is. The
 * sound is a train of 1 kHz bursts at irregular times, so a window's position is unambiguous to a millisecond or so.
 * The same files cut short, as an interrupted download leaves them, give truncated windows that say where they end.
 */
class WebmAudioTest {
  private static final int RATE = 16_000;
  private static final double SECONDS = 30;
  /** Burst k is centred at {@code FIRST_BURST + k * BURST_SPACING} (not a divisor of any window length). */
  private static final double FIRST_BURST = 0.1;
  private static final double BURST_SPACING = 0.213;
  private static final double BURST_SECONDS = 0.02;
  private static final double[] WINDOW_STARTS = {1.5, 4.321, 9.0, 12.5, 15.0, 17.77, 19.984, 20.0, 23.456, 26.9};

  @TempDir Path dir;

  private final ClipDecoder decoder = new ClipDecoder(DecodeSettings.defaults());

  /** The written sound at {@code t} seconds: Hann-shaped 1 kHz bursts, silence between. */
  private static double signal(double t) {
    double k = Math.rint((t - FIRST_BURST) / BURST_SPACING);
    double offset = t - (FIRST_BURST + k * BURST_SPACING);
    if (k < 0 || Math.abs(offset) >= BURST_SECONDS / 2) {
      return 0;
    }
    double hann = 0.5 + 0.5 * Math.cos(2 * Math.PI * offset / BURST_SECONDS);
    return 0.5 * hann * Math.sin(2 * Math.PI * 1000 * t);
  }

  private Path write(Container container, int sampleRate, int channels) throws IOException {
    Path file = dir.resolve(container.name().toLowerCase() + ".webm");
    int fps = 30;
    MediaWriter.Spec spec = new MediaWriter.Spec(container, 64, 48, fps, 2 * fps, 200_000, sampleRate, channels,
        128_000, false);
    byte[] black = new byte[64 * 48 * 3];
    try (MediaWriter writer = MediaWriter.open(file, spec)) {
      long written = 0;
      for (int k = 0; k < SECONDS * fps; k++) {
        writer.writeFrame(black);
        long until = Math.round((k + 1) / (double) fps * sampleRate);
        float[] interleaved = new float[(int) (until - written) * channels];
        for (int j = 0; j < until - written; j++) {
          float value = (float) signal((written + j) / (double) sampleRate);
          for (int c = 0; c < channels; c++) {
            interleaved[j * channels + c] = value;
          }
        }
        writer.writeAudio(interleaved, (int) (until - written));
        written = until;
      }
    }
    return file;
  }

  /**
   * Container timestamps are Matroska's milliseconds, so a window may sit up to 1 ms off; 2 ms allows for the codec's
   * rounding of the bursts' shape. A window short of samples is skipped as TRUNCATED_AUDIO and fails here.
   */
  @ParameterizedTest
  @CsvSource({"WEBM_VORBIS, 44100, 2", "WEBM_OPUS, 48000, 2", "WEBM_OPUS, 48000, 1"})
  void everyWindowFromTheMiddleIsCompleteAndInPlace(Container container, int sampleRate, int channels)
      throws IOException {
    Path clip = write(container, sampleRate, channels);
    for (double start : WINDOW_STARTS) {
      long first = Math.round(start * RATE);
      for (boolean withVideo : new boolean[] {false, true}) {
        DecodeRequest request = withVideo ? new DecodeRequest((long) Math.floor(start * 16), 48, first, 3 * RATE, 48)
            : DecodeRequest.audio(first, 3 * RATE);
        DecodeResult result = decoder.decode(clip, info -> request);
        assertThat(result).as("window from %.3f s (video too: %s)", start, withVideo).isInstanceOf(Decoded.class);
        float[] samples = ((Decoded) result).audio().orElseThrow().samples();
        assertThat(samples).hasSize(3 * RATE);
        SignalAlignment aligned = SignalAlignment.best(samples, first, RATE / 100, RATE, WebmAudioTest::signal);
        assertThat(aligned.correlation()).as("window from %.3f s matches the bursts", start).isGreaterThan(0.9);
        assertThat(Math.abs(aligned.shift())).as("window from %.3f s: offset in samples", start)
            .isLessThanOrEqualTo(2 * RATE / 1000);
      }
    }
  }

  /**
   * A file cut in half (about 15 s of sound left) decodes before the cut, and a window across the cut is
   * TRUNCATED_AUDIO saying where its samples stop: the cut, right after the samples it did decode, not the window's
   * start (what a seek landing late or a decoder's pre-roll would leave missing).
   */
  @ParameterizedTest
  @CsvSource({"WEBM_VORBIS, 44100", "WEBM_OPUS, 48000"})
  void aWindowAcrossTheCutOfATruncatedWebmSaysWhereItsSamplesStop(Container container, int sampleRate)
      throws IOException {
    Path cut = TestMedia.truncate(write(container, sampleRate, 2), 0.5);
    long first = 13 * RATE;

    DecodeResult before = decoder.decode(cut, info -> DecodeRequest.audio(2 * RATE, 3 * RATE));
    DecodeResult across = decoder.decode(cut, info -> DecodeRequest.audio(first, 3 * RATE));

    assertThat(before).isInstanceOf(Decoded.class);
    assertThat(across).isInstanceOf(Skipped.class);
    Skipped skipped = (Skipped) across;
    assertThat(skipped.reason()).isEqualTo(SkipReason.TRUNCATED_AUDIO);
    Matcher detail = Pattern.compile("(\\d+) of 48000 audio samples from 13\\.000 s decoded .*, the first missing one"
        + " at (\\d+\\.\\d{3}) s").matcher(skipped.detail());
    assertThat(detail.find()).as(skipped.detail()).isTrue();
    double stop = Double.parseDouble(detail.group(2));
    assertThat(stop).as("the cut lies inside the window").isStrictlyBetween(13.0, 16.0);
    assertThat(stop).isCloseTo((first + Integer.parseInt(detail.group(1))) / (double) RATE, within(0.001));
  }
}
