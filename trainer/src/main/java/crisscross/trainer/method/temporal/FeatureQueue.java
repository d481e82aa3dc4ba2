package crisscross.trainer.method.temporal;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A first-in first-out queue of past projections (MoCo's negatives): {@code size} rows of {@code dim} floats, each
 * push overwriting the oldest. Until {@code size} rows have been pushed only the pushed ones are {@link #valid}.
 * Not thread-safe.
 */
final class FeatureQueue {
  private final int size;
  private final int dim;
  private final float[] rows;
  private long pushed;

  FeatureQueue(int size, int dim) {
    if (size < 1 || dim < 1) {
      throw new IllegalArgumentException("a feature queue needs size and dim >= 1: " + size + " x " + dim);
    }
    this.size = size;
    this.dim = dim;
    this.rows = new float[size * dim];
  }

  int size() {
    return size;
  }

  int dim() {
    return dim;
  }

  /** Rows pushed since the queue was created (or as restored). */
  long pushed() {
    return pushed;
  }

  /** Rows that hold a projection: the pushed ones, at most {@code size}. */
  int filled() {
    return (int) Math.min(pushed, size);
  }

  /** Appends {@code count} rows ([count, dim], C order), oldest first. */
  void push(float[] values, int count) {
    if (values.length != count * dim) {
      throw new IllegalArgumentException("pushing " + count + " rows of " + dim + " needs " + count * dim
          + " values, got " + values.length);
    }
    for (int r = 0; r < count; r++) {
      int slot = (int) (pushed % size);
      System.arraycopy(values, r * dim, rows, slot * dim, dim);
      pushed++;
    }
  }

  /** A copy of the rows ([size, dim], C order); rows not yet filled are zero. */
  float[] rows() {
    return rows.clone();
  }

  /** The rows as a [size, dim] array for the step's inputs (ND4J copies them once, straight from the queue). */
  INDArray rowsMatrix() {
    return Nd4j.create(rows, new long[] {size, dim}, 'c');
  }

  /** [size] 1 for a filled row, 0 for one not yet pushed. */
  float[] valid() {
    float[] out = new float[size];
    Arrays.fill(out, 0, filled(), 1f);
    return out;
  }

  /** Replaces the contents with {@code rows} ([size, dim]) after {@code pushed} pushes. */
  void restore(float[] values, long pushedRows) {
    if (values.length != rows.length || pushedRows < 0) {
      throw new IllegalArgumentException("a " + size + " x " + dim + " queue cannot take " + values.length
          + " values after " + pushedRows + " pushes");
    }
    System.arraycopy(values, 0, rows, 0, rows.length);
    pushed = pushedRows;
  }
}
