package crisscross.pipeline.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3-compatible object storage with one retry policy for every request. Downloads go to a file through a fixed
 * buffer (never the whole object in memory), resume with a {@code Range} request from the bytes already written
 * when a connection breaks, and are checked against the object's MD5 ETag when it has one. Thread-safe: one
 * instance serves all workers.
 */
public final class S3Storage implements AutoCloseable {
  /** Bytes copied per read while downloading; the only buffer a download holds. */
  static final int BUFFER_BYTES = 64 * 1024;

  private final S3Client client;
  private final Retrier retrier;
  private final int listPageSize;

  S3Storage(S3Client client, Retrier retrier, int listPageSize) {
    this.client = client;
    this.retrier = retrier;
    this.listPageSize = listPageSize;
  }

  /** A client for the configured endpoint; the SDK's own retries are off, {@link RetryPolicy} applies instead. */
  public static S3Storage open(S3Settings settings) {
    AwsCredentialsProvider credentials = settings.accessKeyId().isEmpty()
        ? DefaultCredentialsProvider.create()
        : StaticCredentialsProvider.create(
            AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(settings.requestTimeout())
            .socketTimeout(settings.requestTimeout()))
        .forcePathStyle(settings.pathStyle())
        // The ETag check below covers resumed downloads too, which the SDK's own check cannot. Over http:// the
        // SDK would otherwise frame uploads as aws-chunked (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), which some
        // S3-compatible servers (s3rver) store framing and all instead of decoding; a plain signed body is stored
        // correctly by every server.
        .serviceConfiguration(S3Configuration.builder().checksumValidationEnabled(false)
            .chunkedEncodingEnabled(false).build())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    settings.endpoint().ifPresent(builder::endpointOverride);
    return new S3Storage(builder.build(), new Retrier(settings.retry()), settings.listPageSize());
  }

  public RetryPolicy retryPolicy() {
    return retrier.policy();
  }

