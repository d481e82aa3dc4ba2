package crisscross.pipeline.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage client against a second, independently written S3 server (local-s3), besides s3proxy. */
class LocalS3StorageIT {
  private static final String BUCKET = "second-server";
  private static LocalS3TestServer server;
  private static S3Storage storage;

  @TempDir Path dir;

  @BeforeAll
  static void startServer() {
    server = LocalS3TestServer.start();
    server.createBucket(BUCKET);
    storage = S3Storage.open(server.settings());
  }

  @AfterAll
  static void stopServer() {
    storage.close();
    server.close();
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void uploadsAreStoredAsTheBytesSentAndComeBackWhole() throws Exception {
    byte[] small = "{\"step\":3}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    storage.put(new S3Location(BUCKET, "run1/manifest.json"), small);
    byte[] large = randomBytes(3 * S3Storage.BUFFER_BYTES + 17, 5);
    storage.putFile(new S3Location(BUCKET, "run1/model.kryo"), Files.write(dir.resolve("model.kryo"), large));

    assertThat(storage.get(new S3Location(BUCKET, "run1/manifest.json"))).isEqualTo(small);
    assertThat(storage.head(new S3Location(BUCKET, "run1/model.kryo")))
        .contains(new StoredObject("run1/model.kryo", large.length));
    Path copy = dir.resolve("copy.kryo");
    assertThat(storage.download(new S3Location(BUCKET, "run1/model.kryo"), copy)).isEqualTo(large.length);
    assertThat(Files.readAllBytes(copy)).isEqualTo(large);
    assertThat(storage.list(new S3Location(BUCKET, "run1/"))).extracting(StoredObject::key)
        .containsExactly("run1/manifest.json", "run1/model.kryo");

    storage.delete(new S3Location(BUCKET, "run1/model.kryo"));
    assertThat(storage.head(new S3Location(BUCKET, "run1/model.kryo"))).isEmpty();
    assertThatThrownBy(() -> storage.get(new S3Location(BUCKET, "run1/model.kryo")))
        .isInstanceOf(ObjectNotFoundException.class);
  }
}
