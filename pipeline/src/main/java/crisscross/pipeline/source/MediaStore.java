package crisscross.pipeline.source;

import crisscross.pipeline.storage.S3Storage;

/**
 * Makes a sample's media available as a local file for the decoder. Thread-safe: many workers fetch at once.
 *
 * <pre>{@code
 * try (LocalMedia media = store.fetch(sample)) {
 *   decode(media.path());
 * } catch (FetchFailedException e) {
 *   skip(sample, e.reason());
 * }
 * }</pre>
 */
public interface MediaStore extends AutoCloseable {
  /**
   * A store for the configured data: local files in place, {@code s3://} objects spooled to
   * {@code data.spool-dir} with the {@code data.s3.*} retry policy (the S3 client is created on first use).
   */
  static MediaStore open(DataSettings settings) {
    return new SpoolingMediaStore(settings.spoolDir(), () -> S3Storage.open(settings.s3()));
  }

  /**
   * The sample's media as a local file; close it when decoded.
   *
   * @throws FetchFailedException when it cannot be had (reason {@code FETCH_FAILED})
   */
  LocalMedia fetch(SampleRef sample) throws FetchFailedException;

  /** Releases the storage client; media already fetched stay valid until closed. */
  @Override
  void close();
}
