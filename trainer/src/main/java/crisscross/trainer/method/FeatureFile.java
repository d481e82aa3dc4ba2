package crisscross.trainer.method;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

/**
 * An n x d float32 matrix in a memory-mapped file (row-major, little-endian): one feature row per sample, so that a
 * million samples' 512-d features (2 GB) live in the page cache, not the Java heap. Mapped in segments of whole rows
 * below 1 GiB each (a single mapping is limited to 2 GiB). Rows never written are marked missing. Not thread-safe.
 */
public final class FeatureFile implements AutoCloseable {
  private static final long SEGMENT_BYTES = 1L << 30;

  private final Path path;
  private final int rows;
  private final int dim;
  private final int rowsPerSegment;
  private final FloatBuffer[] segments;
  private final BitSet present;
  private final FileChannel channel;

  private FeatureFile(Path path, int rows, int dim) throws IOException {
    if (rows < 1 || dim < 1) {
      throw new IllegalArgumentException("a feature file needs rows and columns, got " + rows + " x " + dim);
    }
    this.path = path;
    this.rows = rows;
    this.dim = dim;
    this.rowsPerSegment = (int) Math.max(1, Math.min(rows, SEGMENT_BYTES / (4L * dim)));
    Files.createDirectories(path.toAbsolutePath().getParent());
    this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    int count = (rows + rowsPerSegment - 1) / rowsPerSegment;
    this.segments = new FloatBuffer[count];
    for (int s = 0; s < count; s++) {
      long first = (long) s * rowsPerSegment;
      long n = Math.min(rowsPerSegment, rows - first);
      MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, first * dim * 4L, n * dim * 4L);
      segments[s] = mapped.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }
    this.present = new BitSet(rows);
  }

  /** A new file of {@code rows} x {@code dim} zeros at {@code path} (replacing what was there). */
  public static FeatureFile create(Path path, int rows, int dim) throws IOException {
    return new FeatureFile(path, rows, dim);
  }

  public Path path() {
    return path;
  }

  public int rows() {
    return rows;
  }

  public int dim() {
    return dim;
  }

  /** Writes row {@code row} and marks it present. */
  public void put(int row, float[] values) {
    if (values.length != dim) {
      throw new IllegalArgumentException("row " + row + " needs " + dim + " values, got " + values.length);
    }
    FloatBuffer segment = segments[row / rowsPerSegment];
    segment.put((row % rowsPerSegment) * dim, values);
    present.set(row);
  }

  /** Copies row {@code row} into {@code out} (length {@link #dim()}). */
  public void get(int row, float[] out) {
    FloatBuffer segment = segments[row / rowsPerSegment];
    segment.get((row % rowsPerSegment) * dim, out, 0, dim);
  }

  /** Copies rows [first, first + count) into {@code out} (row-major, at least count x dim). */
  public void rows(int first, int count, float[] out) {
    int done = 0;
    while (done < count) {
      int row = first + done;
      FloatBuffer segment = segments[row / rowsPerSegment];
      int inSegment = Math.min(count - done, rowsPerSegment - row % rowsPerSegment);
      segment.get((row % rowsPerSegment) * dim, out, done * dim, inSegment * dim);
      done += inSegment;
    }
  }

  public boolean isPresent(int row) {
    return present.get(row);
  }

  /** Rows written so far. */
  public int presentCount() {
    return present.cardinality();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
