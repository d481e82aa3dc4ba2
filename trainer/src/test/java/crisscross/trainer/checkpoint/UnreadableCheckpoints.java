package crisscross.trainer.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checkpoints as a run finds them after an S3-compatible server kept the uploads' aws-chunked framing. */
public final class UnreadableCheckpoints {
  private UnreadableCheckpoints() {}

  /** Puts the framing s3rver stored ({@code <size>;chunk-signature=...}) before the JSON of a checkpoint's manifest. */
  public static void frameManifest(LocalCheckpointStore store, String name) throws IOException {
    Path manifest = store.directory().resolve(name).resolve(LocalCheckpointStore.MANIFEST_FILE);
    byte[] json = Files.readAllBytes(manifest);
    Files.write(manifest, (Integer.toHexString(json.length) + ";chunk-signature=" + "0".repeat(64) + "\r\n"
        + new String(json, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a checkpoint at {@code step} and makes it unreadable; returns its name. */
  public static String writeUnreadable(LocalCheckpointStore store, long step) throws IOException {
    CheckpointManifest manifest = store.write(LocalCheckpointStoreTest.checkpointAt(step, step));
    frameManifest(store, manifest.name());
    return manifest.name();
  }
}
