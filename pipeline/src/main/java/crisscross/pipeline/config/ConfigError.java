package crisscross.pipeline.config;

/** A configuration value is missing, unknown, of the wrong type or out of range; the message names key and origin. */
public final class ConfigError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigError(String message) {
    super(message);
  }

  public ConfigError(String message, Throwable cause) {
    super(message, cause);
  }
}
