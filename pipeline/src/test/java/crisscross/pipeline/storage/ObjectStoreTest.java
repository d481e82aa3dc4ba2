package crisscross.pipeline.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One contract, two stores: a local directory and an s3:// prefix, as checkpoint destinations use them. */
class ObjectStoreTest {
  private static S3TestServer server;

  @TempDir Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3TestServer.start();
    server.createBucket("runs");
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private ObjectStore open(String kind, String name) {
    return ObjectStore.open(kind.equals("s3") ? "s3://runs/" + name : dir.resolve(name).toString(),
        server.settings());
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void putGetListDeleteRoundTrip(String kind) {
    try (ObjectStore store = open(kind, "roundtrip")) {
      assertThat(store.list("")).isEmpty();
      store.put("ckpt/step-000100/meta.json", "{\"step\":100}".getBytes());
      store.put("ckpt/step-000200/meta.json", "{\"step\":200}".getBytes());
      store.put("latest", "step-000200".getBytes());
      store.put("latest", "step-000100".getBytes());

      assertThat(store.get("latest")).isEqualTo("step-000100".getBytes());
      assertThat(store.list("")).extracting(StoredObject::key)
          .containsExactly("ckpt/step-000100/meta.json", "ckpt/step-000200/meta.json", "latest");
      assertThat(store.list("ckpt/step-0002")).containsExactly(new StoredObject("ckpt/step-000200/meta.json", 12));
      assertThat(store.find("absent")).isEmpty();
      assertThatThrownBy(() -> store.get("absent")).isInstanceOf(ObjectNotFoundException.class)
          .hasMessageContaining("absent");

      store.delete("ckpt/step-000100/meta.json");
      store.delete("ckpt/step-000100/meta.json");
      assertThat(store.list("ckpt/")).extracting(StoredObject::key).containsExactly("ckpt/step-000200/meta.json");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void largeFilesGoUpAndComeBackWithoutBeingHeldInMemory(String kind) throws Exception {
    byte[] bytes = new byte[2 * 1024 * 1024 + 3];
    new Random(9).nextBytes(bytes);
    Path weights = Files.write(dir.resolve("weights.bin"), bytes);
    try (ObjectStore store = open(kind, "files")) {
      store.putFile("ckpt/weights.bin", weights);
      Path back = dir.resolve("back.bin");
      assertThat(store.download("ckpt/weights.bin", back)).isEqualTo(bytes.length);
      assertThat(Files.readAllBytes(back)).isEqualTo(bytes);
      assertThat(store.list("")).containsExactly(new StoredObject("ckpt/weights.bin", bytes.length));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3"})
  void keysThatCouldLeaveTheRootAreRefused(String kind) {
    try (ObjectStore store = open(kind, "keys")) {
      for (String key : new String[] {"", "/abs", "a/../b", "a//b", "dir/", "./a"}) {
        assertThatThrownBy(() -> store.put(key, new byte[1])).isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local"})
  void aLocalPutLeavesNoTemporaryFileBehind(String kind) throws Exception {
    try (ObjectStore store = open(kind, "atomic")) {
      store.put("a/b.bin", new byte[100]);
      store.put("a/b.bin", new byte[50]);
    }
    try (Stream<Path> files = Files.list(dir.resolve("atomic/a"))) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("b.bin");
    }
    assertThat(Files.size(dir.resolve("atomic/a/b.bin"))).isEqualTo(50);
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3"})
  void s3StoreRetriesServerErrors(String kind) {
    try (ObjectStore store = open(kind, "retries")) {
      store.put("state.json", "{}".getBytes());
      server.faults().resetCounters();
      server.faults().failNextGets(2, 500);
      assertThat(store.get("state.json")).isEqualTo("{}".getBytes());
      assertThat(server.faults().gets()).isEqualTo(3);
      assertThat(store.describe()).isEqualTo("s3://runs/retries");
    }
  }
}
