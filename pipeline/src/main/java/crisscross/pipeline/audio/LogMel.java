package crisscross.pipeline.audio;

import crisscross.pipeline.media.Spectrogram;

/**
 * Log-mel spectrogram equal to librosa's defaults: {@code ln(melspectrogram(y, sr, n_fft, hop_length,
 * n_mels, window='hann', center=True, pad_mode='constant', power=2.0) + offset)}, i.e. the signal padded with
 * {@code n_fft / 2} zeros at each end (librosa >= 0.10), frames every {@code hop} samples, a periodic Hann
 * window, {@code |STFT|^2}, Slaney mel filters from 0 Hz to the Nyquist frequency. Output shape
 * {@code [bands][1 + n / hop]}.
 *
 * <p>The window, FFT twiddles and sparse mel matrix are built once; each call allocates its own small
 * scratch arrays, so one instance can be shared by all workers.
 */
public final class LogMel {
  private final AudioSettings settings;
  private final RealFft fft;
  private final MelFilterBank filters;
  private final double[] window;

  public LogMel(AudioSettings settings) {
    this.settings = settings;
    this.fft = new RealFft(settings.fftSize());
    this.filters = new MelFilterBank(settings.sampleRate(), settings.fftSize(), settings.melBands(), 0,
        settings.sampleRate() / 2.0);
    int n = settings.fftSize();
    this.window = new double[n];
    for (int i = 0; i < n; i++) {
      window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
    }
  }

  public AudioSettings settings() {
    return settings;
  }

  public MelFilterBank filters() {
    return filters;
  }

  /** The full log-mel spectrogram of {@code samples}: {@code [bands][1 + samples.length / hop]}. */
  public Spectrogram compute(float[] samples) {
    return compute(samples, 1.0, settings.frameCount(samples.length));
  }

  /**
   * The first {@code frames} frames of the log-mel spectrogram of {@code gain * samples}; the gain is applied
   * to the waveform as it is framed, so the input is never copied.
   */
  public Spectrogram compute(float[] samples, double gain, int frames) {
    int available = settings.frameCount(samples.length);
    if (frames < 1 || frames > available) {
      throw new IllegalArgumentException(samples.length + " samples give " + available + " frames at hop "
          + settings.hopLength() + "; cannot take " + frames);
    }
    int n = settings.fftSize();
    int hop = settings.hopLength();
    int bands = settings.melBands();
    double offset = settings.logOffset();
    double[] frame = new double[n];
    double[] scratch = fft.newScratch();
    double[] power = new double[fft.bins()];
    double[] mel = new double[bands];
    float[] out = new float[bands * frames];
    for (int t = 0; t < frames; t++) {
      int start = t * hop - n / 2;
      int from = Math.max(0, -start);
      int to = Math.min(n, samples.length - start);
      java.util.Arrays.fill(frame, 0, Math.max(from, 0), 0.0);
      for (int i = from; i < to; i++) {
        frame[i] = gain * samples[start + i] * window[i];
      }
      java.util.Arrays.fill(frame, Math.max(to, from), n, 0.0);
      fft.powerSpectrum(frame, scratch, power);
      filters.apply(power, mel);
      for (int m = 0; m < bands; m++) {
        out[m * frames + t] = (float) Math.log(mel[m] + offset);
      }
    }
    return new Spectrogram(bands, frames, out);
  }
}
