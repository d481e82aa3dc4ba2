package crisscross.pipeline.decode;

import java.util.function.DoubleUnaryOperator;

/**
 * Where a decoded window lies on the written signal: the shift (in grid samples, within ±{@code maxShift}) at
 * which its correlation with the signal is highest.
 */
record SignalAlignment(int shift, double correlation) {
  static SignalAlignment best(float[] samples, long first, int maxShift, int rate, DoubleUnaryOperator signal) {
    int bestShift = 0;
    double best = -2;
    for (int shift = -maxShift; shift <= maxShift; shift++) {
      double c = correlation(samples, first + shift, rate, signal);
      if (c > best) {
        best = c;
        bestShift = shift;
      }
    }
    return new SignalAlignment(bestShift, best);
  }

  /** Correlation of {@code samples} with {@code signal} from grid sample {@code first} on. */
  static double correlation(float[] samples, long first, int rate, DoubleUnaryOperator signal) {
    double xy = 0;
    double xx = 0;
    double yy = 0;
    for (int i = 0; i < samples.length; i++) {
      double y = signal.applyAsDouble((first + i) / (double) rate);
      xy += samples[i] * y;
      xx += samples[i] * (double) samples[i];
      yy += y * y;
    }
    return xy / Math.sqrt(xx * yy);
  }
}
