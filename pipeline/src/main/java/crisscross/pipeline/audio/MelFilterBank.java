package crisscross.pipeline.audio;

/**
 * librosa's {@code filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm='slaney')}: triangular filters
 * equally spaced on the Slaney mel scale (linear below 1 kHz, logarithmic above), each scaled by
 * {@code 2 / (f_upper - f_lower)} so that it has unit area in Hz. Held sparsely: each band keeps only the
 * FFT bins where its triangle is non-zero. Computed in double precision (librosa rounds to float32; the
 * difference is far below the 1e-3 dB the tests demand).
 */
public final class MelFilterBank {
  private static final double F_SP = 200.0 / 3;
  private static final double MIN_LOG_HZ = 1000.0;
  private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
  private static final double LOG_STEP = Math.log(6.4) / 27.0;

  private final int bands;
  private final int bins;
  private final int[] firstBin;
  private final double[][] weights;

  public MelFilterBank(int sampleRate, int fftSize, int bands, double fmin, double fmax) {
    if (bands < 1 || fftSize < 2 || !(fmin >= 0 && fmin < fmax && fmax <= sampleRate / 2.0)) {
      throw new IllegalArgumentException("invalid mel filter bank: " + bands + " bands, n_fft " + fftSize
          + ", [" + fmin + ", " + fmax + "] Hz at " + sampleRate + " Hz");
    }
    this.bands = bands;
    this.bins = fftSize / 2 + 1;
    double[] fftFreqs = new double[bins];
    for (int k = 0; k < bins; k++) {
      fftFreqs[k] = k * (sampleRate / 2.0) / (bins - 1);
    }
    double melMin = hzToMel(fmin);
    double melMax = hzToMel(fmax);
    double[] melF = new double[bands + 2];
    for (int i = 0; i < melF.length; i++) {
      melF[i] = melToHz(melMin + (melMax - melMin) * i / (bands + 1));
    }
    firstBin = new int[bands];
    weights = new double[bands][];
    for (int m = 0; m < bands; m++) {
      double lowerWidth = melF[m + 1] - melF[m];
      double upperWidth = melF[m + 2] - melF[m + 1];
      double norm = 2.0 / (melF[m + 2] - melF[m]);
      double[] row = new double[bins];
      int first = -1;
      int last = -1;
      for (int k = 0; k < bins; k++) {
        double lower = (fftFreqs[k] - melF[m]) / lowerWidth;
        double upper = (melF[m + 2] - fftFreqs[k]) / upperWidth;
        double w = Math.max(0, Math.min(lower, upper));
        if (w > 0) {
          row[k] = w * norm;
          first = first < 0 ? k : first;
          last = k;
        }
      }
      // A band narrower than one FFT bin has no non-zero weight: librosa warns and leaves it empty too.
      firstBin[m] = Math.max(first, 0);
      weights[m] = first < 0 ? new double[0] : java.util.Arrays.copyOfRange(row, first, last + 1);
    }
  }

  /** Slaney's mel scale (librosa {@code hz_to_mel(htk=False)}). */
  public static double hzToMel(double hz) {
    return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
  }

  public static double melToHz(double mel) {
    return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
  }

  public int bands() {
    return bands;
  }

  public int bins() {
    return bins;
  }

  /** Weight of FFT bin {@code bin} in band {@code band} (0 outside the band's triangle). */
  public double weight(int band, int bin) {
    int k = bin - firstBin[band];
    return k >= 0 && k < weights[band].length ? weights[band][k] : 0;
  }

  /** {@code mel[band] = sum_k weight(band, k) * power[k]}. */
  public void apply(double[] power, double[] mel) {
    for (int m = 0; m < bands; m++) {
      double[] w = weights[m];
      int offset = firstBin[m];
      double sum = 0;
      for (int k = 0; k < w.length; k++) {
        sum += w[k] * power[offset + k];
      }
      mel[m] = sum;
    }
  }
}
