package crisscross.app;

/** A mistake in what the user asked for (missing file, bad argument): reported in one line, exit status 2. */
public final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
