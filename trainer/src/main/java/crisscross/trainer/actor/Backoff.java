package crisscross.trainer.actor;

import java.time.Duration;

/** Waits that double with each failure in a row, from {@code first} up to {@code last}. */
record Backoff(Duration first, Duration last) {
  /** The wait after the {@code failures}-th failure in a row (1 = the first). */
  Duration after(int failures) {
    Duration wait = first.multipliedBy(1L << Math.min(30, Math.max(0, failures - 1)));
    return wait.compareTo(last) > 0 ? last : wait;
  }
}
