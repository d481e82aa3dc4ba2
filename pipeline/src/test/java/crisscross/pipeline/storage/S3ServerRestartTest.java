package crisscross.pipeline.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S3 server goes down in the middle of a large download and comes back: the download resumes. */
class S3ServerRestartTest {
  @TempDir Path dir;

  @Test
  void largeDownloadSurvivesAServerStopAndRestartAndResumesWhereItBroke() throws Exception {
    byte[] bytes = new byte[6 * 1024 * 1024];
    new Random(11).nextBytes(bytes);
    try (S3TestServer server = S3TestServer.start();
        S3Storage storage = S3Storage.open(server.settings(
            new RetryPolicy(12, Duration.ofMillis(50), Duration.ofMillis(400)), Duration.ofSeconds(10), 1000))) {
      server.createBucket("media");
      server.putObject("media", "large/clip.mp4", bytes);
      // About 3 s at full length, so the stop lands mid-body.
      server.faults().throttle(2048);
      server.faults().resetCounters();

      Path target = dir.resolve("clip.mp4");
      CompletableFuture<Long> download = CompletableFuture.supplyAsync(
          () -> storage.download(new S3Location("media", "large/clip.mp4"), target));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while ((!Files.exists(target) || Files.size(target) < 1024 * 1024) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      long before = Files.size(target);
      server.stop();
      Thread.sleep(700);
      assertThat(download).isNotDone();
      server.faults().throttle(0);
      server.restart();

      assertThat(download.get()).isEqualTo(bytes.length);
      assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
      assertThat(before).isGreaterThanOrEqualTo(1024 * 1024).isLessThan(bytes.length);
      assertThat(server.faults().rangedGets()).isGreaterThanOrEqualTo(1);
      // Every byte crossed the wire about once: resumed, not restarted.
      assertThat(server.faults().bytesServed()).isLessThan(bytes.length + bytes.length / 4);
    }
  }
}
