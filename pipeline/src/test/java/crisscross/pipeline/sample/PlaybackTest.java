package crisscross.pipeline.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.media.VideoFrames;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaybackTest {
  static final List<Integer> SPEEDS = List.of(1, 2, 4, 8);
  static final int RATE = 16_000;

  /** 20 frames of 1x1 pixels whose value is the frame index, at 16 fps. */
  static VideoFrames numberedFrames() {
    float[] rgb = new float[20 * 3];
    double[] timestamps = new double[20];
    for (int f = 0; f < 20; f++) {
      rgb[3 * f] = f;
      timestamps[f] = f / 16.0;
    }
    return new VideoFrames(20, 1, 1, rgb, timestamps);
  }

  static int[] frameNumbers(VideoFrames clip) {
    int[] numbers = new int[clip.frames()];
    for (int f = 0; f < clip.frames(); f++) {
      numbers[f] = (int) clip.rgb()[clip.index(f, 0, 0, 0)];
    }
    return numbers;
  }

  @Test
  void aVideoClipSkipsFramesAndPlaysBackwards() {
    VideoFrames window = numberedFrames();
    assertThat(frameNumbers(new Playback(2, false).cut(window, 2, 4))).containsExactly(2, 4, 6, 8);
    VideoFrames backwards = new Playback(2, true).cut(window, 2, 4);
    assertThat(frameNumbers(backwards)).containsExactly(8, 6, 4, 2);
    assertThat(backwards.timestamps()).containsExactly(0.5, 0.375, 0.25, 0.125);
    assertThat(frameNumbers(Playback.NORMAL.cut(window, 5, 3))).containsExactly(5, 6, 7);
    assertThat(frameNumbers(new Playback(8, false).cut(window, 3, 3))).containsExactly(3, 11, 19);
    assertThatThrownBy(() -> new Playback(8, false).cut(window, 4, 3)).hasMessageContaining("spans 17 frames");
  }

  /** A short video falls back to the fastest speed that fits, and the playback says which. */
  @Test
  void aClipTooLongForTheVideoFallsBackToTheFastestSpeedThatFits() {
    Playback eightTimes = new Playback(8, true);
    assertThat(eightTimes.fitted(57, 8, SPEEDS)).contains(new Playback(8, true));
    assertThat(eightTimes.fitted(56, 8, SPEEDS)).contains(new Playback(4, true));
    assertThat(eightTimes.fitted(15, 8, SPEEDS)).contains(new Playback(2, true));
    assertThat(new Playback(2, false).fitted(100, 8, SPEEDS)).as("never faster than asked")
        .contains(new Playback(2, false));
    assertThat(eightTimes.fitted(7, 8, SPEEDS)).isEmpty();
  }

  static AudioSamples tone(double hertz, int samples) {
    float[] data = new float[samples];
    for (int i = 0; i < samples; i++) {
      data[i] = (float) (0.5 * Math.sin(2 * Math.PI * hertz * i / RATE));
    }
    return new AudioSamples(data, RATE, 1.0);
  }

  /** |correlation| of {@code samples} with a sine and a cosine of {@code hertz}: near 1 for a pure tone of it. */
  static double toneStrength(float[] samples, double hertz) {
    double s = 0;
    double c = 0;
    double energy = 0;
    for (int i = 64; i < samples.length - 64; i++) {
      s += samples[i] * Math.sin(2 * Math.PI * hertz * i / RATE);
      c += samples[i] * Math.cos(2 * Math.PI * hertz * i / RATE);
      energy += samples[i] * (double) samples[i];
    }
    int n = samples.length - 128;
    return Math.sqrt((s * s + c * c) * 2 / n / energy);
  }

  static double rms(float[] samples) {
    double energy = 0;
    for (float v : samples) {
      energy += v * (double) v;
    }
    return Math.sqrt(energy / samples.length);
  }

  @Test
  void anAudioClipAtTwiceTheSpeedHasTwiceThePitchAndTheSameLength() {
    AudioSamples window = tone(500, 8000);
    AudioSamples fast = new Playback(2, false).cut(window, 1000, 3000);
    assertThat(fast.samples()).hasSize(3000);
    assertThat(fast.startSeconds()).isEqualTo(1.0 + 1000.0 / RATE);
    assertThat(toneStrength(fast.samples(), 1000)).isGreaterThan(0.99);
    assertThat(toneStrength(fast.samples(), 500)).isLessThan(0.05);
    assertThat(rms(fast.samples())).isCloseTo(0.5 / Math.sqrt(2), org.assertj.core.data.Offset.offset(0.01));
    AudioSamples faster = new Playback(4, false).cut(window, 0, 2000);
    assertThat(toneStrength(faster.samples(), 2000)).isGreaterThan(0.99);
  }

  /** A tone above the Nyquist frequency of the sped-up clip is filtered out instead of folding back (aliasing). */
  @Test
  void frequenciesAboveTheNewNyquistAreRemoved() {
    AudioSamples high = tone(6000, 8000);
    float[] fast = new Playback(2, false).cut(high, 500, 3000).samples();
    assertThat(rms(fast)).isLessThan(0.01);
  }

  @Test
  void aReversedAudioClipIsTheForwardClipBackwards() {
    AudioSamples window = tone(440, 8000);
    for (int speed : SPEEDS) {
      float[] forward = new Playback(speed, false).cut(window, 100, 900).samples();
      float[] backward = new Playback(speed, true).cut(window, 100, 900).samples();
      for (int i = 0; i < forward.length; i++) {
        assertThat(backward[i]).isEqualTo(forward[forward.length - 1 - i]);
      }
    }
    AudioSamples normal = Playback.NORMAL.cut(window, 100, 900);
    assertThat(normal.samples()).isEqualTo(window.slice(100, 1000).samples());
    assertThatThrownBy(() -> new Playback(8, false).cut(window, 1000, 900)).hasMessageContaining("spans 7200");
  }
}
