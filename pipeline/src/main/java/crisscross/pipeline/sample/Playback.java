package crisscross.pipeline.sample;

import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.media.VideoFrames;
import java.util.List;
import java.util.Optional;

/**
 * How a clip is played: its speed (a frame skip for video, a resampling factor for audio) and its direction, the
 * transformations whose classes the temporal pretext tasks predict (Jenni et al., ECCV 2020: skips 1, 2, 4, 8 on a
 * clip of the model's frame count; a clip played backwards). The same speed applies to a clip's audio window: its
 * {@code speed x} longer span is resampled down to the view's length, so the pitch rises as it would on a sped-up
 * recording.
 *
 * @param speed frames advanced per output frame, and input samples per output sample (1 = as recorded)
 * @param reversed whether the clip plays backwards (frames reversed; the waveform reversed before the spectrogram)
 */
public record Playback(int speed, boolean reversed) {
  /** As recorded. */
  public static final Playback NORMAL = new Playback(1, false);

  /** Taps of the anti-aliasing filter on each side of a sample, per unit of speed. */
  private static final int HALF_TAPS_PER_SPEED = 8;

  public Playback {
    if (speed < 1) {
      throw new IllegalArgumentException("playback speed must be at least 1, got " + speed);
    }
  }

  /** Frames of the source a video clip of {@code framesPerView} frames spans: {@code (F - 1) x speed + 1}. */
  public long videoSpan(int framesPerView) {
    return (long) (framesPerView - 1) * speed + 1;
  }

  /** Samples of the source an audio clip of {@code viewSamples} samples spans: {@code A x speed}. */
  public long audioSpan(int viewSamples) {
    return (long) viewSamples * speed;
  }

  /**
   * This playback, or the fastest of {@code speeds} no faster than it whose clip fits in {@code framesAvailable}
   * frames: a short video cannot give an 8x clip, and its label must then say the speed it really has. Empty when
   * not even the slowest fits.
   */
  public Optional<Playback> fitted(long framesAvailable, int framesPerView, List<Integer> speeds) {
    return fitted(speeds, p -> p.videoSpan(framesPerView) <= framesAvailable);
  }

  /** As {@link #fitted} for an audio clip of {@code viewSamples} samples in {@code samplesAvailable}. */
  public Optional<Playback> fittedAudio(long samplesAvailable, int viewSamples, List<Integer> speeds) {
    return fitted(speeds, p -> p.audioSpan(viewSamples) <= samplesAvailable);
  }

  private Optional<Playback> fitted(List<Integer> speeds, java.util.function.Predicate<Playback> fits) {
    Playback best = null;
    for (int candidate : speeds) {
      Playback p = new Playback(candidate, reversed);
      if (candidate <= speed && fits.test(p) && (best == null || candidate > best.speed)) {
        best = p;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The video clip of {@code framesPerView} frames starting at frame {@code from} of {@code window}. */
  public VideoFrames cut(VideoFrames window, int from, int framesPerView) {
    if (from < 0 || from + videoSpan(framesPerView) > window.frames()) {
      throw new IndexOutOfBoundsException("a " + framesPerView + "-frame clip at speed " + speed + " from frame "
          + from + " spans " + videoSpan(framesPerView) + " frames; the window has " + window.frames());
    }
    int size = window.frameSize();
    float[] rgb = new float[framesPerView * size];
    double[] timestamps = new double[framesPerView];
    for (int i = 0; i < framesPerView; i++) {
      int source = from + (reversed ? framesPerView - 1 - i : i) * speed;
      System.arraycopy(window.rgb(), source * size, rgb, i * size, size);
      timestamps[i] = window.timestamps()[source];
    }
    return new VideoFrames(framesPerView, window.height(), window.width(), rgb, timestamps);
  }

  /**
   * The audio clip of {@code viewSamples} samples whose source starts at sample {@code from} of {@code window}:
   * {@code viewSamples x speed} samples low-passed below the new Nyquist frequency (a Hann-windowed sinc, edges
   * held) and decimated by the speed, then reversed when the clip plays backwards. Its start time is that of its
   * source span.
   */
  public AudioSamples cut(AudioSamples window, int from, int viewSamples) {
    long span = audioSpan(viewSamples);
    if (from < 0 || from + span > window.samples().length) {
      throw new IndexOutOfBoundsException("a " + viewSamples + "-sample clip at speed " + speed + " from sample "
          + from + " spans " + span + " samples; the window has " + window.samples().length);
    }
    float[] in = window.samples();
    float[] out = new float[viewSamples];
    if (speed == 1) {
      System.arraycopy(in, from, out, 0, viewSamples);
    } else {
      double[] taps = lowPass(speed);
      int half = taps.length / 2;
      int last = (int) (from + span - 1);
      for (int i = 0; i < viewSamples; i++) {
        int centre = from + i * speed;
        double sum = 0;
        for (int k = 0; k < taps.length; k++) {
          int j = Math.min(last, Math.max(from, centre + k - half));
          sum += taps[k] * in[j];
        }
        out[i] = (float) sum;
      }
    }
    if (reversed) {
      for (int i = 0, j = viewSamples - 1; i < j; i++, j--) {
        float t = out[i];
        out[i] = out[j];
        out[j] = t;
      }
    }
    return new AudioSamples(out, window.sampleRate(), window.startSeconds() + from / (double) window.sampleRate());
  }

  /** A low-pass FIR with its cutoff at the Nyquist frequency after decimating by {@code factor}, unit DC gain. */
  static double[] lowPass(int factor) {
    int half = HALF_TAPS_PER_SPEED * factor;
    double[] taps = new double[2 * half + 1];
    double cutoff = 0.5 / factor;
    double sum = 0;
    for (int k = -half; k <= half; k++) {
      double sinc = k == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * k) / (Math.PI * k);
      double hann = 0.5 + 0.5 * Math.cos(Math.PI * k / (half + 1));
      taps[k + half] = sinc * hann;
      sum += taps[k + half];
    }
    for (int k = 0; k < taps.length; k++) {
      taps[k] /= sum;
    }
    return taps;
  }

  /** The caption {@code inspect} and the logs use: {@code 2x reversed}. */
  @Override
  public String toString() {
    return speed + "x" + (reversed ? " reversed" : "");
  }
}
