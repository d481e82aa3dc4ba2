package crisscross.pipeline.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 server for tests: s3proxy in this JVM on a free port, path-style, signature-checked, over an
 * in-memory blob store that survives {@link #stop()} and {@link #restart()} (same port, same objects).
 */
public final class S3TestServer implements AutoCloseable {
  public static final String ACCESS_KEY = "crisscross-access";
  public static final String SECRET_KEY = "crisscross-secret";

  private final BlobStoreContext context;
  private final FaultyBlobStore blobStore;
  private final int port;
  private S3Proxy proxy;

  private S3TestServer(int port) {
    this.port = port;
    this.context = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
        .build(BlobStoreContext.class);
    this.blobStore = new FaultyBlobStore(context.getBlobStore());
  }

  public static S3TestServer start() throws Exception {
    S3TestServer server = new S3TestServer(freePort());
    server.restart();
    return server;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts (again) on the same port with the same objects. */
  public synchronized void restart() throws Exception {
    if (proxy != null) {
      return;
    }
    S3Proxy started = S3Proxy.builder()
        .blobStore(blobStore)
        .endpoint(endpoint())
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    started.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!"STARTED".equals(started.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + started.getState());
      }
      Thread.sleep(5);
    }
    proxy = started;
  }

  /** Stops the server: open connections are closed, new ones refused until {@link #restart()}. */
  public synchronized void stop() throws Exception {
    if (proxy != null) {
      proxy.stop();
      proxy = null;
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public FaultyBlobStore faults() {
    return blobStore;
  }

  public BlobStore blobStore() {
    return blobStore;
  }

  public void createBucket(String bucket) {
    blobStore.createContainerInLocation(null, bucket);
  }

  /** Stores an object directly in the blob store, bypassing HTTP. */
  public void putObject(String bucket, String key, byte[] bytes) {
    blobStore.putBlob(bucket, blobStore.blobBuilder(key).payload(bytes).contentLength(bytes.length).build());
  }

  /** Client settings for this server. */
  public S3Settings settings(RetryPolicy retry, Duration requestTimeout, int listPageSize) {
    return new S3Settings(Optional.of(endpoint()), "us-east-1", true, ACCESS_KEY, SECRET_KEY, retry,
        requestTimeout, listPageSize);
  }

  /** Quick retries suited to tests: 10 attempts, 20 ms doubling to 400 ms. */
  public S3Settings settings() {
    return settings(new RetryPolicy(10, Duration.ofMillis(20), Duration.ofMillis(400)), Duration.ofSeconds(10),
        1000);
  }

  @Override
  public synchronized void close() {
    try {
      stop();
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy did not stop", e);
    } finally {
      context.close();
    }
  }
}
