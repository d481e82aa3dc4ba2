package crisscross.pipeline.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A flat store of named objects under one root (a local directory or {@code s3://bucket/prefix}), for checkpoints
 * and other run artefacts. Keys are relative, '/'-separated, without {@code .} or {@code ..} segments.
 *
 * <p>A {@link #put} replaces an object atomically: a reader sees the old object or the new one, never a mix or a
 * partial write (S3 PUTs are atomic; the local store writes a hidden temporary file and renames it). A writer that
 * must publish several objects consistently writes them first and a small pointer object last.
 *
 * <p>{@link #put} and {@link #putFile} return only once the store has confirmed that it holds the bytes given (on S3
 * the stored size and, where the ETag is an MD5, the digest, read back after the upload); otherwise they throw a
 * {@link StorageException}, so a caller never takes a write that was answered "OK" but stored wrongly as done.
 */
public interface ObjectStore extends AutoCloseable {
  /** Opens {@code root}: {@code s3://bucket/prefix} through {@code s3}, anything else as a local directory. */
  static ObjectStore open(String root, S3Settings s3) {
    if (S3Location.isS3(root)) {
      return new S3ObjectStore(S3Storage.open(s3), S3Location.parse(root), true);
    }
    return new LocalObjectStore(Path.of(root));
  }

  /** Where the store lives, for messages. */
  String describe();

  void put(String key, byte[] bytes);

  /** Uploads a file without holding it in memory. */
  void putFile(String key, Path file);

  /** @throws ObjectNotFoundException if there is no such object */
  byte[] get(String key);

  /** The object's bytes, or empty if there is none. */
  default Optional<byte[]> find(String key) {
    try {
      return Optional.of(get(key));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Copies an object into a local file without holding it in memory; returns its size. */
  long download(String key, Path target);

  /** Objects whose key starts with {@code prefix} ("" for all), keys relative to the root, in key order. */
  List<StoredObject> list(String prefix);

  /** Removes an object; removing a missing one is not an error. */
  void delete(String key);

  @Override
  void close();

  /** Refuses keys that could leave the root or that name nothing; the error names the key. */
  static String checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("object key must not be empty");
    }
    if (key.startsWith("/") || key.endsWith("/") || key.contains("\\")) {
      throw new IllegalArgumentException("object key '" + key + "' must be relative, '/'-separated, not a folder");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("object key '" + key + "' has an empty, '.' or '..' segment");
      }
    }
    return key;
  }
}
