package crisscross.pipeline.storage;

/** The object (or the bucket) does not exist; never retried. */
public final class ObjectNotFoundException extends StorageException {
  private static final long serialVersionUID = 1L;

  public ObjectNotFoundException(String message, int attempts, Throwable cause) {
    super(message, attempts, cause);
  }
}
