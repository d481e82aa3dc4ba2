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
  /** cos / sin of -2 pi k / half for the complex FFT, k < half / 2. */
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
    cos = new double[Math.max(1, half / 2)];
    sin = new double[cos.length];
    for (int k = 0; k < cos.length; k++) {
      double angle = -2 * Math.PI * k / half;
      cos[k] = Math.cos(angle);
      sin[k] = Math.sin(angle);
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
    double z0im = scratch[1];
    re[0] = z0re + z0im;
    im[0] = 0;
    re[half] = z0re - z0im;
    im[half] = 0;
    for (int k = 1; k < half; k++) {
      int j = half - k;
      double zkRe = scratch[2 * k];
      double zkIm = scratch[2 * k + 1];
      double zjRe = scratch[2 * j];
      double zjIm = -scratch[2 * j + 1];
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
    double z0im = scratch[1];
    power[0] = (z0re + z0im) * (z0re + z0im);
    power[half] = (z0re - z0im) * (z0re - z0im);
    for (int k = 1; k < half; k++) {
      int j = half - k;
      double zkRe = scratch[2 * k];
      double zkIm = scratch[2 * k + 1];
      double zjRe = scratch[2 * j];
      double zjIm = -scratch[2 * j + 1];
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

  /** Interleaved complex z[k] = x[2k] + i x[2k+1], stored in bit-reversed order for the in-place FFT. */
  private void pack(double[] signal, double[] scratch) {
    if (signal.length != size || scratch.length != size) {
      throw new IllegalArgumentException("expected arrays of " + size + ", got " + signal.length + " and "
          + scratch.length);
    }
    for (int k = 0; k < half; k++) {
      int r = bitReverse[k];
      scratch[2 * r] = signal[2 * k];
      scratch[2 * r + 1] = signal[2 * k + 1];
    }
  }

  private void complexFft(double[] z) {
    for (int length = 2; length <= half; length <<= 1) {
      int halfLength = length >> 1;
      int stride = half / length;
      for (int start = 0; start < half; start += length) {
        for (int k = 0; k < halfLength; k++) {
          double wr = cos[k * stride];
          double wi = sin[k * stride];
          int a = 2 * (start + k);
          int b = 2 * (start + k + halfLength);
          double br = z[b] * wr - z[b + 1] * wi;
          double bi = z[b] * wi + z[b + 1] * wr;
          z[b] = z[a] - br;
          z[b + 1] = z[a + 1] - bi;
          z[a] += br;
          z[a + 1] += bi;
        }
      }
    }
  }
}
