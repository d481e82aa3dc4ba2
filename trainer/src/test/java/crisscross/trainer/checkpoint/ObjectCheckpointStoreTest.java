package crisscross.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.storage.ObjectStore;
import crisscross.pipeline.storage.S3TestServer;
import crisscross.pipeline.storage.StoredObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectCheckpointStoreTest {
  private static S3TestServer server;

  @TempDir Path scratch;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private CheckpointStore store(String bucket, int keep) throws Exception {
    server.createBucket(bucket);
    return CheckpointStores.open("s3://" + bucket + "/runs/r1/checkpoints", keep, 0, server.settings(), scratch);
  }

  @Test
  void roundTripsThroughTheBucketAndKeepsTheNewestK() throws Exception {
    CheckpointStore store = store("ckpt-roundtrip", 2);
    for (long step : new long[] {10, 20, 30}) {
      store.write(LocalCheckpointStoreTest.checkpointAt(step, step));
    }
    assertThat(store.location()).contains("ckpt-roundtrip");
    assertThat(store.names()).containsExactly("step-000000000030", "step-000000000020");
    Checkpoint read = store.read("step-000000000030");
    Checkpoint expected = LocalCheckpointStoreTest.checkpointAt(30, 30);
    assertThat(read.model()).isEqualTo(expected.model());
    assertThat(read.trainerState().step()).isEqualTo(30);
    assertThat(store.manifest("step-000000000030").parameterSha256())
        .isEqualTo(ParameterDigest.sha256(expected.model().parameters()));
    try (ObjectStore objects = ObjectStore.open("s3://ckpt-roundtrip/runs/r1/checkpoints", server.settings())) {
      assertThat(objects.list("step-000000000010")).isEmpty();
    }
  }

  @Test
  void anUploadCutBeforeItsManifestIsInvisibleAndADamagedOneIsSkipped() throws Exception {
    CheckpointStore store = store("ckpt-damage", 5);
    store.write(LocalCheckpointStoreTest.checkpointAt(10, 1f));
    store.write(LocalCheckpointStoreTest.checkpointAt(20, 2f));
    try (ObjectStore objects = ObjectStore.open("s3://ckpt-damage/runs/r1/checkpoints", server.settings())) {
      objects.put("step-000000000030/model.kryo", new byte[] {1, 2, 3});
      byte[] model = objects.get("step-000000000020/model.kryo");
      model[model.length / 2] ^= 0x55;
      objects.put("step-000000000020/model.kryo", model);
    }
    assertThat(store.names()).containsExactly("step-000000000020", "step-000000000010");
    List<String> warnings = new ArrayList<>();
    CheckpointStore.Loaded loaded = store.loadLatestValid(warnings::add).orElseThrow();
    assertThat(loaded.name()).isEqualTo("step-000000000010");
    assertThat(warnings).singleElement().asString().contains("step-000000000020").contains("checksum mismatch");
  }

  @Test
  void aCheckpointTheServerStoresWithTransferFramingIsAFailedWriteAndNeverOfferedOnResume() throws Exception {
    CheckpointStore store = store("ckpt-framed", 3);
    server.faults().frameNextPuts(1_000);
    try {
      assertThatThrownBy(() -> store.write(LocalCheckpointStoreTest.checkpointAt(3, 3f)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("step-000000000003")
          .hasMessageContaining("ckpt-framed");
    } finally {
      server.faults().frameNextPuts(0);
    }
    assertThat(store.names()).isEmpty();

    store.write(LocalCheckpointStoreTest.checkpointAt(3, 3f));
    assertThat(store.loadLatestValid(warning -> {}).orElseThrow().checkpoint().model())
        .isEqualTo(LocalCheckpointStoreTest.checkpointAt(3, 3f).model());
  }

  @Test
  void aStoreThatKeepsLessThanItWasGivenFailsTheWriteAndTheManifestIsWithdrawn() throws Exception {
    try (ObjectStore local = ObjectStore.open(scratch.resolve("bucket").toString(), server.settings())) {
      ObjectStore truncating = new TruncatingObjectStore(local, LocalCheckpointStore.MODEL_FILE);
      CheckpointStore store = new ObjectCheckpointStore(truncating, 3, Files.createDirectories(
          scratch.resolve("staging")), 0);

      assertThatThrownBy(() -> store.write(LocalCheckpointStoreTest.checkpointAt(7, 7f)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("step-000000000007 was not stored as written")
          .hasMessageContaining(LocalCheckpointStore.MODEL_FILE + " is stored as");
      assertThat(store.names()).isEmpty();
    }
  }

  /** A store that answers every upload as done but keeps only half of the files named {@code fileName}. */
  private static final class TruncatingObjectStore implements ObjectStore {
    private final ObjectStore delegate;
    private final String fileName;

    TruncatingObjectStore(ObjectStore delegate, String fileName) {
      this.delegate = delegate;
      this.fileName = fileName;
    }

    @Override
    public String describe() {
      return delegate.describe();
    }

    @Override
    public void put(String key, byte[] bytes) {
      delegate.put(key, bytes);
    }

    @Override
    public void putFile(String key, Path file) {
      if (!key.endsWith("/" + fileName)) {
        delegate.putFile(key, file);
        return;
      }
      try {
        byte[] bytes = Files.readAllBytes(file);
        delegate.put(key, java.util.Arrays.copyOf(bytes, bytes.length / 2));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public byte[] get(String key) {
      return delegate.get(key);
    }

    @Override
    public long download(String key, Path target) {
      return delegate.download(key, target);
    }

    @Override
    public List<StoredObject> list(String prefix) {
      return delegate.list(prefix);
    }

    @Override
    public void delete(String key) {
      delegate.delete(key);
    }

    @Override
    public void close() {}
  }
}
