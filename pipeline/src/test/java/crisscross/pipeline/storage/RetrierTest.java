package crisscross.pipeline.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class RetrierTest {
  private final List<Duration> slept = new ArrayList<>();
  private final Retrier retrier = new Retrier(new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(300)),
      slept::add, () -> 0.0);

  private static S3Exception status(int code) {
    return (S3Exception) S3Exception.builder().statusCode(code).message("status " + code).build();
  }

  @Test
  void retryableFailuresAreRetriedAfterTheBackoffOfThePolicy() {
    AtomicInteger calls = new AtomicInteger();
    String result = retrier.call("get s3://b/k", () -> {
      if (calls.incrementAndGet() < 4) {
        throw status(503);
      }
      return "ok";
    });
    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(4);
    // Zero jitter waits the fixed half of the nominal 100, 200, 300 (capped) ms.
    assertThat(slept).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(150));
  }

  @Test
  void givesUpAfterMaxAttemptsAndKeepsTheLastError() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retrier.call("get s3://b/k", () -> {
      calls.incrementAndGet();
      throw new ConnectException("Connection refused");
    })).isInstanceOf(StorageException.class)
        .hasMessageContaining("get s3://b/k")
        .hasMessageContaining("after 5 attempts")
        .hasMessageContaining("Connection refused")
        .hasRootCauseInstanceOf(ConnectException.class);
    assertThat(calls).hasValue(5);
    assertThat(slept).hasSize(4);
  }

  @Test
  void notFoundIsTypedAndNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retrier.call("get s3://b/k", () -> {
      calls.incrementAndGet();
      throw status(404);
    })).isInstanceOf(ObjectNotFoundException.class).hasMessageContaining("does not exist");
    assertThat(calls).hasValue(1);
    assertThat(slept).isEmpty();
  }

  @Test
  void classifiesByStatusAndCause() {
    assertThat(Retrier.isRetryable(status(500))).isTrue();
    assertThat(Retrier.isRetryable(status(503))).isTrue();
    assertThat(Retrier.isRetryable(status(408))).isTrue();
    assertThat(Retrier.isRetryable(status(429))).isTrue();
    assertThat(Retrier.isRetryable(status(400))).isFalse();
    assertThat(Retrier.isRetryable(status(403))).isFalse();
    assertThat(Retrier.isRetryable(status(416))).isFalse();
    assertThat(Retrier.isRetryable(SdkClientException.create("Unable to execute HTTP request",
        new SocketTimeoutException("Read timed out")))).isTrue();
    assertThat(Retrier.isRetryable(new IOException("Premature EOF"))).isTrue();
    assertThat(Retrier.isRetryable(SdkClientException.create("Unable to load credentials"))).isFalse();
    assertThat(Retrier.isRetryable(new Retrier.LocalFileException("disk full", new IOException("No space"))))
        .isFalse();
    assertThat(Retrier.isRetryable(new java.io.InterruptedIOException("interrupted"))).isFalse();
  }

  @Test
  void interruptionStopsRetrying() {
    AtomicInteger calls = new AtomicInteger();
    Retrier interrupting = new Retrier(new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(1)),
        d -> {
          throw new InterruptedException();
        }, () -> 0.5);
    try {
      assertThatThrownBy(() -> interrupting.call("get", () -> {
        calls.incrementAndGet();
        throw status(503);
      })).isInstanceOf(StorageException.class).hasMessageContaining("interrupted");
      assertThat(calls).hasValue(1);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
