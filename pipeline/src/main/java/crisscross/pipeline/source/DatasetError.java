package crisscross.pipeline.source;

/**
 * A dataset cannot be read as configured: a missing or malformed list, a manifest entry outside the root, an
 * ambiguous layout. The message names the file (and line) or the configuration key to fix.
 */
public final class DatasetError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasetError(String message) {
    super(message);
  }

  public DatasetError(String message, Throwable cause) {
    super(message, cause);
  }
}
