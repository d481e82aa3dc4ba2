package crisscross.pipeline.storage;

/**
 * A bucket and a key (or key prefix) parsed from an {@code s3://bucket/key} URI.
 *
 * @param bucket bucket name
 * @param key object key or prefix, without a leading slash; empty for the whole bucket
 */
public record S3Location(String bucket, String key) {
  public static final String SCHEME = "s3://";

  public S3Location {
    if (bucket == null || bucket.isEmpty() || bucket.contains("/")) {
      throw new IllegalArgumentException("invalid bucket name '" + bucket + "'");
    }
    key = key == null ? "" : key;
  }

  public static boolean isS3(String uri) {
    return uri != null && uri.startsWith(SCHEME);
  }

  /** Parses {@code s3://bucket} or {@code s3://bucket/key}; the error names the URI. */
  public static S3Location parse(String uri) {
    if (!isS3(uri)) {
      throw new IllegalArgumentException("'" + uri + "' is not an s3://bucket/key URI");
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("'" + uri + "' names no bucket (expected s3://bucket/key)");
    }
    return new S3Location(bucket, key);
  }

  /** The key as a listing prefix: ends with '/' unless it is empty, so {@code data} does not match {@code data2/}. */
  public String directoryPrefix() {
    return key.isEmpty() || key.endsWith("/") ? key : key + "/";
  }

  /** The location of {@code relative} under this one taken as a directory. */
  public S3Location resolve(String relative) {
    return new S3Location(bucket, directoryPrefix() + relative);
  }

  /** The enclosing "directory" of this key (empty key at the bucket's top). */
  public S3Location parent() {
    String trimmed = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    int slash = trimmed.lastIndexOf('/');
    return new S3Location(bucket, slash < 0 ? "" : trimmed.substring(0, slash));
  }

  /** The last segment of the key. */
  public String name() {
    String trimmed = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  @Override
  public String toString() {
    return key.isEmpty() ? SCHEME + bucket : SCHEME + bucket + "/" + key;
  }
}
