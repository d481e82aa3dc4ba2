package crisscross.trainer.checkpoint;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Where checkpoints live: a local directory or an object-storage prefix. */
public interface CheckpointStore {
  /** Human-readable location (a path or an s3:// URI). */
  String location();

  /** Writes a checkpoint atomically and prunes old ones; returns its manifest. */
  CheckpointManifest write(Checkpoint checkpoint) throws IOException;

  /** Checkpoint names, newest (highest step) first. */
  List<String> names() throws IOException;

  /** Checks the manifest and every file's size and SHA-256. */
  Verification verify(String name);

  /** Reads a checkpoint after verifying it. */
  Checkpoint read(String name) throws IOException;

  /** The manifest alone (after verification). */
  CheckpointManifest manifest(String name) throws IOException;

  /** Removes a checkpoint for good; a checkpoint removed half-way is never seen as complete. */
  void discard(String name) throws IOException;

  /**
   * The newest checkpoint that verifies and reads; each damaged newer one is reported through {@code warnings}
   * and skipped. Empty when there is none.
   */
  default Optional<Loaded> loadLatestValid(Consumer<String> warnings) throws IOException {
    for (String name : names()) {
      Verification verification = verify(name);
      if (!verification.ok()) {
        warnings.accept("checkpoint " + name + " in " + location() + " is damaged (" + verification.problem()
            + "); falling back to the previous one");
        continue;
      }
      try {
        return Optional.of(new Loaded(name, manifest(name), read(name)));
      } catch (IOException e) {
        warnings.accept("checkpoint " + name + " in " + location() + " cannot be read (" + e.getMessage()
            + "); falling back to the previous one");
      }
    }
    return Optional.empty();
  }

  /** A checkpoint read back. */
  record Loaded(String name, CheckpointManifest manifest, Checkpoint checkpoint) {}

  /** The outcome of checking a checkpoint against its manifest. */
  record Verification(boolean ok, String problem) {
    static Verification good() {
      return new Verification(true, "");
    }

    static Verification damaged(String problem) {
      return new Verification(false, problem);
    }
  }
}
