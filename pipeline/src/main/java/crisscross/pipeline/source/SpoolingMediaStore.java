package crisscross.pipeline.source;

import crisscross.pipeline.storage.ObjectNotFoundException;
import crisscross.pipeline.storage.S3Location;
import crisscross.pipeline.storage.S3Storage;
import crisscross.pipeline.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local files are returned in place; {@code s3://} objects are streamed into a spool file (fixed-size buffer,
 * resumed after broken connections, retried with backoff by {@link S3Storage}) that is deleted when the media is
 * closed. The spool file keeps the object's extension, which FFmpeg uses to recognise some containers.
 */
final class SpoolingMediaStore implements MediaStore {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolingMediaStore.class);
  private static final int MAX_NAME_CHARS = 80;

  private final Path spoolDir;
  private final Supplier<S3Storage> storageFactory;
  private S3Storage storage;
  private boolean closed;

  SpoolingMediaStore(Path spoolDir, Supplier<S3Storage> storageFactory) {
    this.spoolDir = spoolDir;
    this.storageFactory = storageFactory;
  }

  @Override
  public LocalMedia fetch(SampleRef sample) throws FetchFailedException {
    return sample.isRemote() ? fetchRemote(sample) : fetchLocal(sample);
  }

  private static LocalMedia fetchLocal(SampleRef sample) throws FetchFailedException {
    Path path = Path.of(sample.location());
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new FetchFailedException(sample, "sample " + sample.id() + ": " + path
          + (Files.exists(path) ? " is not a readable file" : " does not exist"), 0, null);
    }
    return new InPlace(sample, path);
  }

  private LocalMedia fetchRemote(SampleRef sample) throws FetchFailedException {
    S3Location object;
    try {
      object = S3Location.parse(sample.location());
    } catch (IllegalArgumentException e) {
      throw new FetchFailedException(sample, "sample " + sample.id() + ": " + e.getMessage(), 0, e);
    }
    Path spool;
    try {
      Files.createDirectories(spoolDir);
      spool = Files.createTempFile(spoolDir, "crisscross-", "-" + safeName(object.name()));
    } catch (IOException e) {
      throw new FetchFailedException(sample, "sample " + sample.id() + ": cannot create a spool file in "
          + spoolDir + " (data.spool-dir): " + e.getMessage(), 0, e);
    }
    try {
      storage().download(object, spool);
      return new Spooled(sample, spool);
    } catch (StorageException e) {
      deleteQuietly(spool);
      String kind = e instanceof ObjectNotFoundException ? "not found" : "fetch failed";
      throw new FetchFailedException(sample, "sample " + sample.id() + ": " + kind + ": " + e.getMessage(),
          e.attempts(), e);
    } catch (RuntimeException e) {
      deleteQuietly(spool);
      throw new FetchFailedException(sample, "sample " + sample.id() + ": fetch failed: " + e, 0, e);
    }
  }

  private synchronized S3Storage storage() {
    if (closed) {
      throw new IllegalStateException("media store is closed");
    }
    if (storage == null) {
      storage = storageFactory.get();
    }
    return storage;
  }

  /** File-system-safe tail of an object name, keeping its extension. */
  static String safeName(String name) {
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.length() <= MAX_NAME_CHARS ? safe : safe.substring(safe.length() - MAX_NAME_CHARS);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("cannot delete spool file {}: {}", file, e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (storage != null) {
      storage.close();
      storage = null;
    }
  }

  private record InPlace(SampleRef sample, Path path) implements LocalMedia {
    @Override
    public boolean isSpooled() {
      return false;
    }

    @Override
    public void close() {}
  }

  private static final class Spooled implements LocalMedia {
    private final SampleRef sample;
    private final Path path;
    private final AtomicBoolean closed = new AtomicBoolean();

    Spooled(SampleRef sample, Path path) {
      this.sample = sample;
      this.path = path;
    }

    @Override
    public SampleRef sample() {
      return sample;
    }

    @Override
    public Path path() {
      return path;
    }

    @Override
    public boolean isSpooled() {
      return true;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        deleteQuietly(path);
      }
    }
  }
}
