package crisscross.pipeline.audio;

/**
 * Forward FFT of a real signal whose length is a power of two: the signal is packed into a complex sequence of
 * half its length (even samples real, odd samples imaginary), transformed by an iterative radix-2 FFT and
 * unpacked into the {@code n / 2 + 1} non-negative frequency bins. Twiddles and the bit-reversal permutation
 * are computed once; {@link #powerSpectrum} needs a caller-owned scratch array, so one instance serves any
 * number of threads.
 */
public final class RealFft {
  private final int size;
  private final int half;
  private final int[] bitReverse;
  /**
   * Twiddles of the complex FFT stage whose butterflies span {@code 2h}: cos / sin of {@code -pi k / h} for
   * {@code k < h}, stored contiguously from index {@code h} so that each stage reads them in order.
   */
  private final double[] cos;
  private final double[] sin;
  /** cos / sin of -2 pi k / size for the real unpacking, k <= half. */
  private final double[] unpackCos;
  private final double[] unpackSin;

  public RealFft(int size) {
    if (size < 4 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("FFT size must be a power of two >= 4: " + size);
    }
    this.size = size;
    this.half = size / 2;
    int bits = Integer.numberOfTrailingZeros(half);
    bitReverse = new int[half];
    for (int i = 0; i < half; i++) {
      bitReverse[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
    }
    cos = new double[Math.max(2, half)];
    sin = new double[cos.length];
    for (int h = 1; h < half; h <<= 1) {
      for (int k = 0; k < h; k++) {
        double angle = -Math.PI * k / h;
        cos[h + k] = Math.cos(angle);
        sin[h + k] = Math.sin(angle);
      }
    }
    unpackCos = new double[half + 1];
    unpackSin = new double[half + 1];
    for (int k = 0; k <= half; k++) {
      double angle = -2 * Math.PI * k / size;
      unpackCos[k] = Math.cos(angle);
      unpackSin[k] = Math.sin(angle);
    }
  }

  public int size() {
    return size;
  }

  /** Number of non-negative frequency bins, {@code size / 2 + 1}. */
  public int bins() {
    return half + 1;
  }

  /** A scratch array of the length {@link #transform} and {@link #powerSpectrum} need. */
  public double[] newScratch() {
    return new double[size];
  }

  /**
   * The spectrum of {@code signal} (length {@link #size}): bin k is {@code re[k] + i im[k]} for k in
   * {@code [0, size / 2]}, with {@code X[k] = sum_n x[n] exp(-2 pi i k n / size)} (NumPy's {@code rfft}).
   */
  public void transform(double[] signal, double[] scratch, double[] re, double[] im) {
    pack(signal, scratch);
    complexFft(scratch);
    double z0re = scratch[0];
    double z0im = scratch[half];
    re[0] = z0re + z0im;
    im[0] = 0;
    re[half] = z0re - z0im;
    im[half] = 0;
    for (int k = 1; k < half; k++) {
      int j = half - k;
      double zkRe = scratch[k];
      double zkIm = scratch[half + k];
      double zjRe = scratch[j];
      double zjIm = -scratch[half + j];
      // even = (Z[k] + conj Z[half-k]) / 2, odd = (Z[k] - conj Z[half-k]) / 2i, X[k] = even + w^k odd.
      double evenRe = 0.5 * (zkRe + zjRe);
      double evenIm = 0.5 * (zkIm + zjIm);
      double oddRe = 0.5 * (zkIm - zjIm);
      double oddIm = -0.5 * (zkRe - zjRe);
      double wr = unpackCos[k];
      double wi = unpackSin[k];
      re[k] = evenRe + wr * oddRe - wi * oddIm;
      im[k] = evenIm + wr * oddIm + wi * oddRe;
    }
  }

  /** {@code |X[k]|^2} for k in {@code [0, size / 2]} into {@code power}; {@code signal} is left unchanged. */
  public void powerSpectrum(double[] signal, double[] scratch, double[] power) {
    pack(signal, scratch);
    complexFft(scratch);
    double z0re = scratch[0];
    double z0im = scratch[half];
    power[0] = (z0re + z0im) * (z0re + z0im);
    power[half] = (z0re - z0im) * (z0re - z0im);
    for (int k = 1; k < half; k++) {
      int j = half - k;
      double zkRe = scratch[k];
      double zkIm = scratch[half + k];
      double zjRe = scratch[j];
      double zjIm = -scratch[half + j];
      double evenRe = 0.5 * (zkRe + zjRe);
      double evenIm = 0.5 * (zkIm + zjIm);
      double oddRe = 0.5 * (zkIm - zjIm);
      double oddIm = -0.5 * (zkRe - zjRe);
      double wr = unpackCos[k];
      double wi = unpackSin[k];
      double xr = evenRe + wr * oddRe - wi * oddIm;
      double xi = evenIm + wr * oddIm + wi * oddRe;
      power[k] = xr * xr + xi * xi;
    }
  }

  /**
   * The complex sequence z[k] = x[2k] + i x[2k+1] in bit-reversed order for the in-place FFT: real parts in
   * {@code scratch[0, half)}, imaginary parts in {@code scratch[half, size)}.
   */
  private void pack(double[] signal, double[] scratch) {
    if (signal.length != size || scratch.length != size) {
      throw new IllegalArgumentException("expected arrays of " + size + ", got " + signal.length + " and "
          + scratch.length);
    }
    for (int k = 0; k < half; k++) {
      int r = bitReverse[k];
      scratch[r] = signal[2 * k];
      scratch[half + r] = signal[2 * k + 1];
    }
  }

  private void complexFft(double[] z) {
    int n = half;
    // Length-2 butterflies have the twiddle 1.
    for (int a = 0; a < n; a += 2) {
      double re = z[a + 1];
      double im = z[n + a + 1];
      z[a + 1] = z[a] - re;
      z[n + a + 1] = z[n + a] - im;
      z[a] += re;
      z[n + a] += im;
    }
    for (int h = 2; h < n; h <<= 1) {
      for (int start = 0; start < n; start += 2 * h) {
        for (int k = 0; k < h; k++) {
          double wr = cos[h + k];
          double wi = sin[h + k];
          int a = start + k;
          int b = a + h;
          double br = z[b] * wr - z[n + b] * wi;
          double bi = z[b] * wi + z[n + b] * wr;
          z[b] = z[a] - br;
          z[n + b] = z[n + a] - bi;
          z[a] += br;
          z[n + a] += bi;
        }
      }
    }
  }
}
