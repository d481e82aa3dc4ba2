package crisscross.pipeline.source;

import crisscross.pipeline.media.SkipReason;

/**
 * A sample's media could not be made available: after every retry for objects in storage, at once for a missing
 * object or local file. Checked, so that no caller can lose a sample silently: it skips it with
 * {@link #reason()} or fails.
 */
public final class FetchFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient SampleRef sample;
  private final int attempts;

  public FetchFailedException(SampleRef sample, String message, int attempts, Throwable cause) {
    super(message, cause);
    this.sample = sample;
    this.attempts = attempts;
  }

  public SampleRef sample() {
    return sample;
  }

  /** Always {@link SkipReason#FETCH_FAILED}. */
  public SkipReason reason() {
    return SkipReason.FETCH_FAILED;
  }

  /** Requests made (0 for a local file). */
  public int attempts() {
    return attempts;
  }
}
