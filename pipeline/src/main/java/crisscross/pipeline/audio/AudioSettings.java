package crisscross.pipeline.audio;

import crisscross.pipeline.config.Settings;

/**
 * The log-mel frontend's parameters (§4.1, Appendix D.2): librosa defaults with an FFT window of 1024, a hop
 * of 10 ms (160 samples at 16 kHz) and 80 mel bands; a 2 s view gives {@code 1 + 32000 / 160 = 201} frames of
 * which the first {@code outputFrames} (200, the paper's 80 x 200 input) are kept.
 *
 * @param sampleRate samples per second of the waveform ({@code sampling.audio-sample-rate})
 * @param fftSize STFT window length, a power of two ({@code audio.n-fft})
 * @param hopLength samples between frames ({@code audio.hop-length})
 * @param melBands mel filters ({@code audio.mel-bands})
 * @param outputFrames frames kept per view ({@code audio.output-frames})
 * @param logOffset added to the mel power before the natural log ({@code audio.log-offset})
 */
public record AudioSettings(int sampleRate, int fftSize, int hopLength, int melBands, int outputFrames,
    double logOffset) {

  public AudioSettings {
    if (sampleRate < 1 || hopLength < 1 || melBands < 1 || outputFrames < 1) {
      throw new IllegalArgumentException("audio settings must be positive");
    }
    if (fftSize < 4 || Integer.bitCount(fftSize) != 1) {
      throw new IllegalArgumentException("n_fft must be a power of two >= 4: " + fftSize);
    }
    if (melBands > fftSize / 2 + 1) {
      throw new IllegalArgumentException(melBands + " mel bands need more than the " + (fftSize / 2 + 1)
          + " FFT bins of n_fft " + fftSize);
    }
    if (!(logOffset > 0)) {
      throw new IllegalArgumentException("log offset must be positive: " + logOffset);
    }
  }

  /** The paper's values (§4.1): 16 kHz, n_fft 1024, hop 160, 80 bands, 200 frames, offset 1e-6. */
  public static AudioSettings paperDefaults() {
    return new AudioSettings(16000, 1024, 160, 80, 200, 1e-6);
  }

  public static AudioSettings from(Settings settings) {
    int rate = settings.integer("sampling.audio-sample-rate", 1000, 384000);
    int fft = settings.integer("audio.n-fft", 4, 1 << 16);
    if (Integer.bitCount(fft) != 1) {
      throw settings.invalid("audio.n-fft", "must be a power of two, got " + fft);
    }
    int hop = settings.integer("audio.hop-length", 1, 1 << 16);
    int bands = settings.integer("audio.mel-bands", 1, fft / 2 + 1);
    int frames = settings.integer("audio.output-frames", 1, 1 << 20);
    double offset = settings.real("audio.log-offset", Double.MIN_NORMAL, 1.0);
    long viewSamples = Math.round(settings.real("sampling.audio-view-seconds", 0.001, 3600) * rate);
    long viewFrames = 1 + viewSamples / hop;
    if (frames > viewFrames) {
      throw settings.invalid("audio.output-frames", "an audio view of " + viewSamples + " samples has only "
          + viewFrames + " frames at hop " + hop + ", fewer than " + frames);
    }
    return new AudioSettings(rate, fft, hop, bands, frames, offset);
  }

  /** STFT frames of a centred analysis of {@code samples} samples: {@code 1 + samples / hop}. */
  public int frameCount(int samples) {
    return 1 + samples / hopLength;
  }
}
