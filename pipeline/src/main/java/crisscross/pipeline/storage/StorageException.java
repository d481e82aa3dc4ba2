package crisscross.pipeline.storage;

/** A storage request failed for good: either at once (not retryable) or after every attempt allowed. */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int attempts;

  public StorageException(String message, int attempts, Throwable cause) {
    super(message, cause);
    this.attempts = attempts;
  }

  /** Requests made before giving up. */
  public int attempts() {
    return attempts;
  }
}
