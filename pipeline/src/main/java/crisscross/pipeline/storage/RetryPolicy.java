package crisscross.pipeline.storage;

import java.time.Duration;

/**
 * How often and how patiently a storage request is retried ({@code data.s3.max-attempts},
 * {@code initial-backoff}, {@code max-backoff}).
 *
 * @param maxAttempts requests made in all, the first included (1 = no retry)
 * @param initialBackoff nominal delay after the first failure; doubled after each further failure
 * @param maxBackoff cap on the nominal delay
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must satisfy 0 <= initial <= max: " + initialBackoff + ", " + maxBackoff);
    }
  }

  /**
   * The pause after {@code failedAttempts} failures: the nominal delay {@code min(max, initial * 2^(n-1))}, of
   * which half is fixed and half scaled by {@code jitter} in [0, 1). The random half keeps workers that failed
   * together (a server restart fails them all at once) from retrying in lockstep; the fixed half keeps a lower
   * bound so the server really gets the time to come back.
   */
  public Duration delayAfter(int failedAttempts, double jitter) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("failedAttempts must be at least 1: " + failedAttempts);
    }
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
    }
    long initial = initialBackoff.toNanos();
    long cap = maxBackoff.toNanos();
    long nominal = initial;
    for (int i = 1; i < failedAttempts && nominal < cap; i++) {
      nominal = nominal > cap / 2 ? cap : nominal * 2;
    }
    nominal = Math.min(nominal, cap);
    long half = nominal / 2;
    return Duration.ofNanos(nominal - half + (long) (half * jitter));
  }
}
