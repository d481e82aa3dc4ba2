package crisscross.pipeline.audio;

import crisscross.pipeline.config.Settings;
import crisscross.pipeline.sample.SamplingSettings;

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

  /** Fewest mel bands and spectrogram frames: the audio encoder's convolutions downsample each by 8. */
  public static final int MIN_SPECTROGRAM_SIZE = 8;

  public static AudioSettings from(Settings settings) {
    return new AudioSettings(SamplingSettings.audioSampleRate(settings), nFft(settings), hopLength(settings),
        melBands(settings), outputFrames(settings), settings.real("audio.log-offset", Double.MIN_NORMAL, 1.0));
  }

  private static int nFft(Settings settings) {
    int fft = settings.integer("audio.n-fft", 4, 1 << 16);
    if (Integer.bitCount(fft) != 1) {
      throw settings.invalid("audio.n-fft", "must be a power of two, got " + fft);
    }
    return fft;
  }

  private static int hopLength(Settings settings) {
    return settings.integer("audio.hop-length", 1, 1 << 16);
  }

  /**
   * {@code audio.mel-bands}, parsed and bounded here only (the model's input shape and {@code inspect} read it
   * here): at least {@value #MIN_SPECTROGRAM_SIZE}, at most the STFT's {@code n-fft / 2 + 1} bins.
   */
  public static int melBands(Settings settings) {
    return settings.integer("audio.mel-bands", MIN_SPECTROGRAM_SIZE, nFft(settings) / 2 + 1);
  }

  /**
   * {@code audio.output-frames}, parsed and bounded here only: at least {@value #MIN_SPECTROGRAM_SIZE}, at most
   * the frames an audio view holds at the hop length.
   */
  public static int outputFrames(Settings settings) {
    int frames = settings.integer("audio.output-frames", MIN_SPECTROGRAM_SIZE, 1 << 20);
    int hop = hopLength(settings);
    long viewSamples = Math.round(SamplingSettings.audioViewSeconds(settings)
        * SamplingSettings.audioSampleRate(settings));
    long viewFrames = 1 + viewSamples / hop;
    if (frames > viewFrames) {
      throw settings.invalid("audio.output-frames", "an audio view of " + viewSamples + " samples has only "
          + viewFrames + " frames at hop " + hop + ", fewer than " + frames);
    }
    return frames;
  }

  /** STFT frames of a centred analysis of {@code samples} samples: {@code 1 + samples / hop}. */
  public int frameCount(int samples) {
    return 1 + samples / hopLength;
  }
}
