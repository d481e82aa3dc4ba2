package crisscross.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.storage.ObjectStore;
import crisscross.pipeline.storage.S3TestServer;
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
}
