package crisscross.pipeline.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import crisscross.pipeline.decode.DecodeResult.Decoded;
import crisscross.pipeline.decode.DecodeResult.Skipped;
import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.media.VideoFrames;
import crisscross.pipeline.synth.MediaWriter.Container;
import crisscross.pipeline.testing.TestMedia;
import crisscross.pipeline.testing.TestMedia.Picture;
import crisscross.pipeline.testing.TestMedia.Tone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClipDecoderTest {
  private static final int FPS = 16;
  private static final int RATE = 16_000;

  @TempDir Path dir;

  private final ClipDecoder decoder = new ClipDecoder(DecodeSettings.defaults());

  private static Decoded decoded(DecodeResult result) {
    assertThat(result).isInstanceOf(Decoded.class);
    return (Decoded) result;
  }

  private static Skipped skipped(DecodeResult result) {
    assertThat(result).isInstanceOf(Skipped.class);
    return (Skipped) result;
  }

  /** Index of the source frame displayed at {@code seconds} in a video at {@code fps}. */
  private static int displayedAt(double seconds, double fps) {
    return (int) Math.floor(seconds * fps + 1e-9);
  }

  @ParameterizedTest
  @ValueSource(doubles = {25, 30, 30000.0 / 1001, 12})
  void eachOutputFrameIsTheSourceFrameDisplayedAtItsGridTime(double sourceFps) {
    Path clip = TestMedia.video(64, 48, sourceFps).seconds(3).noAudio().writeTo(dir.resolve("clip.mp4"));

    VideoFrames video = decoded(decoder.decode(clip, info -> DecodeRequest.video(0, 48, 48))).video().orElseThrow();

    assertThat(video.frames()).isEqualTo(48);
    for (int k = 0; k < 48; k++) {
      assertThat(TestMedia.frameNumber(video, k)).as("output frame %d at %.4f s", k, k / (double) FPS)
          .isEqualTo(displayedAt(k / (double) FPS, sourceFps));
      assertThat(video.timestamps()[k]).isCloseTo(displayedAt(k / (double) FPS, sourceFps) / sourceFps,
          within(1e-5));
    }
  }

  @ParameterizedTest
  @CsvSource({"25, 44100, 1, MP4", "30, 48000, 2, MP4", "29.97002997, 22050, 2, MP4", "25, 48000, 2, MKV",
      "30, 44100, 2, WEBM_VORBIS", "30, 48000, 2, WEBM_OPUS"})
  void aWindowAfterASeekHoldsTheFramesAndSamplesOfItsTime(double sourceFps, int sampleRate, int channels,
      Container container) {
    Path clip = TestMedia.video(64, 48, sourceFps).seconds(5).sampleRate(sampleRate).channels(channels)
        .container(container).writeTo(dir.resolve("clip." + container.name().toLowerCase()));
    long audioStart = 2 * RATE + 123;
    DecodeRequest request = new DecodeRequest(45, 12, audioStart, 3 * RATE - 123, 48);

    Decoded result = decoded(decoder.decode(clip, info -> request));

    VideoFrames video = result.video().orElseThrow();
    assertThat(video.frames()).isEqualTo(12);
    for (int k = 0; k < 12; k++) {
      assertThat(TestMedia.frameNumber(video, k)).isEqualTo(displayedAt((45 + k) / (double) FPS, sourceFps));
    }
    AudioSamples audio = result.audio().orElseThrow();
    assertThat(audio.samples()).hasSize(3 * RATE - 123);
    assertThat(audio.sampleRate()).isEqualTo(RATE);
    assertThat(audio.startSeconds()).isEqualTo(audioStart / (double) RATE);
    // Audio is placed from packet timestamps: to the sample in MP4, to Matroska's millisecond otherwise.
    int shift = bestShift(audio);
    assertThat(Math.abs(shift)).isLessThanOrEqualTo(container == Container.MP4 ? 1 : RATE / 2000);
    assertThat(Tone.STEPS.correlation(audio.samples(), audio.startSeconds() + shift / (double) RATE, RATE))
        .isGreaterThan(0.98);
    assertThat(Tone.STEPS.correlation(audio.samples(), audio.startSeconds() + shift / (double) RATE + 0.002, RATE))
        .as("the same samples taken as 2 ms later").isLessThan(0.5);
  }

  /** The offset in samples (within 2 ms) at which decoded audio best matches the tone. */
  private static int bestShift(AudioSamples audio) {
    int best = 0;
    double bestCorrelation = -2;
    for (int shift = -RATE / 500; shift <= RATE / 500; shift++) {
      double c = Tone.STEPS.correlation(audio.samples(), audio.startSeconds() + shift / (double) RATE, RATE);
      if (c > bestCorrelation) {
        bestCorrelation = c;
        best = shift;
      }
    }
    return best;
  }

  /**
   * WebM as video sites serve it, which FFmpeg's muxer cannot write (so the file is committed, made by
   * tools/media/make_laced_vorbis_webm.sh): libvorbis audio of short and long blocks, eight packets laced to a
   * Matroska block. Only a block's first packet has a stored timestamp; FFmpeg interpolates the rest from
   * millisecond-rounded durations, lagging by up to a millisecond a packet. Every window used to come out 1-3 %
   * short (TRUNCATED_AUDIO, 47705 of 48000 samples); now each is complete and its samples sit where the signal
   * says, within Matroska's millisecond and the 2 ms FFmpeg gives Vorbis's priming packet: 3 ms, a tenth of a frame.
   */
  @Test
  void everyWindowOfALacedVorbisWebmIsCompleteAndInPlace() throws Exception {
    Path clip = Path.of(ClipDecoderTest.class.getResource("/media/laced-vorbis.webm").toURI());
    for (double start = 0; start <= 9; start += 0.25) {
      long first = Math.round(start * RATE);
      DecodeResult result = decoder.decode(clip, info -> new DecodeRequest(0, 0, first, 3 * RATE, 1));
      assertThat(result).as("window from %.2f s", start).isInstanceOf(Decoded.class);
      float[] samples = ((Decoded) result).audio().orElseThrow().samples();
      assertThat(samples).hasSize(3 * RATE);
      SignalAlignment aligned = SignalAlignment.best(samples, first, 4 * RATE / 1000, RATE,
          ClipDecoderTest::chirpSignal);
      assertThat(aligned.correlation()).as("window from %.2f s matches the signal", start).isGreaterThan(0.95);
      assertThat(Math.abs(aligned.shift())).as("window from %.2f s: offset in samples", start)
          .isLessThanOrEqualTo(3 * RATE / 1000);
    }
  }

  /** The fixture's signal at time t: a chirp with a 3 kHz click every 0.37 s. */
  private static double chirpSignal(double t) {
    return 0.3 * Math.sin(2 * Math.PI * (300 * t + 25 * t * t))
        + (t % 0.37 < 0.01 ? 0.6 * Math.sin(2 * Math.PI * 3000 * t) : 0);
  }

  @Test
  void seekingChangesNothingComparedWithDecodingFromTheStart() {
    // At 32 kHz every AAC frame starts on a sample of the 16 kHz grid; at other rates a run of audio is placed to
    // the nearest grid sample (within 31 us), which shifts the resampled values slightly.
    Path clip = TestMedia.video(64, 48, 25).seconds(5).keyframeInterval(10).sampleRate(32_000)
        .writeTo(dir.resolve("clip.mp4"));
    Decoded whole = decoded(decoder.decodeWhole(clip, true, true, 48));
    Decoded window = decoded(decoder.decode(clip, info -> new DecodeRequest(50, 12, 45_000, 20_000, 48)));

    VideoFrames expected = whole.video().orElseThrow().slice(50, 62);
    assertThat(window.video().orElseThrow().rgb()).isEqualTo(expected.rgb());
    assertThat(window.video().orElseThrow().timestamps()).isEqualTo(expected.timestamps());
    float[] fromStart = whole.audio().orElseThrow().slice(45_000, 65_000).samples();
    float[] afterSeek = window.audio().orElseThrow().samples();
    for (int i = 0; i < fromStart.length; i++) {
      assertThat(afterSeek[i]).as("sample %d", i).isCloseTo(fromStart[i], within(2e-3f));
    }
  }

  @Test
  void aWindowAtTheVeryEndOfTheFileIsComplete() {
    Path clip = TestMedia.video(64, 48, 30).seconds(4).writeTo(dir.resolve("clip.mp4"));

    Decoded result = decoded(decoder.decode(clip, info -> new DecodeRequest(4 * FPS - 12, 12, RATE, 3 * RATE, 48)));

    VideoFrames video = result.video().orElseThrow();
    assertThat(TestMedia.frameNumber(video, 11)).isEqualTo(displayedAt((4 * FPS - 1) / (double) FPS, 30));
    assertThat(result.audio().orElseThrow().samples()).hasSize(3 * RATE);
  }

  @Test
  void framesAreResizedToTheShortSideKeepingAspectRatioAndColour() {
    Path landscape = TestMedia.video(64, 48, 25).seconds(1).picture(Picture.SOLID_COLOUR).noAudio()
        .writeTo(dir.resolve("landscape.mp4"));
    Path portrait = TestMedia.video(48, 64, 25).seconds(1).noAudio().writeTo(dir.resolve("portrait.mp4"));

    VideoFrames wide = decoded(decoder.decode(landscape, info -> DecodeRequest.video(0, 16, 32))).video()
        .orElseThrow();
    VideoFrames tall = decoded(decoder.decode(portrait, info -> DecodeRequest.video(0, 4, 36))).video()
        .orElseThrow();

    assertThat(wide.width()).isEqualTo(43);
    assertThat(wide.height()).isEqualTo(32);
    assertThat(tall.width()).isEqualTo(36);
    assertThat(tall.height()).isEqualTo(48);
    for (int k = 0; k < 16; k++) {
      float[] expected = TestMedia.colourOf(displayedAt(k / (double) FPS, 25));
      float[] actual = TestMedia.meanColour(wide, k, Picture.SOLID_COLOUR);
      for (int c = 0; c < 3; c++) {
        assertThat(actual[c]).as("frame %d channel %d", k, c).isCloseTo(expected[c], within(0.04f));
      }
    }
    assertThat(TestMedia.frameNumber(tall, 3)).isEqualTo(displayedAt(3 / 16.0, 25));
  }

  @Test
  void stereoIsAveragedToMonoNotMixedLouder() {
    Path clip = TestMedia.audio(Container.WAV).seconds(1).channels(2).sampleRate(48_000)
        .writeTo(dir.resolve("stereo.wav"));

    float[] samples = decoded(decoder.decodeAudio(clip)).audio().orElseThrow().samples();

    double energy = 0;
    for (float s : samples) {
      energy += s * (double) s;
    }
    double rms = Math.sqrt(energy / samples.length);
    assertThat(rms).isCloseTo(Tone.STEPS.amplitude() / Math.sqrt(2), within(0.01));
  }

  @ParameterizedTest
  @EnumSource(value = Container.class, names = {"WAV", "FLAC", "MP3", "MP4"})
  void audioOnlyFilesDecodeWhole(Container container) {
    Path file = TestMedia.audio(container).seconds(2.5).channels(2).sampleRate(44_100)
        .writeTo(dir.resolve("audio." + container.name().toLowerCase()));

    Decoded result = decoded(decoder.decodeAudio(file));

    assertThat(result.info().hasVideo()).isFalse();
    assertThat(result.video()).isEmpty();
    AudioSamples audio = result.audio().orElseThrow();
    assertThat(audio.startSeconds()).isZero();
    // AAC pads its last frame, so its decoded track may run a few milliseconds long.
    assertThat(audio.samples().length).isBetween(40_000, 40_000 + 160);
    assertThat(Tone.STEPS.correlation(audio.samples(), 0, RATE)).isGreaterThan(0.99);
  }

  @ParameterizedTest
  @EnumSource(value = Container.class, names = {"WAV", "MP3"})
  void anAudioWindowEndingWithTheFileIsComplete(Container container) {
    Path file = TestMedia.audio(container).seconds(2.5).sampleRate(22_050)
        .writeTo(dir.resolve("audio." + container.name().toLowerCase()));

    AudioSamples audio = decoded(decoder.decode(file, info -> DecodeRequest.audio(RATE, 3 * RATE / 2))).audio()
        .orElseThrow();

    assertThat(audio.samples()).hasSize(3 * RATE / 2);
    assertThat(Tone.STEPS.correlation(audio.samples(), 1.0, RATE)).isGreaterThan(0.99);
  }

  @Test
  void anEmptyRequestReadsTheFilesInformation() {
    Path clip = TestMedia.video(64, 48, 25).seconds(3).channels(2).writeTo(dir.resolve("clip.mp4"));

    Decoded result = decoded(decoder.decode(clip, info -> new DecodeRequest(0, 0, 0, 0, 1)));

    MediaInfo info = result.info();
    assertThat(info.durationSeconds()).isCloseTo(3.0, within(0.03));
    assertThat(info.videoSeconds()).isCloseTo(3.0, within(1e-6));
    assertThat(info.hasVideo()).isTrue();
    assertThat(info.hasAudio()).isTrue();
    assertThat(info.width()).isEqualTo(64);
    assertThat(info.height()).isEqualTo(48);
    assertThat(info.frameRate()).isEqualTo(25.0);
    assertThat(info.sampleRate()).isEqualTo(44_100);
    assertThat(info.channels()).isEqualTo(2);
    assertThat(result.video()).isEmpty();
    assertThat(result.audio()).isEmpty();
  }

  @Test
  void aWholeDecodeHoldsEveryGridFrameOfTheVideo() {
    Path clip = TestMedia.video(64, 48, 25).seconds(3).writeTo(dir.resolve("clip.mp4"));

    Decoded result = decoded(decoder.decodeWhole(clip, true, true, 48));

    VideoFrames video = result.video().orElseThrow();
    assertThat(video.frames()).isEqualTo(3 * FPS);
    assertThat(TestMedia.frameNumber(video, 3 * FPS - 1)).isEqualTo(displayedAt(47 / 16.0, 25));
    assertThat(result.audio().orElseThrow().samples().length).isBetween(3 * RATE, 3 * RATE + 400);
  }

  @Test
  void thePlannersReasonToSkipIsPassedOn() {
    Path clip = TestMedia.video(64, 48, 25).seconds(1).writeTo(dir.resolve("clip.mp4"));

    Skipped result = skipped(decoder.decode(clip, info -> DecodePlan.skip(SkipReason.TOO_SHORT,
        info.durationSeconds() + " s")));

    assertThat(result.reason()).isEqualTo(SkipReason.TOO_SHORT);
    assertThat(result.detail()).isEqualTo("1.0 s");
  }

  @Test
  void aMissingStreamIsSkippedWithItsReason() {
    Path silent = TestMedia.video(64, 48, 25).seconds(1).noAudio().writeTo(dir.resolve("silent.mp4"));
    Path sound = TestMedia.audio(Container.WAV).seconds(1).writeTo(dir.resolve("sound.wav"));

    assertThat(skipped(decoder.decode(silent, info -> new DecodeRequest(0, 4, 0, 100, 32))).reason())
        .isEqualTo(SkipReason.NO_AUDIO);
    assertThat(skipped(decoder.decode(sound, info -> DecodeRequest.video(0, 4, 32))).reason())
        .isEqualTo(SkipReason.NO_VIDEO);
    assertThat(skipped(decoder.decodeAudio(silent)).reason()).isEqualTo(SkipReason.NO_AUDIO);
    assertThat(decoded(decoder.decode(silent, info -> DecodeRequest.video(0, 4, 32))).video()).isPresent();
  }

  @Test
  void filesThatAreNotMediaAreUnreadable() throws Exception {
    Path garbage = TestMedia.garbage(dir.resolve("garbage.mp4"), 4096, 1);
    Path empty = Files.createFile(dir.resolve("empty.mp4"));
    Path missing = dir.resolve("missing.mp4");
    Path cut = TestMedia.truncate(TestMedia.video(64, 48, 25).seconds(2).writeTo(dir.resolve("cut.mp4")), 0.7);

    for (Path file : new Path[] {garbage, empty, missing, cut}) {
      Skipped result = skipped(decoder.decode(file, info -> DecodeRequest.video(0, 4, 32)));
      assertThat(result.reason()).as(file.toString()).isEqualTo(SkipReason.UNREADABLE);
      assertThat(result.detail()).contains(file.toString()).doesNotContain("setFormat");
    }
  }

  @Test
  void aTruncatedFileDecodesUpToTheCutAndIsSkippedBeyondIt() {
    Path clip = TestMedia.truncate(TestMedia.video(64, 48, 30).seconds(5).channels(2).moovFirst()
        .writeTo(dir.resolve("cut.mp4")), 0.6);

    Decoded early = decoded(decoder.decode(clip, info -> new DecodeRequest(5, 12, 5000, 8000, 32)));
    Skipped lateVideo = skipped(decoder.decode(clip, info -> DecodeRequest.video(60, 12, 32)));
    Skipped lateAudio = skipped(decoder.decode(clip, info -> DecodeRequest.audio(60_000, 16_000)));
    Skipped whole = skipped(decoder.decodeAudio(clip));

    assertThat(early.info().durationSeconds()).as("the index still claims the full length").isEqualTo(5.0);
    assertThat(TestMedia.frameNumber(early.video().orElseThrow(), 0)).isEqualTo(displayedAt(5 / 16.0, 30));
    assertThat(lateVideo.reason()).isEqualTo(SkipReason.TRUNCATED_VIDEO);
    assertThat(lateVideo.detail()).contains("of 12 video frames");
    assertThat(lateAudio.reason()).isEqualTo(SkipReason.TRUNCATED_AUDIO);
    assertThat(lateAudio.detail()).as("the window lies past the cut").endsWith("the first missing one at 3.750 s");
    assertThat(whole.reason()).isEqualTo(SkipReason.TRUNCATED_AUDIO);
  }

  @Test
  void aFileDamagedInTheMiddleIsSkippedAsTruncatedNotDecodedWrong() {
    Path clip = TestMedia.corrupt(TestMedia.video(64, 48, 30).seconds(5).channels(2).moovFirst()
        .writeTo(dir.resolve("damaged.mp4")), 0.4, 0.6, 7);

    Skipped result = skipped(decoder.decode(clip, info -> new DecodeRequest(30, 12, 2 * RATE, 3 * RATE, 32)));

    assertThat(result.reason()).isIn(SkipReason.TRUNCATED_AUDIO, SkipReason.TRUNCATED_VIDEO);
  }

  @Test
  void aDecodeRunningPastItsTimeoutIsSkipped() {
    Path clip = TestMedia.video(64, 48, 25).seconds(1).writeTo(dir.resolve("clip.mp4"));
    ClipDecoder hurried = new ClipDecoder(DecodeSettings.defaults().withTimeout(Duration.ofNanos(1)));

    assertThat(skipped(hurried.decode(clip, info -> DecodeRequest.video(0, 4, 32))).reason())
        .isEqualTo(SkipReason.TIMEOUT);
  }
}
