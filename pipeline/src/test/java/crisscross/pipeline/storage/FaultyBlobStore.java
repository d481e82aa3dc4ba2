package crisscross.pipeline.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.GetOptions;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.http.HttpResponse;
import org.jclouds.http.HttpResponseException;
import org.jclouds.io.Payload;
import org.jclouds.io.payloads.InputStreamPayload;

/**
 * The blob store behind the test S3 server, with faults a real server shows: it answers the next N reads with an
 * HTTP error, cuts response bodies after some bytes (a reset connection), stalls them, corrupts them, or serves
 * bytes slowly; it can also store uploads with transfer framing around their content, as a server that does not
 * decode aws-chunked bodies does. It counts the
 * requests it sees, so tests can tell a retry from a success and a resumed download from a restarted one.
 */
public final class FaultyBlobStore extends ForwardingBlobStore {
  private final AtomicInteger failingGets = new AtomicInteger();
  private volatile int failureStatus = 503;
  private final AtomicInteger failingLists = new AtomicInteger();
  private final AtomicInteger cutBodies = new AtomicInteger();
  private volatile long cutAfterBytes;
  private volatile long nanosPerKibibyte;
  private final AtomicInteger corruptBodies = new AtomicInteger();
  private final AtomicInteger stallBodies = new AtomicInteger();
  private volatile long stallAfterBytes;
  private volatile long stallMillis;
  private final AtomicInteger framedPuts = new AtomicInteger();
  private final AtomicInteger puts = new AtomicInteger();
  private final AtomicInteger gets = new AtomicInteger();
  private final AtomicInteger rangedGets = new AtomicInteger();
  private final AtomicInteger lists = new AtomicInteger();
  private final AtomicLong bytesServed = new AtomicLong();

  FaultyBlobStore(BlobStore delegate) {
    super(delegate);
  }

  /** The next {@code count} object reads are answered with {@code status} (e.g. 503 Slow Down, 500, 403). */
  public void failNextGets(int count, int status) {
    failureStatus = status;
    failingGets.set(count);
  }

  /** The next {@code count} listing requests are answered with {@code status}. */
  public void failNextLists(int count, int status) {
    failureStatus = status;
    failingLists.set(count);
  }

  /** The next {@code count} object reads send {@code bytes} bytes of the body, then break the connection. */
  public void cutNextBodies(int count, long bytes) {
    cutAfterBytes = bytes;
    cutBodies.set(count);
  }

  /** The next {@code count} object reads send their body with one byte flipped (a corrupting middlebox). */
  public void corruptNextBodies(int count) {
    corruptBodies.set(count);
  }

  /** The next {@code count} object reads stop sending for {@code millis} after {@code bytes} bytes. */
  public void stallNextBodies(int count, long bytes, long millis) {
    stallAfterBytes = bytes;
    stallMillis = millis;
    stallBodies.set(count);
  }

  /**
   * The next {@code count} uploads are stored with aws-chunked framing around their bytes
   * ({@code <size>;chunk-signature=...}), as s3rver stores them; the PUT itself is answered 200.
   */
  public void frameNextPuts(int count) {
    framedPuts.set(count);
  }

  public int puts() {
    return puts.get();
  }

  /** Bodies are served at about this many kibibytes per second (0 = full speed). */
  public void throttle(long kibibytesPerSecond) {
    nanosPerKibibyte = kibibytesPerSecond <= 0 ? 0 : 1_000_000_000L / kibibytesPerSecond;
  }

  BlobStore delegateStore() {
    return delegate();
  }

  public int gets() {
    return gets.get();
  }

  public int rangedGets() {
    return rangedGets.get();
  }

  public int lists() {
    return lists.get();
  }

  public long bytesServed() {
    return bytesServed.get();
  }

  public void resetCounters() {
    gets.set(0);
    rangedGets.set(0);
    lists.set(0);
    puts.set(0);
    bytesServed.set(0);
  }

  @Override
  public Blob getBlob(String container, String name) {
    return getBlob(container, name, GetOptions.NONE);
  }

  @Override
  public Blob getBlob(String container, String name, GetOptions options) {
    gets.incrementAndGet();
    if (options != null && !options.getRanges().isEmpty()) {
      rangedGets.incrementAndGet();
    }
    if (failingGets.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new HttpResponseException("injected failure", null,
          HttpResponse.builder().statusCode(failureStatus).build());
    }
    Blob blob = super.getBlob(container, name, options);
    if (blob == null) {
      return null;
    }
    long cutAt = cutBodies.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? cutAfterBytes : Long.MAX_VALUE;
    long stallAt = stallBodies.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? stallAfterBytes : Long.MAX_VALUE;
    Payload original = blob.getPayload();
    try (InputStream in = original.openStream()) {
      // Read first: replacing the payload closes the original one, and with it a ranged read's stream.
      byte[] body = in.readAllBytes();
      if (body.length > 0 && corruptBodies.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        body[body.length / 2] ^= 0x5a;
      }
      Payload wrapped = new InputStreamPayload(new FaultyStream(new ByteArrayInputStream(body), cutAt, stallAt));
      wrapped.setContentMetadata(original.getContentMetadata());
      blob.setPayload(wrapped);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return blob;
  }

  @Override
  public String putBlob(String container, Blob blob) {
    return super.putBlob(container, framedIfAsked(blob));
  }

  @Override
  public String putBlob(String container, Blob blob, PutOptions options) {
    return super.putBlob(container, framedIfAsked(blob), options);
  }

  private Blob framedIfAsked(Blob blob) {
    puts.incrementAndGet();
    if (framedPuts.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
      return blob;
    }
    try (InputStream in = blob.getPayload().openStream()) {
      byte[] body = in.readAllBytes();
      String signature = "0".repeat(64);
      ByteArrayOutputStream framed = new ByteArrayOutputStream();
      framed.write((Integer.toHexString(body.length) + ";chunk-signature=" + signature + "\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      framed.write(body);
      framed.write(("\r\n0;chunk-signature=" + signature + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] stored = framed.toByteArray();
      return blobBuilder(blob.getMetadata().getName()).payload(stored).contentLength(stored.length).build();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
    lists.incrementAndGet();
    if (failingLists.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new HttpResponseException("injected failure", null,
          HttpResponse.builder().statusCode(failureStatus).build());
    }
    return super.list(container, options);
  }

  private final class FaultyStream extends FilterInputStream {
    private final long cutAt;
    private final long stallAt;
    private long sent;
    private boolean stalled;

    FaultyStream(InputStream in, long cutAt, long stallAt) {
      super(in);
      this.cutAt = cutAt;
      this.stallAt = stallAt;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (sent >= cutAt) {
        throw new IOException("injected connection reset after " + sent + " bytes");
      }
      if (sent >= stallAt && !stalled) {
        stalled = true;
        pause(stallMillis * 1_000_000);
      }
      int allowed = (int) Math.min(Math.min(len, 16 * 1024), Math.min(cutAt, stallAt > sent ? stallAt : cutAt) - sent);
      int n = super.read(b, off, allowed);
      if (n > 0) {
        sent += n;
        bytesServed.addAndGet(n);
        pause(nanosPerKibibyte * n / 1024);
      }
      return n;
    }

    private void pause(long nanos) throws IOException {
      if (nanos > 0) {
        try {
          Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
  }
}
