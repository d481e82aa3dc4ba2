package crisscross.pipeline.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3StorageTest {
  private static final String BUCKET = "media";
  private static S3TestServer server;
  private static S3Storage storage;

  @TempDir Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3TestServer.start();
    server.createBucket(BUCKET);
    storage = S3Storage.open(server.settings(new RetryPolicy(4, Duration.ofMillis(40), Duration.ofMillis(200)),
        Duration.ofSeconds(10), 4));
  }

  @AfterAll
  static void stopServer() throws Exception {
    storage.close();
    server.close();
  }

  @BeforeEach
  void clearFaults() {
    server.faults().failNextGets(0, 503);
    server.faults().cutNextBodies(0, 0);
    server.faults().corruptNextBodies(0);
    server.faults().stallNextBodies(0, 0, 0);
    server.faults().throttle(0);
    server.faults().frameNextPuts(0);
    server.faults().resetCounters();
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static S3Location at(String key) {
    return new S3Location(BUCKET, key);
  }

  @Test
  void listingFollowsEveryPageInKeyOrderAndKeepsToThePrefix() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      String key = String.format("listing/clip-%03d.mp4", i);
      server.putObject(BUCKET, key, new byte[i]);
      expected.add(key);
    }
    server.putObject(BUCKET, "listing-other/not-mine.mp4", new byte[1]);

    List<StoredObject> listed = storage.list(new S3Location(BUCKET, at("listing").directoryPrefix()));

    assertThat(listed).extracting(StoredObject::key).containsExactlyElementsOf(expected);
    assertThat(listed.get(7).size()).isEqualTo(7);
    // 23 keys at 4 per page: 6 pages, each its own request.
    assertThat(server.faults().lists()).isEqualTo(6);
  }

  @Test
  void putThenGetRoundTripsAndDeleteRemoves() {
    byte[] bytes = randomBytes(10_000, 1);
    storage.put(at("roundtrip/a.bin"), bytes);
    assertThat(storage.get(at("roundtrip/a.bin"))).isEqualTo(bytes);
    assertThat(storage.head(at("roundtrip/a.bin"))).contains(new StoredObject("roundtrip/a.bin", 10_000));
    assertThat(storage.getFirstBytes(at("roundtrip/a.bin"), 16)).isEqualTo(java.util.Arrays.copyOf(bytes, 16));
    storage.delete(at("roundtrip/a.bin"));
    assertThat(storage.head(at("roundtrip/a.bin"))).isEmpty();
    storage.delete(at("roundtrip/a.bin"));
  }

  @Test
  void putFileStreamsAFileAndDownloadWritesItBack() throws Exception {
    byte[] bytes = randomBytes(3 * S3Storage.BUFFER_BYTES + 17, 2);
    Path source = Files.write(dir.resolve("source.bin"), bytes);
    storage.putFile(at("files/source.bin"), source);
    Path target = dir.resolve("copy.bin");
    assertThat(storage.download(at("files/source.bin"), target)).isEqualTo(bytes.length);
    assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
  }

  @Test
  void anUploadTheServerStoresWithItsFramingIsCaughtByTheReadBackAndSentAgain() throws Exception {
    byte[] bytes = randomBytes(5_000, 3);
    Path source = Files.write(dir.resolve("framed.bin"), bytes);
    server.faults().frameNextPuts(1);

    storage.putFile(at("framed/once.bin"), source);

    assertThat(server.faults().puts()).isEqualTo(2);
    assertThat(storage.get(at("framed/once.bin"))).isEqualTo(bytes);
  }

  @Test
  void anUploadTheServerKeepsStoringWronglyFailsNamingTheObjectAndWhatItHolds() {
    byte[] bytes = randomBytes(2_000, 4);
    server.faults().frameNextPuts(100);

    assertThatThrownBy(() -> storage.put(at("framed/always.bin"), bytes))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("s3://media/framed/always.bin")
        .hasMessageContaining("after 4 attempts")
        .hasMessageContaining("after the upload of 2000 bytes");
    assertThat(server.faults().puts()).isEqualTo(4);
  }

  @Test
  void downloadStreamsThroughABoundedBufferNotTheWholeObject() throws Exception {
    byte[] bytes = randomBytes(24 * 1024 * 1024, 7);
    server.putObject(BUCKET, "big.bin", bytes);
    Path target = dir.resolve("big.bin");
    storage.download(at("big.bin"), dir.resolve("warm-up.bin"));

    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    storage.download(at("big.bin"), target);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(Files.size(target)).isEqualTo(bytes.length);
    // Holding the object would allocate at least its 24 MiB on this thread.
    assertThat(allocated).isLessThan(4L * 1024 * 1024);
  }

  @Test
  void emptyObjectDownloadsAsAnEmptyFile() throws Exception {
    server.putObject(BUCKET, "empty.bin", new byte[0]);
    Path target = dir.resolve("empty.bin");
    assertThat(storage.download(at("empty.bin"), target)).isZero();
    assertThat(Files.size(target)).isZero();
    assertThat(storage.getFirstBytes(at("empty.bin"), 16)).isEmpty();
  }

  @Test
  void brokenDownloadResumesWithARangeRequestFromTheBytesWritten() throws Exception {
    byte[] bytes = randomBytes(1_000_000, 3);
    server.putObject(BUCKET, "resume.bin", bytes);
    server.faults().cutNextBodies(2, 300_000);

    Path target = dir.resolve("resume.bin");
    storage.download(at("resume.bin"), target);

    assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
    assertThat(server.faults().gets()).isEqualTo(3);
    assertThat(server.faults().rangedGets()).isEqualTo(2);
    // Resuming sends each byte about once: 300 KB + 300 KB + the remaining 400 KB, not 1 MB three times.
    assertThat(server.faults().bytesServed()).isLessThan(1_200_000);
  }

  @Test
  void stalledDownloadTimesOutAndResumes() throws Exception {
    byte[] bytes = randomBytes(600_000, 8);
    server.putObject(BUCKET, "stall.bin", bytes);
    server.faults().stallNextBodies(1, 200_000, 8_000);
    Path target = dir.resolve("stall.bin");
    try (S3Storage impatient = S3Storage.open(server.settings(
        new RetryPolicy(4, Duration.ofMillis(20), Duration.ofMillis(100)), Duration.ofSeconds(1), 1000))) {
      long start = System.nanoTime();
      impatient.download(at("stall.bin"), target);
      // Gave up on the stalled response after the 1 s timeout instead of waiting the 8 s out.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
    }
    assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
    assertThat(server.faults().gets()).isGreaterThanOrEqualTo(2);
    assertThat(server.faults().rangedGets()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void corruptedBodyFailsTheMd5CheckAndIsFetchedAgain() throws Exception {
    byte[] bytes = randomBytes(200_000, 5);
    server.putObject(BUCKET, "corrupt.bin", bytes);
    server.faults().corruptNextBodies(1);

    Path target = dir.resolve("corrupt.bin");
    storage.download(at("corrupt.bin"), target);

    assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
    assertThat(server.faults().gets()).isEqualTo(2);
    assertThat(server.faults().rangedGets()).isZero();
  }

  @Test
  void truncatedOrCorruptedSmallReadsAreDetectedAndAskedAgain() {
    // The HTTP client reports a connection closed early as a normal end of body: lengths must be checked.
    byte[] bytes = randomBytes(1000, 6);
    server.putObject(BUCKET, "small.bin", bytes);
    server.faults().cutNextBodies(1, 100);
    assertThat(storage.get(at("small.bin"))).isEqualTo(bytes);
    assertThat(server.faults().gets()).isEqualTo(2);

    server.faults().cutNextBodies(1, 100);
    assertThat(storage.getFirstBytes(at("small.bin"), 500)).isEqualTo(java.util.Arrays.copyOf(bytes, 500));
    assertThat(server.faults().gets()).isEqualTo(4);

    server.faults().corruptNextBodies(1);
    assertThat(storage.get(at("small.bin"))).isEqualTo(bytes);
    assertThat(server.faults().gets()).isEqualTo(6);
  }

  @Test
  void serverErrorsAreRetriedWithGrowingBackoff() throws Exception {
    server.putObject(BUCKET, "flaky.bin", randomBytes(1000, 4));
    server.faults().failNextGets(3, 503);

    long start = System.nanoTime();
    byte[] got = storage.get(at("flaky.bin"));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(got).hasSize(1000);
    assertThat(server.faults().gets()).isEqualTo(4);
    // Nominal delays 40, 80, 160 ms, of which at least half is always waited.
    assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(140));
  }

  @Test
  void serverErrorsBeyondMaxAttemptsFailNamingTheObjectAndTheLastError() {
    server.putObject(BUCKET, "down.bin", new byte[10]);
    server.faults().failNextGets(100, 500);

    assertThatThrownBy(() -> storage.download(at("down.bin"), dir.resolve("down.bin")))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("s3://media/down.bin")
        .hasMessageContaining("after 4 attempts")
        .hasMessageContaining("HTTP 500")
        .satisfies(e -> assertThat(((StorageException) e).attempts()).isEqualTo(4));
    assertThat(server.faults().gets()).isEqualTo(4);
  }

  @Test
  void missingKeyFailsFastWithAClearMessage() {
    assertThatThrownBy(() -> storage.download(at("absent/clip.mp4"), dir.resolve("x")))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessageContaining("s3://media/absent/clip.mp4")
        .hasMessageContaining("does not exist")
        .hasMessageContaining("404");
    assertThat(server.faults().gets()).isEqualTo(1);
  }

  @Test
  void forbiddenIsNotRetried() {
    server.putObject(BUCKET, "forbidden.bin", new byte[10]);
    server.faults().failNextGets(5, 403);
    assertThatThrownBy(() -> storage.get(at("forbidden.bin")))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("not retryable")
        .hasMessageContaining("403");
    assertThat(server.faults().gets()).isEqualTo(1);
  }

  @Test
  void throttlingIsRetried() {
    server.putObject(BUCKET, "throttled.bin", new byte[10]);
    server.faults().failNextGets(2, 429);
    assertThat(storage.get(at("throttled.bin"))).hasSize(10);
    assertThat(server.faults().gets()).isEqualTo(3);
  }

  @Test
  void wrongCredentialsFailFast() {
    S3Settings good = server.settings();
    S3Settings wrong = new S3Settings(good.endpoint(), good.region(), true, S3TestServer.ACCESS_KEY, "not-the-secret",
        good.retry(), good.requestTimeout(), good.listPageSize());
    server.putObject(BUCKET, "guarded.bin", new byte[10]);
    try (S3Storage intruder = S3Storage.open(wrong)) {
      assertThatThrownBy(() -> intruder.get(at("guarded.bin")))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("403")
          .satisfies(e -> assertThat(((StorageException) e).attempts()).isEqualTo(1));
    }
  }

  @Test
  void unreachableServerIsRetriedThenReported() {
    S3Settings nowhere = new S3Settings(Optional.of(java.net.URI.create("http://127.0.0.1:9")), "us-east-1", true,
        "a", "b", new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20)), Duration.ofSeconds(2), 10);
    try (S3Storage unreachable = S3Storage.open(nowhere)) {
      assertThatThrownBy(() -> unreachable.get(at("x")))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("after 3 attempts");
    }
  }
}
