package crisscross.pipeline.storage;

import com.robothy.s3.rest.LocalS3;
import com.robothy.s3.rest.bootstrap.LocalS3Mode;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A second real S3 server for tests, written independently of s3proxy: Robothy's local-s3 (its own Netty HTTP
 * stack and request parsing), in memory, in this JVM on a free port, path-style. It accepts any credentials, so
 * it tests what the server stores and answers, not request signing (s3proxy checks that).
 */
public final class LocalS3TestServer implements AutoCloseable {
  private static final String ACCESS_KEY = "local-s3-access";
  private static final String SECRET_KEY = "local-s3-secret";

  private final LocalS3 server;
  private final int port;

  private LocalS3TestServer(int port) {
    this.port = port;
    this.server = LocalS3.builder().port(port).mode(LocalS3Mode.IN_MEMORY).build();
  }

  public static LocalS3TestServer start() {
    LocalS3TestServer started = new LocalS3TestServer(S3TestServer.freePort());
    started.server.start();
    return started;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public void createBucket(String bucket) {
    try (S3Client client = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build()) {
      client.createBucket(request -> request.bucket(bucket));
    }
  }

  /** Client settings for this server: quick retries, as {@link S3TestServer#settings()}. */
  public S3Settings settings() {
    return new S3Settings(Optional.of(endpoint()), "us-east-1", true, ACCESS_KEY, SECRET_KEY,
        new RetryPolicy(5, Duration.ofMillis(20), Duration.ofMillis(200)), Duration.ofSeconds(10), 1000);
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
