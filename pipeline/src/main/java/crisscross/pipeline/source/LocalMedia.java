package crisscross.pipeline.source;

import java.nio.file.Path;

/**
 * A sample's media as a local file, for as long as it is open. Local datasets are read in place; objects from
 * storage are spooled to a temporary file that {@link #close()} deletes.
 */
public interface LocalMedia extends AutoCloseable {
  SampleRef sample();

  /** The file to decode. */
  Path path();

  /** True when {@link #path()} is a temporary copy of a remote object. */
  boolean isSpooled();

  /** Releases the file (deletes a spooled copy); idempotent. */
  @Override
  void close();
}
