package crisscross.trainer.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One named array in a checkpoint: its values as little-endian bytes.
 *
 * @param dtype "f4" (float32) or "f8" (float64) or "i8" (int64)
 */
public record TensorBlob(String name, String dtype, long[] shape, byte[] data) {
  public TensorBlob {
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    if (count * bytesPerValue(dtype) != data.length) {
      throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs "
          + count * bytesPerValue(dtype) + " bytes, got " + data.length);
    }
  }

  public static TensorBlob ofFloats(String name, long[] shape, float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return new TensorBlob(name, "f4", shape.clone(), buffer.array());
  }

  public static TensorBlob ofDoubles(String name, long[] shape, double[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asDoubleBuffer().put(values);
    return new TensorBlob(name, "f8", shape.clone(), buffer.array());
  }

  public static TensorBlob ofLongs(String name, long[] shape, long[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asLongBuffer().put(values);
    return new TensorBlob(name, "i8", shape.clone(), buffer.array());
  }

  public float[] floats() {
    requireType("f4");
    float[] values = new float[data.length / 4];
    ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  public double[] doubles() {
    requireType("f8");
    double[] values = new double[data.length / 8];
    ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
    return values;
  }

  public long[] longs() {
    requireType("i8");
    long[] values = new long[data.length / 8];
    ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
    return values;
  }

  private void requireType(String expected) {
    if (!dtype.equals(expected)) {
      throw new IllegalStateException(name + " is " + dtype + ", not " + expected);
    }
  }

  static int bytesPerValue(String dtype) {
    return switch (dtype) {
      case "f4" -> 4;
      case "f8", "i8" -> 8;
      default -> throw new IllegalArgumentException("unsupported dtype " + dtype);
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorBlob other && name.equals(other.name) && dtype.equals(other.dtype)
        && Arrays.equals(shape, other.shape) && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "TensorBlob[" + name + " " + dtype + " " + Arrays.toString(shape) + "]";
  }
}
