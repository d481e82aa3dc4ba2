package crisscross.trainer.model;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The input windows of a convolution over channels-last arrays [B, D, H, W, C] (no dilation, zero padding): which
 * input elements each output position reads, as the rows of the im2col matrix [B*D'*H'*W', kD*kH*kW*C] whose
 * columns are ordered (kd, kh, kw, c) like the rows of a [kD, kH, kW, C, out] weight viewed as a matrix. With the
 * channels innermost, the kW taps of one (kd, kh) are one contiguous run of kW*C input elements (clipped at the
 * borders), so a row is kD*kH array copies. Works on Java arrays: copies of many short runs (the stem's are 21
 * elements) cost a few nanoseconds each there, several times more through a native buffer's bulk methods.
 */
record ConvolutionWindows(int batch, int[] in, int channels, int[] kernel, int[] stride, int[] pad, int[] out) {
  ConvolutionWindows {
    in = in.clone();
    kernel = kernel.clone();
    stride = stride.clone();
    pad = pad.clone();
    out = out.clone();
  }

  /** Windows over an input of shape [B, D, H, W, C] or [B, H, W, C] (then D = 1 and kD must be 1). */
  static ConvolutionWindows of(long[] inputShape, int[] kernel, int[] stride, int[] pad) {
    if (inputShape.length != 4 && inputShape.length != 5) {
      throw new IllegalArgumentException("convolution input must be [B,D,H,W,C] or [B,H,W,C], got "
          + Arrays.toString(inputShape));
    }
    boolean flat = inputShape.length == 4;
    if (flat && (kernel[0] != 1 || stride[0] != 1 || pad[0] != 0)) {
      throw new IllegalArgumentException("a [B,H,W,C] input needs kernel, stride and padding 1, 1, 0 along depth");
    }
    int[] in = new int[3];
    int[] out = new int[3];
    for (int a = 0; a < 3; a++) {
      in[a] = flat && a == 0 ? 1 : Math.toIntExact(inputShape[flat ? a : a + 1]);
      out[a] = Math.toIntExact(GraphBuilder.outputSize(in[a], kernel[a], stride[a], pad[a]));
    }
    int channels = Math.toIntExact(inputShape[inputShape.length - 1]);
    return new ConvolutionWindows(Math.toIntExact(inputShape[0]), in, channels, kernel, stride, pad, out);
  }

  int positionsPerSample() {
    return out[0] * out[1] * out[2];
  }

  /** Rows of the im2col matrix: one per output position. */
  long rows() {
    return (long) batch * positionsPerSample();
  }

  /** Columns of the im2col matrix: one per weight of an output channel. */
  int columns() {
    return kernel[0] * kernel[1] * kernel[2] * channels;
  }

  long inputLength() {
    return (long) batch * in[0] * in[1] * in[2] * channels;
  }

  /**
   * Writes im2col rows [first, first + count) into {@code cols} (row-major [count, columns]) from the input {@code x},
   * both as raw elements of {@code elementBytes} bytes (the copies are byte-exact, so one method serves every type);
   * padding taps become zeros.
   */
  void gather(byte[] x, byte[] cols, long first, int count, int elementBytes) {
    requireSize(x.length, inputLength() * elementBytes, "convolution input");
    requireSize(cols.length, (long) count * columns() * elementBytes, "im2col block");
    int parts = Math.max(1, Math.min(8, count / 16));
    IntStream.range(0, parts).parallel().forEach(part -> {
      int from = (int) ((long) count * part / parts);
      int to = (int) ((long) count * (part + 1) / parts);
      for (int r = from; r < to; r++) {
        gatherRow(x, cols, first + r, r * columns() * elementBytes, elementBytes);
      }
    });
  }

  private void gatherRow(byte[] x, byte[] cols, long row, int rowStart, int bytes) {
    Window window = window(row);
    int runBytes = kernel[2] * channels * bytes;
    for (int run = 0; run < kernel[0] * kernel[1]; run++) {
      int target = rowStart + run * runBytes;
      long input = runStart(window, run);
      if (input < 0) {
        Arrays.fill(cols, target, target + runBytes, (byte) 0);
        continue;
      }
      int before = window.lo() * channels * bytes;
      int copied = (window.hi() - window.lo()) * channels * bytes;
      Arrays.fill(cols, target, target + before, (byte) 0);
      System.arraycopy(x, (int) (input * bytes), cols, target + before, copied);
      Arrays.fill(cols, target + before + copied, target + runBytes, (byte) 0);
    }
  }

  /** Where an im2col row reads: its sample, its window's corner (negative in the padding) and in-range kW taps. */
  private record Window(int sample, int d0, int h0, int w0, int lo, int hi) {}

  private Window window(long row) {
    int ow = (int) (row % out[2]);
    long rest = row / out[2];
    int oh = (int) (rest % out[1]);
    rest /= out[1];
    int od = (int) (rest % out[0]);
    int w0 = ow * stride[2] - pad[2];
    return new Window((int) (rest / out[0]), od * stride[0] - pad[0], oh * stride[1] - pad[1], w0,
        Math.max(0, -w0), Math.min(kernel[2], in[2] - w0));
  }

  /**
   * The input element where the in-range part of run {@code run} (kd = run / kH, kh = run % kH) of a window
   * starts, or -1 when the whole run is padding.
   */
  private long runStart(Window window, int run) {
    int d = window.d0() + run / kernel[1];
    int h = window.h0() + run % kernel[1];
    if (d < 0 || d >= in[0] || h < 0 || h >= in[1] || window.hi() <= window.lo()) {
      return -1;
    }
    return ((((long) window.sample() * in[0] + d) * in[1] + h) * in[2] + window.w0() + window.lo()) * channels;
  }

  /**
   * col2im: adds im2col rows [first, first + count) of {@code cols} (row-major [count, columns]) into the input
   * gradient {@code dx} at the elements each row was gathered from. Samples run in parallel (their windows never
   * overlap); rows of one sample run in order.
   */
  void scatterAdd(float[] cols, float[] dx, long first, int count) {
    requireSize(dx.length, inputLength(), "convolution input gradient");
    scatterAddSamples(first, count, (colStart, inStart, length) -> {
      for (int i = 0; i < length; i++) {
        dx[inStart + i] += cols[colStart + i];
      }
    });
  }

  /** {@link #scatterAdd(float[], float[], long, int)} in double precision. */
  void scatterAdd(double[] cols, double[] dx, long first, int count) {
    requireSize(dx.length, inputLength(), "convolution input gradient");
    scatterAddSamples(first, count, (colStart, inStart, length) -> {
      for (int i = 0; i < length; i++) {
        dx[inStart + i] += cols[colStart + i];
      }
    });
  }

  /** Adds {@code length} elements of im2col block position {@code colStart} into input position {@code inStart}. */
  private interface RunAdder {
    void add(int colStart, int inStart, int length);
  }

  private void scatterAddSamples(long first, int count, RunAdder adder) {
    int perSample = positionsPerSample();
    int firstSample = (int) (first / perSample);
    int lastSample = (int) ((first + count - 1) / perSample);
    IntStream.rangeClosed(firstSample, lastSample).parallel().forEach(sample -> {
      long from = Math.max(first, (long) sample * perSample);
      long to = Math.min(first + count, (long) (sample + 1) * perSample);
      for (long row = from; row < to; row++) {
        scatterRow(row, (int) ((row - first) * columns()), adder);
      }
    });
  }

  private void scatterRow(long row, int colStart, RunAdder adder) {
    Window window = window(row);
    int run = kernel[2] * channels;
    for (int r = 0; r < kernel[0] * kernel[1]; r++) {
      long input = runStart(window, r);
      if (input >= 0) {
        adder.add(colStart + r * run + window.lo() * channels, (int) input, (window.hi() - window.lo()) * channels);
      }
    }
  }

  /** Arrays here are Java arrays: beyond 2^31 - 1 elements (or bytes) the caller must use smaller batches. */
  static void requireAddressable(long size, String what) {
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(what + " of " + size + " elements or bytes is beyond what one Java "
          + "array holds; use a smaller batch");
    }
  }

  private static void requireSize(int actual, long needed, String what) {
    requireAddressable(needed, what);
    if (actual < needed) {
      throw new IllegalArgumentException(what + " holds " + actual + " values, " + needed + " needed");
    }
  }

  @Override
  public String toString() {
    return "ConvolutionWindows[batch " + batch + ", in " + Arrays.toString(in) + " x " + channels + ", kernel "
        + Arrays.toString(kernel) + ", stride " + Arrays.toString(stride) + ", pad " + Arrays.toString(pad)
        + ", out " + Arrays.toString(out) + "]";
  }
}
