package crisscross.trainer.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import crisscross.trainer.host.NativeKernels;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json} of a checkpoint: what it is and the SHA-256 and size of each of its files. Written
 * last; a checkpoint without a readable manifest, or with a file that does not match it, is damaged.
 *
 * @param parameterSha256 SHA-256 over every parameter value (names sorted), to compare runs exactly
 * @param method the method that trained it (absent before methods were recorded: {@code crisscross})
 * @param objective the method's variant
 * @param kernels the native build, CPU and kernel ISA that computed it (absent in checkpoints written before it was
 *     recorded)
 */
public record CheckpointManifest(int format, String name, long step, int epoch, long positionInEpoch,
    String method, String objective, String configHash, String dataManifestHash, String codeVersion, String createdAt,
    String parameterSha256, NativeKernels kernels, TreeMap<String, FileEntry> files) {

  public static final int FORMAT = 1;
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** One file of a checkpoint. */
  public record FileEntry(String sha256, long bytes) {}

  /** The method, {@code crisscross} for manifests written before it was recorded. */
  public String methodName() {
    return method == null ? Checkpoint.DEFAULT_METHOD : method;
  }

  public Map<String, FileEntry> fileEntries() {
    return files;
  }

  byte[] toJson() throws IOException {
    return JSON.writeValueAsBytes(this);
  }

  static CheckpointManifest parse(byte[] json) throws IOException {
    CheckpointManifest manifest = JSON.readValue(json, CheckpointManifest.class);
    if (manifest.format() != FORMAT) {
      throw new IOException("unsupported checkpoint format " + manifest.format() + " (this build reads " + FORMAT
          + ")");
    }
    if (manifest.files() == null || manifest.files().isEmpty()) {
      throw new IOException("manifest lists no files");
    }
    return manifest;
  }
}
