package crisscross.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.storage.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaStoreTest {
  private static S3TestServer server;

  @TempDir Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3TestServer.start();
    server.createBucket("media");
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void clearFaults() {
    server.faults().failNextGets(0, 503);
    server.faults().cutNextBodies(0, 0);
    server.faults().throttle(0);
    server.faults().resetCounters();
  }

  private Path spool() {
    return dir.resolve("spool");
  }

  private MediaStore store(String... more) {
    return MediaStore.open(Trees.settings("", S3DatasetsTest.s3(server, spool(), more)));
  }

  private static SampleRef remote(int index, String key) {
    return new SampleRef(index, key, "s3://media/" + key, Optional.empty(), "", key);
  }

  private static byte[] bytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private long spooledFiles() throws Exception {
    if (!Files.exists(spool())) {
      return 0;
    }
    try (Stream<Path> files = Files.list(spool())) {
      return files.count();
    }
  }

  @Test
  void localFilesAreUsedInPlace() throws Exception {
    Path clip = Files.write(dir.resolve("clip.mp4"), new byte[] {1, 2, 3});
    SampleRef sample = new SampleRef(0, "clip.mp4", clip.toString(), Optional.empty(), "", "");
    try (MediaStore store = store(); LocalMedia media = store.fetch(sample)) {
      assertThat(media.path()).isEqualTo(clip);
      assertThat(media.isSpooled()).isFalse();
      assertThat(media.sample()).isEqualTo(sample);
    }
    assertThat(clip).exists();
  }

  @Test
  void missingLocalFileIsAFetchFailure() {
    SampleRef sample = new SampleRef(3, "gone.mp4", dir.resolve("gone.mp4").toString(), Optional.empty(), "", "");
    try (MediaStore store = store()) {
      assertThatThrownBy(() -> store.fetch(sample))
          .isInstanceOf(FetchFailedException.class)
          .hasMessageContaining("gone.mp4").hasMessageContaining("does not exist")
          .satisfies(e -> {
            assertThat(((FetchFailedException) e).reason()).isEqualTo(SkipReason.FETCH_FAILED);
            assertThat(((FetchFailedException) e).sample()).isEqualTo(sample);
          });
    }
  }

  @Test
  void remoteObjectIsSpooledWithItsExtensionAndDeletedOnClose() throws Exception {
    byte[] content = bytes(300_000, 1);
    server.putObject("media", "clips/dog bark.mp4", content);
    Path spooled;
    try (MediaStore store = store(); LocalMedia media = store.fetch(remote(0, "clips/dog bark.mp4"))) {
      spooled = media.path();
      assertThat(media.isSpooled()).isTrue();
      assertThat(spooled.getParent()).isEqualTo(spool());
      assertThat(spooled.getFileName().toString()).endsWith("dog_bark.mp4");
      assertThat(Files.readAllBytes(spooled)).isEqualTo(content);
    }
    assertThat(spooled).doesNotExist();
    assertThat(spooledFiles()).isZero();
  }

  @Test
  void missingObjectFailsFastAsFetchFailed() throws Exception {
    try (MediaStore store = store()) {
      assertThatThrownBy(() -> store.fetch(remote(5, "clips/absent.mp4")))
          .isInstanceOf(FetchFailedException.class)
          .hasMessageContaining("s3://media/clips/absent.mp4")
          .hasMessageContaining("not found")
          .satisfies(e -> assertThat(((FetchFailedException) e).attempts()).isEqualTo(1));
    }
    assertThat(server.faults().gets()).isEqualTo(1);
    assertThat(spooledFiles()).isZero();
  }

  @Test
  void persistentServerErrorsBecomeFetchFailedAfterMaxAttempts() throws Exception {
    server.putObject("media", "clips/down.mp4", new byte[10]);
    server.faults().failNextGets(1000, 503);
    try (MediaStore store = store("data.s3.max-attempts=3", "data.s3.initial-backoff=5ms",
        "data.s3.max-backoff=10ms")) {
      assertThatThrownBy(() -> store.fetch(remote(1, "clips/down.mp4")))
          .isInstanceOf(FetchFailedException.class)
          .hasMessageContaining("after 3 attempts")
          .hasMessageContaining("503")
          .satisfies(e -> assertThat(((FetchFailedException) e).reason()).isEqualTo(SkipReason.FETCH_FAILED));
    }
    assertThat(server.faults().gets()).isEqualTo(3);
    assertThat(spooledFiles()).isZero();
  }

  @Test
  void parallelFetchesSurviveAServerStopAndRestartWithoutLosingASample() throws Exception {
    int count = 96;
    Map<String, byte[]> contents = new ConcurrentHashMap<>();
    List<SampleRef> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = String.format("parallel/clip-%03d.mp4", i);
      byte[] content = bytes(16_000 + 997 * i, 100 + i);
      server.putObject("media", key, content);
      contents.put(key, content);
      samples.add(remote(i, key));
    }
    server.faults().resetCounters();
    // About 60 ms per object: the stop finds fetches in flight.
    server.faults().throttle(1024);
    AtomicInteger done = new AtomicInteger();
    Map<String, String> problems = new ConcurrentHashMap<>();
    ExecutorService workers = Executors.newFixedThreadPool(8);
    int doneAtStop;
    try (MediaStore store = store("data.s3.max-attempts=12", "data.s3.initial-backoff=50ms")) {
      List<Future<?>> futures = new ArrayList<>();
      for (SampleRef sample : samples) {
        futures.add(workers.submit(() -> {
          try (LocalMedia media = store.fetch(sample)) {
            if (!Arrays.equals(Files.readAllBytes(media.path()), contents.get(sample.id()))) {
              problems.put(sample.id(), "content differs");
            }
          } catch (Exception e) {
            problems.put(sample.id(), e.toString());
          }
          done.incrementAndGet();
          return null;
        }));
      }
      while (done.get() < 24) {
        Thread.sleep(2);
      }
      server.stop();
      doneAtStop = done.get();
      Thread.sleep(600);
      server.restart();
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      workers.shutdownNow();
    }
    assertThat(problems).isEmpty();
    assertThat(done).hasValue(count);
    assertThat(doneAtStop).isLessThan(count - 8);
    // Fetches cut by the stop were asked again.
    assertThat(server.faults().gets()).isGreaterThan(count);
    assertThat(spooledFiles()).isZero();
  }
}
