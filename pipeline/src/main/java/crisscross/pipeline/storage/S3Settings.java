package crisscross.pipeline.storage;

import crisscross.pipeline.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach S3-compatible object storage ({@code data.s3.*}); shared by the data sources and by checkpoint
 * destinations on {@code s3://}.
 *
 * @param endpoint empty for AWS; the server's URL for MinIO, Ceph, s3proxy...
 * @param region signing region
 * @param pathStyle address buckets as {@code http://host/bucket/key} rather than {@code http://bucket.host/key}
 * @param accessKeyId empty = the default AWS credentials chain
 * @param secretAccessKey paired with {@code accessKeyId}
 * @param retry attempts and backoff of every request
 * @param requestTimeout how long a request may wait to connect, or wait for its next bytes, before it is retried
 * @param listPageSize keys asked for per ListObjectsV2 page (S3 returns at most 1000)
 */
public record S3Settings(Optional<URI> endpoint, String region, boolean pathStyle, String accessKeyId,
    String secretAccessKey, RetryPolicy retry, Duration requestTimeout, int listPageSize) {

  public S3Settings {
    if (accessKeyId.isEmpty() != secretAccessKey.isEmpty()) {
      throw new IllegalArgumentException("access key id and secret access key must be given together");
    }
  }

  public static S3Settings from(Settings settings) {
    String endpointText = settings.string("data.s3.endpoint").trim();
    Optional<URI> endpoint = Optional.empty();
    if (!endpointText.isEmpty()) {
      try {
        URI uri = new URI(endpointText);
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
          throw settings.invalid("data.s3.endpoint", "expected an http:// or https:// URL, got '" + endpointText + "'");
        }
        endpoint = Optional.of(uri);
      } catch (URISyntaxException e) {
        throw settings.invalid("data.s3.endpoint", "not a URL: '" + endpointText + "' (" + e.getMessage() + ")");
      }
    }
    String region = settings.string("data.s3.region").trim();
    if (region.isEmpty()) {
      throw settings.invalid("data.s3.region", "must not be empty (any value works for most self-hosted servers)");
    }
    String accessKeyId = settings.string("data.s3.access-key-id").trim();
    String secret = settings.string("data.s3.secret-access-key").trim();
    if (accessKeyId.isEmpty() != secret.isEmpty()) {
      throw settings.invalid(accessKeyId.isEmpty() ? "data.s3.access-key-id" : "data.s3.secret-access-key",
          "data.s3.access-key-id and data.s3.secret-access-key must be set together (or both left empty for "
              + "the default AWS credentials chain)");
    }
    int maxAttempts = settings.integer("data.s3.max-attempts", 1, 1000);
    Duration initial = settings.duration("data.s3.initial-backoff", Duration.ZERO);
    Duration max = settings.duration("data.s3.max-backoff", Duration.ZERO);
    if (max.compareTo(initial) < 0) {
      throw settings.invalid("data.s3.max-backoff", "must be at least data.s3.initial-backoff (" + initial + ")");
    }
    Duration timeout = settings.duration("data.s3.request-timeout", Duration.ofMillis(1));
    int pageSize = settings.integer("data.s3.list-page-size", 1, 1000);
    return new S3Settings(endpoint, region, settings.bool("data.s3.path-style"), accessKeyId, secret,
        new RetryPolicy(maxAttempts, initial, max), timeout, pageSize);
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "S3Settings[endpoint=" + endpoint.map(URI::toString).orElse("(AWS)") + ", region=" + region
        + ", pathStyle=" + pathStyle + ", credentials="
        + (accessKeyId.isEmpty() ? "(default chain)" : accessKeyId + "/***") + ", retry=" + retry
        + ", requestTimeout=" + requestTimeout + ", listPageSize=" + listPageSize + "]";
  }
}
