package crisscross.trainer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.storage.LocalS3TestServer;
import crisscross.pipeline.storage.ObjectStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints on a second, independently written S3 server (local-s3), besides s3proxy in the unit tests. */
class ObjectCheckpointStoreLocalS3IT {
  private static LocalS3TestServer server;

  @TempDir Path scratch;

  @BeforeAll
  static void startServer() {
    server = LocalS3TestServer.start();
    server.createBucket("ckpt");
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void checkpointsAreConfirmedWrittenReadBackWholeAndResumedFromTheNewest() throws Exception {
    CheckpointStore store = CheckpointStores.open("s3://ckpt/run1", 2, 0, server.settings(), scratch);
    for (long step : new long[] {3, 5, 8}) {
      store.write(LocalCheckpointStoreTest.checkpointAt(step, step));
    }

    assertThat(store.names()).containsExactly("step-000000000008", "step-000000000005");
    for (String name : store.names()) {
      assertThat(store.verify(name).ok()).as(name).isTrue();
    }
    CheckpointStore.Loaded loaded = ResumePoint.find(store, false, warning -> {}).orElseThrow();
    assertThat(loaded.name()).isEqualTo("step-000000000008");
    assertThat(loaded.checkpoint().model()).isEqualTo(LocalCheckpointStoreTest.checkpointAt(8, 8f).model());
    try (ObjectStore objects = ObjectStore.open("s3://ckpt/run1", server.settings())) {
      // The manifest as stored is the JSON itself, with no transfer framing before it.
      assertThat(objects.get("step-000000000008/manifest.json")[0]).isEqualTo((byte) '{');
      assertThat(objects.list("step-000000000003/")).isEmpty();
    }
  }
}