  /**
   * Every object whose key starts with {@code prefix.key()} (taken literally: pass
   * {@link S3Location#directoryPrefix()} for a "directory"), in key order, following ListObjectsV2 pages.
   */
  public List<StoredObject> list(S3Location prefix) {
    List<StoredObject> objects = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
          .bucket(prefix.bucket()).prefix(prefix.key()).maxKeys(listPageSize);
      if (token != null) {
        request.continuationToken(token);
      }
      ListObjectsV2Request built = request.build();
      ListObjectsV2Response page = retrier.call("list " + prefix, () -> client.listObjectsV2(built));
      for (S3Object object : page.contents()) {
        objects.add(new StoredObject(object.key(), object.size() == null ? 0 : object.size()));
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    return objects;
  }

  /** Size of an object, or empty if there is none. */
  public Optional<StoredObject> head(S3Location object) {
    try {
      HeadObjectResponse response = retrier.call("head " + object,
          () -> client.headObject(HeadObjectRequest.builder().bucket(object.bucket()).key(object.key()).build()));
      return Optional.of(new StoredObject(object.key(), response.contentLength()));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * A small object's bytes, in memory, checked against its length and MD5 ETag. Use {@link #download} for media
   * and anything large.
   */
  public byte[] get(S3Location object) {
    return retrier.call("get " + object, () -> checked(client.getObjectAsBytes(
        GetObjectRequest.builder().bucket(object.bucket()).key(object.key()).build()), true));
  }

  /** The first {@code maxBytes} bytes of an object (fewer if it is shorter), e.g. to read a CSV header. */
  public byte[] getFirstBytes(S3Location object, int maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
    try {
      return retrier.call("get the start of " + object, () -> checked(client.getObjectAsBytes(GetObjectRequest
          .builder().bucket(object.bucket()).key(object.key()).range("bytes=0-" + (maxBytes - 1)).build()), false));
    } catch (StorageException e) {
      if (Retrier.statusCode(e) == 416) {
        return new byte[0];
      }
      throw e;
    }
  }

  /**
   * The body, once it is known to be whole: the HTTP client reports a connection closed early as a normal end
   * of stream, so the length is compared with Content-Length here (and the digest with the ETag when the whole
   * object was asked for).
   */
  private static byte[] checked(ResponseBytes<GetObjectResponse> body, boolean wholeObject) throws IOException {
    byte[] bytes = body.asByteArrayUnsafe();
    GetObjectResponse response = body.response();
    if (response.contentLength() != null && bytes.length != response.contentLength()) {
      throw new IOException("body ended after " + bytes.length + " of " + response.contentLength() + " bytes");
    }
    if (wholeObject && Transfer.hasContentMd5(response)) {
      String actual = HexFormat.of().formatHex(Transfer.newMd5().digest(bytes));
      String wanted = Transfer.unquote(response.eTag());
      if (!actual.equalsIgnoreCase(wanted)) {
        throw new IOException("received bytes have MD5 " + actual + " but the object's ETag is " + wanted);
      }
    }
    return bytes;
  }

  /**
   * Streams an object into {@code target} (created or truncated) and returns its size. A broken transfer is
   * resumed from the bytes already written ({@code Range: bytes=N-}, {@code If-Match} the first ETag so a
   * replaced object is not spliced onto the old one's start).
   *
   * @throws ObjectNotFoundException when the object does not exist (not retried)
   * @throws StorageException when it still fails after every attempt allowed
   */
  public long download(S3Location object, Path target) {
    Transfer transfer = new Transfer();
    try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      retrier.call("download " + object, () -> {
        downloadAttempt(object, out, transfer);
        return null;
      });
    } catch (IOException e) {
      throw new StorageException("download " + object + ": cannot write " + target + ": " + e.getMessage(), 0, e);
    }
    return transfer.written;
  }

  private void downloadAttempt(S3Location object, FileChannel out, Transfer transfer) throws IOException {
    GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(object.bucket()).key(object.key());
    boolean resuming = transfer.written > 0;
    if (resuming) {
      request.range("bytes=" + transfer.written + "-");
      if (transfer.etag != null) {
        request.ifMatch(transfer.etag);
      }
    }
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = client.getObject(request.build());
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (resuming && e.statusCode() == 412) {
        transfer.restart(out);
        throw new IOException("object changed while it was being downloaded; starting again", e);
      }
      throw e;
    }
    try (in) {
      GetObjectResponse response = in.response();
      String range = response.contentRange();
      if (resuming && (range == null || !range.startsWith("bytes " + transfer.written + "-"))) {
        // The server sent the whole object again: keep it, drop what we had.
        transfer.restart(out);
      }
      if (transfer.written == 0) {
        transfer.begin(response);
      }
      copy(in, out, transfer);
    }
    if (transfer.expected >= 0 && transfer.written != transfer.expected) {
      throw new IOException("body ended after " + transfer.written + " of " + transfer.expected + " bytes");
    }
    transfer.verify(out);
  }

  private static void copy(ResponseInputStream<GetObjectResponse> in, FileChannel out, Transfer transfer)
      throws IOException {
    byte[] buffer = new byte[BUFFER_BYTES];
    ByteBuffer wrapped = ByteBuffer.wrap(buffer);
    int n;
    while ((n = in.read(buffer)) >= 0) {
      if (n == 0) {
        continue;
      }
      wrapped.clear().limit(n);
      try {
        while (wrapped.hasRemaining()) {
          out.write(wrapped);
        }
      } catch (IOException e) {
        in.abort();
        throw new Retrier.LocalFileException("cannot write downloaded bytes: " + e.getMessage(), e);
      }
      transfer.accept(buffer, n);
    }
  }

  /**
   * Uploads a small object from memory (an S3 PUT is atomic: readers see the old object or the new one) and
   * returns once the server {@linkplain #confirm confirms} it holds these bytes; a mismatch is retried like a
   * failed request and reported as a {@link StorageException}.
   */
  public void put(S3Location object, byte[] bytes) {
    Sent sent = new Sent(bytes.length, HexFormat.of().formatHex(Transfer.newMd5().digest(bytes)));
    retrier.call("put " + object, () -> {
      client.putObject(PutObjectRequest.builder().bucket(object.bucket()).key(object.key())
          .contentLength((long) bytes.length).build(), RequestBody.fromBytes(bytes));
      confirm(object, sent);
      return null;
    });
  }

  /** Uploads a file, streamed from disk (re-read from its start on each attempt), confirmed as {@link #put}. */
  public void putFile(S3Location object, Path file) {
    Sent sent;
    try {
      sent = Sent.of(file);
    } catch (IOException e) {
      throw new StorageException("put " + object + ": cannot read " + file + ": " + e.getMessage(), 0, e);
    }
    retrier.call("put " + object + " from " + file, () -> {
      client.putObject(PutObjectRequest.builder().bucket(object.bucket()).key(object.key()).build(),
          RequestBody.fromFile(file));
      confirm(object, sent);
      return null;
    });
  }

  /**
   * Reads back what the server now holds under {@code object}: its size must be the size sent and, where its ETag
   * is the content's MD5 (see {@link Transfer#hasContentMd5}), that digest must be the one of the bytes sent. A
   * 200 to a PUT alone does not prove it: a server may store the request's transfer framing with the content.
   */
  private void confirm(S3Location object, Sent sent) throws IOException {
    HeadObjectResponse stored = client.headObject(
        HeadObjectRequest.builder().bucket(object.bucket()).key(object.key()).build());
    long storedBytes = stored.contentLength() == null ? -1 : stored.contentLength();
    if (storedBytes != sent.bytes()) {
      throw new IOException("the server holds " + storedBytes + " bytes under " + object + " after the upload of "
          + sent.bytes() + " bytes (content-encoding " + stored.contentEncoding() + ")");
    }
    if (Transfer.hasContentMd5(stored.eTag(), stored.serverSideEncryptionAsString(), stored.sseCustomerAlgorithm())
        && !Transfer.unquote(stored.eTag()).equalsIgnoreCase(sent.md5())) {
      throw new IOException("the server holds other bytes under " + object + " than were uploaded: its ETag is "
          + Transfer.unquote(stored.eTag()) + ", the MD5 of the bytes sent " + sent.md5());
    }
  }

  /** Size and MD5 of an upload's body, to compare with what the server reports holding. */
  private record Sent(long bytes, String md5) {
    static Sent of(Path file) throws IOException {
      MessageDigest md5 = Transfer.newMd5();
      long bytes = 0;
      byte[] buffer = new byte[BUFFER_BYTES];
      try (InputStream in = Files.newInputStream(file)) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          md5.update(buffer, 0, n);
          bytes += n;
        }
      }
      return new Sent(bytes, HexFormat.of().formatHex(md5.digest()));
    }
  }

  /** Deletes an object; deleting a missing object is not an error (S3 semantics). */
  public void delete(S3Location object) {
    retrier.call("delete " + object, () -> client.deleteObject(
        DeleteObjectRequest.builder().bucket(object.bucket()).key(object.key()).build()));
  }

  @Override
  public void close() {
    client.close();
  }

  /** What a download has received so far; survives across attempts. */
  private static final class Transfer {
    long written;
    long expected = -1;
    String etag;
    MessageDigest md5;

    void begin(GetObjectResponse response) {
      expected = response.contentLength() == null ? -1 : response.contentLength();
      etag = response.eTag();
      md5 = hasContentMd5(response) ? newMd5() : null;
    }

    void accept(byte[] bytes, int length) {
      written += length;
      if (md5 != null) {
        md5.update(bytes, 0, length);
      }
    }

    void restart(FileChannel out) throws IOException {
      written = 0;
      expected = -1;
      etag = null;
      md5 = null;
      out.truncate(0);
      out.position(0);
    }

    void verify(FileChannel out) throws IOException {
      if (md5 == null) {
        return;
      }
      String actual = HexFormat.of().formatHex(md5.digest());
      String wanted = unquote(etag);
      if (!actual.equalsIgnoreCase(wanted)) {
        restart(out);
        throw new IOException("downloaded bytes have MD5 " + actual + " but the object's ETag is " + wanted);
      }
    }

    /**
     * A single-part object stored without KMS or customer keys has its MD5 as ETag; multipart ETags end in
     * "-N" and encrypted objects' ETags are not digests, so those are not checked.
     */
    static boolean hasContentMd5(GetObjectResponse response) {
      return hasContentMd5(response.eTag(), response.serverSideEncryptionAsString(), response.sseCustomerAlgorithm());
    }

    static boolean hasContentMd5(String eTag, String sse, String sseCustomerAlgorithm) {
      String tag = unquote(eTag);
      boolean hex32 = tag.length() == 32 && tag.chars().allMatch(c -> Character.digit(c, 16) >= 0);
      boolean encryptedWithKey = sseCustomerAlgorithm != null
          || (sse != null && sse.toLowerCase(Locale.ROOT).contains("kms"));
      return hex32 && !encryptedWithKey;
    }

    static String unquote(String etag) {
      if (etag == null) {
        return "";
      }
      return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
          ? etag.substring(1, etag.length() - 1) : etag;
    }

    static MessageDigest newMd5() {
      try {
        return MessageDigest.getInstance("MD5");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("MD5 is required of every JDK", e);
      }
    }
  }
}
