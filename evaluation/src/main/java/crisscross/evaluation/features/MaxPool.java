package crisscross.evaluation.features;

import java.util.Arrays;

/**
 * The max-pooling that turns an encoder's last convolutional feature map into a clip's feature vector
 * (Appendix E.1), flattened in C order as PyTorch's {@code MaxPoolNd(...)(x).flatten(1)}: no padding, windows
 * that do not fit are dropped (floor mode).
 *
 * @param kernel window size along each spatial axis (the axes after the channel axis)
 * @param stride step along each spatial axis
 */
public record MaxPool(int[] kernel, int[] stride) {
  /** Video linear evaluation, Appendix E.1: kernel (1,4,4) over (T,H,W) of R(2+1)D's last block. */
  public static final MaxPool VIDEO_LINEAR = new MaxPool(new int[] {1, 4, 4}, new int[] {1, 4, 4});
  /** Audio linear evaluation, Appendix E.1 (ESC-50): kernel (1,3), stride (1,2) over (F,T) of ResNet's last block. */
  public static final MaxPool AUDIO_LINEAR = new MaxPool(new int[] {1, 3}, new int[] {1, 2});
  /** Video features for late fusion, Appendix E.1: kernel (1,2,2). */
  public static final MaxPool VIDEO_FUSION = new MaxPool(new int[] {1, 2, 2}, new int[] {1, 2, 2});
  /** Audio features for late fusion, Appendix E.1: kernel (1,4). */
  public static final MaxPool AUDIO_FUSION = new MaxPool(new int[] {1, 4}, new int[] {1, 4});

  public MaxPool {
    if (kernel.length == 0 || kernel.length != stride.length) {
      throw new IllegalArgumentException("kernel " + Arrays.toString(kernel) + " and stride "
          + Arrays.toString(stride) + " must name the same, non-zero number of axes");
    }
    for (int i = 0; i < kernel.length; i++) {
      if (kernel[i] < 1 || stride[i] < 1) {
        throw new IllegalArgumentException("kernel and stride must be positive: " + Arrays.toString(kernel)
            + ", " + Arrays.toString(stride));
      }
    }
    kernel = kernel.clone();
    stride = stride.clone();
  }

  /** Output shape {@code [C, o1, o2, ...]} for an input map of shape {@code [C, d1, d2, ...]}. */
  public int[] outputShape(int[] mapShape) {
    if (mapShape.length != kernel.length + 1) {
      throw new IllegalArgumentException("a map of shape " + Arrays.toString(mapShape) + " does not have "
          + kernel.length + " spatial axes after its channel axis");
    }
    int[] out = new int[mapShape.length];
    out[0] = mapShape[0];
    for (int a = 0; a < kernel.length; a++) {
      if (mapShape[a + 1] < kernel[a]) {
        throw new IllegalArgumentException("map of shape " + Arrays.toString(mapShape) + " is smaller than the "
            + "pooling kernel " + Arrays.toString(kernel));
      }
      out[a + 1] = (mapShape[a + 1] - kernel[a]) / stride[a] + 1;
    }
    return out;
  }

  /**
   * This pooling for a map of shape {@code [C, d1, d2, ...]}: along an axis shorter than its kernel the window
   * becomes the whole axis (one output along it), the other axes are unchanged. The paper's kernels assume its
   * input sizes (e.g. (1,4,4) over the 7x7 map of a 224x224 clip); a smaller model input gives a smaller map, which
   * is then pooled whole rather than refused.
   */
  public MaxPool fittedTo(int[] mapShape) {
    if (mapShape.length != kernel.length + 1) {
      throw new IllegalArgumentException("a map of shape " + Arrays.toString(mapShape) + " does not have "
          + kernel.length + " spatial axes after its channel axis");
    }
    int[] k = kernel.clone();
    int[] s = stride.clone();
    for (int a = 0; a < k.length; a++) {
      if (mapShape[a + 1] < k[a]) {
        k[a] = mapShape[a + 1];
        s[a] = mapShape[a + 1];
      }
    }
    return new MaxPool(k, s);
  }

  /** Length of the pooled, flattened feature vector of one map. */
  public int outputLength(int[] mapShape) {
    int n = 1;
    for (int d : outputShape(mapShape)) {
      n *= d;
    }
    return n;
  }

  /** Pools one map of shape {@code [C, d1, d2, ...]} stored in C order. */
  public float[] apply(float[] map, int[] mapShape) {
    return apply(map, 0, mapShape);
  }

  /**
   * Pools a batch stored in C order with shape {@code [B, C, d1, d2, ...]} (as the encoder returns it), one
   * feature vector per batch element.
   */
  public float[][] applyBatch(float[] maps, int[] batchShape) {
    int[] mapShape = Arrays.copyOfRange(batchShape, 1, batchShape.length);
    int mapLength = 1;
    for (int d : mapShape) {
      mapLength *= d;
    }
    if ((long) mapLength * batchShape[0] != maps.length) {
      throw new IllegalArgumentException("batch of shape " + Arrays.toString(batchShape) + " needs "
          + (long) mapLength * batchShape[0] + " values, got " + maps.length);
    }
    float[][] out = new float[batchShape[0]][];
    for (int b = 0; b < out.length; b++) {
      out[b] = apply(maps, b * mapLength, mapShape);
    }
    return out;
  }

  private float[] apply(float[] data, int offset, int[] mapShape) {
    int[] outShape = outputShape(mapShape);
    int axes = kernel.length;
    int[] inStrides = new int[mapShape.length];
    inStrides[mapShape.length - 1] = 1;
    for (int a = mapShape.length - 2; a >= 0; a--) {
      inStrides[a] = inStrides[a + 1] * mapShape[a + 1];
    }
    if (offset + (long) inStrides[0] * mapShape[0] > data.length) {
      throw new IllegalArgumentException("map of shape " + Arrays.toString(mapShape) + " needs "
          + (long) inStrides[0] * mapShape[0] + " values, got " + (data.length - offset));
    }
    int outLength = 1;
    for (int d : outShape) {
      outLength *= d;
    }
    float[] out = new float[outLength];
    int[] position = new int[mapShape.length];
    int[] window = new int[axes];
    for (int o = 0; o < outLength; o++) {
      int rest = o;
      for (int a = outShape.length - 1; a >= 0; a--) {
        position[a] = rest % outShape[a];
        rest /= outShape[a];
      }
      float best = Float.NEGATIVE_INFINITY;
      Arrays.fill(window, 0);
      boolean more = true;
      while (more) {
        int index = offset + position[0] * inStrides[0];
        for (int a = 0; a < axes; a++) {
          index += (position[a + 1] * stride[a] + window[a]) * inStrides[a + 1];
        }
        best = Math.max(best, data[index]);
        more = false;
        for (int a = axes - 1; a >= 0; a--) {
          if (++window[a] < kernel[a]) {
            more = true;
            break;
          }
          window[a] = 0;
        }
      }
      out[o] = best;
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaxPool other && Arrays.equals(kernel, other.kernel) && Arrays.equals(stride, other.stride);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(kernel) + Arrays.hashCode(stride);
  }

  @Override
  public String toString() {
    return "MaxPool[kernel=" + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride) + "]";
  }
}
