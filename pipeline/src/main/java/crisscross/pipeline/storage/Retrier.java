package crisscross.pipeline.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Runs a storage request under a {@link RetryPolicy}: 5xx, 408, 429, timeouts and broken connections are retried
 * after a backoff; any other failure (a 4xx, bad credentials, a local disk error) ends at once. Thread-safe.
 */
final class Retrier {
  private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

  /** One request; may be called again after a retryable failure. */
  @FunctionalInterface
  interface Attempt<T> {
    T run() throws Exception;
  }

  /** Waits between attempts; the real one sleeps, tests record. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  static final Sleeper THREAD_SLEEP = duration -> Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);

  private final RetryPolicy policy;
  private final Sleeper sleeper;
  private final DoubleSupplier jitter;

  Retrier(RetryPolicy policy) {
    this(policy, THREAD_SLEEP, () -> ThreadLocalRandom.current().nextDouble());
  }

  Retrier(RetryPolicy policy, Sleeper sleeper, DoubleSupplier jitter) {
    this.policy = policy;
    this.sleeper = sleeper;
    this.jitter = jitter;
  }

  RetryPolicy policy() {
    return policy;
  }

  /**
   * Runs {@code attempt} until it succeeds, fails with a non-retryable error, or has been tried
   * {@code maxAttempts} times. {@code what} names the request in errors ("get s3://bucket/key").
   */
  <T> T call(String what, Attempt<T> attempt) {
    for (int attempts = 1; ; attempts++) {
      try {
        return attempt.run();
      } catch (Exception e) {
        if (Thread.currentThread().isInterrupted() || e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          throw new StorageException(what + ": interrupted", attempts, e);
        }
        int status = statusCode(e);
        if (status == 404) {
          throw new ObjectNotFoundException(what + ": does not exist (HTTP 404 " + errorCode(e) + ")", attempts, e);
        }
        if (!isRetryable(e)) {
          throw new StorageException(what + ": failed and is not retryable: " + describe(e), attempts, e);
        }
        if (attempts >= policy.maxAttempts()) {
          throw new StorageException(what + ": failed after " + attempts + " attempts; last error: " + describe(e),
              attempts, e);
        }
        Duration delay = policy.delayAfter(attempts, jitter.getAsDouble());
        LOG.debug("{}: attempt {} failed ({}); retrying in {} ms", what, attempts, describe(e), delay.toMillis());
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new StorageException(what + ": interrupted while waiting to retry", attempts, e);
        }
      }
    }
  }

  /**
   * Whether a failure is worth another attempt: server errors (5xx), request timeout (408), throttling (429),
   * timeouts, refused or reset connections and bodies cut short. Other HTTP statuses (a 4xx is the request's own
   * fault) and client-side misconfiguration are not.
   */
  static boolean isRetryable(Throwable failure) {
    int status = statusCode(failure);
    if (status > 0) {
      return status >= 500 || status == 408 || status == 429;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof LocalFileException) {
        return false;
      }
      if (t instanceof InterruptedIOException && !(t instanceof java.net.SocketTimeoutException)) {
        return false;
      }
      if (t instanceof IOException || t instanceof UncheckedIOException
          || t instanceof ApiCallAttemptTimeoutException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** The HTTP status of a service error anywhere in the cause chain, or 0. */
  static int statusCode(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SdkServiceException service && service.statusCode() > 0) {
        return service.statusCode();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return 0;
  }

  private static String errorCode(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof software.amazon.awssdk.awscore.exception.AwsServiceException aws
          && aws.awsErrorDetails() != null && aws.awsErrorDetails().errorCode() != null) {
        return aws.awsErrorDetails().errorCode();
      }
    }
    return "";
  }

  static String describe(Throwable failure) {
    int status = statusCode(failure);
    String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    if (status > 0) {
      String code = errorCode(failure);
      return "HTTP " + status + (code.isEmpty() ? "" : " " + code) + " (" + message + ")";
    }
    return message;
  }

  /** A failure on this machine's disk while storing downloaded bytes: retrying the network would not help. */
  static final class LocalFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LocalFileException(String message, IOException cause) {
      super(message, cause);
    }
  }
}
