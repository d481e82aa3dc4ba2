package crisscross.pipeline.io;

import java.util.Arrays;

/**
 * An n-dimensional array read from or written to a {@code .npy} file, held as doubles in C order whatever its
 * stored type ({@code dtype} records that: "f4", "f8", "i8", ...).
 */
public record NpyArray(String dtype, long[] shape, double[] data) {
  public NpyArray {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
          + " values, data has " + data.length);
    }
  }

  public static NpyArray float32(long[] shape, float[] values) {
    double[] d = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = values[i];
    }
    return new NpyArray("f4", shape, d);
  }

  public static NpyArray float64(long[] shape, double[] values) {
    return new NpyArray("f8", shape, values);
  }

  public float[] toFloats() {
    float[] f = new float[data.length];
    for (int i = 0; i < data.length; i++) {
      f[i] = (float) data[i];
    }
    return f;
  }

  public int rank() {
    return shape.length;
  }

  public double scalar() {
    if (data.length != 1) {
      throw new IllegalStateException("not a scalar: shape " + Arrays.toString(shape));
    }
    return data[0];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NpyArray other && dtype.equals(other.dtype) && Arrays.equals(shape, other.shape)
        && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "NpyArray[" + dtype + " " + Arrays.toString(shape) + "]";
  }
}
