package crisscross.trainer.model;

import crisscross.trainer.host.HostBuffers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Convolution of a channels-last input [B, D, H, W, C] (or [B, H, W, C]) with a weight [kD, kH, kW, C, out] (or
 * [kH, kW, C, out]), no bias, as im2col blocks ({@link ConvolutionWindows}) times the weight viewed as a matrix: one
 * BLAS product per block of output positions, computed in a {@link KernelSession}.
 *
 * <p>Why: libnd4j's oneDNN convolutions pay a fixed cost per call (weight and gradient reorders, primitive set-up)
 * that dominates layers with few output positions and large weights, and its backward op always computes the input
 * gradient. Measured on 2 cores at batch 2, in isolation: the 512-channel (3,3) audio conv backward 6-12 ms against
 * 2.4 ms for its two products; the video stem backward ~53 ms, where the weight gradient alone (no input gradient is
 * needed for the data) is one 17 ms product. Here the two gradients are separate ops, so SameDiff runs the input
 * gradient only where something upstream needs it.
 */
public class GemmConvolution extends JavaKernelOp {
  /** The largest im2col block, in bytes: the blocks are reused scratch, not graph arrays. */
  static final long BLOCK_BYTES = 8L << 20;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  protected int[] kernel = new int[3];
  protected int[] stride = new int[3];
  protected int[] pad = new int[3];
  /** Forward by libnd4j's conv3dnew (a 5-D input only). */
  protected boolean nativeForward;

  /** For SameDiff's reflective cloning. */
  public GemmConvolution() {}

  /**
   * Kernel, stride and padding as (d, h, w); for a [B, H, W, C] input the depth entries must be 1, 1 and 0. With
   * {@code nativeForward} the forward pass is libnd4j's channels-last conv3dnew (faster where im2col is costly, as for
   * the stem: 25 against 36 ms), the backward the same as without.
   */
  public GemmConvolution(SameDiff sameDiff, SDVariable x, SDVariable weight, int[] kernel, int[] stride, int[] pad,
      boolean nativeForward) {
    this(sameDiff, new SDVariable[] {x, weight}, kernel, stride, pad, nativeForward);
  }

  GemmConvolution(SameDiff sameDiff, SDVariable[] inputs, int[] kernel, int[] stride, int[] pad,
      boolean nativeForward) {
    super(sameDiff, inputs);
    this.kernel = kernel.clone();
    this.stride = stride.clone();
    this.pad = pad.clone();
    this.nativeForward = nativeForward;
    for (int[] values : new int[][] {kernel, stride, pad}) {
      for (int v : values) {
        addIArgument(v);
      }
    }
    addIArgument(nativeForward ? 1 : 0);
  }

  /** Makes graph clones use these classes; idempotent. */
  static void register() {
    OpClasses.register(new GemmConvolution());
    OpClasses.register(new WeightGradient());
    OpClasses.register(new InputGradient());
  }

  @Override
  public String opName() {
    return "crisscross_gemm_conv";
  }

  @Override
  public void configureFromArguments() {
    for (int a = 0; a < 3; a++) {
      kernel[a] = iArguments.get(a).intValue();
      stride[a] = iArguments.get(3 + a).intValue();
      pad[a] = iArguments.get(6 + a).intValue();
    }
    nativeForward = iArguments.size() > 9 && iArguments.get(9) != 0;
  }

  @Override
  public Map<String, Object> propertiesForFunction() {
    return Map.of("kernel", kernel.clone(), "stride", stride.clone(), "pad", pad.clone(), "nativeForward",
        nativeForward);
  }

  @Override
  public List<DataType> calculateOutputDataTypes(List<DataType> inputTypes) {
    return List.of(inputTypes.get(0));
  }

  ConvolutionWindows windows(long[] inputShape) {
    return ConvolutionWindows.of(inputShape, kernel, stride, pad);
  }

  @Override
  protected List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
    INDArray x = inputs.get(0);
    ConvolutionWindows windows = windows(x.shape());
    int outChannels = Math.toIntExact(inputs.get(1).size(inputs.get(1).rank() - 1));
    long[] shape = x.rank() == 5
        ? new long[] {windows.batch(), windows.out()[0], windows.out()[1], windows.out()[2], outChannels}
        : new long[] {windows.batch(), windows.out()[1], windows.out()[2], outChannels};
    return List.of(LongShapeDescriptor.fromShape(shape, x.dataType()));
  }

  @Override
  protected void compute(List<INDArray> inputs, List<INDArray> outputs) {
    INDArray x = inputs.get(0);
    INDArray weight = inputs.get(1);
    INDArray y = outputs.get(0);
    ConvolutionWindows windows = windows(x.shape());
    check(windows, weight, x, y);
    if (nativeForward) {
      forwardNative(x, weight, y);
      return;
    }
    INDArray weightMatrix = matrix(weight, windows.columns());
    INDArray outputMatrix = matrix(y, windows.rows());
    Scratch scratch = SCRATCH.get();
    byte[] input = scratch.copyOf(x);
    forEachBlock(windows, x.dataType(), (first, count) -> {
      INDArray block = scratch.im2col(windows, input, x.dataType(), first, count);
      Nd4j.gemm(block, weightMatrix, rowsOf(outputMatrix, first, count), false, false, 1.0, 0.0);
    });
  }

  private void forwardNative(INDArray x, INDArray weight, INDArray y) {
    if (x.rank() != 5) {
      throw new IllegalArgumentException(opName() + " computes a native forward pass for [B,D,H,W,C] inputs only, got "
          + java.util.Arrays.toString(x.shape()));
    }
    Nd4j.exec(DynamicCustomOp.builder("conv3dnew").addInputs(x, weight).addOutputs(y)
        .addIntegerArguments(kernel[0], kernel[1], kernel[2], stride[0], stride[1], stride[2], pad[0], pad[1], pad[2],
            1, 1, 1, 0, 1)
        .build());
  }

  @Override
  public List<SDVariable> doDiff(List<SDVariable> gradients) {
    SDVariable[] args = args();
    SDVariable dy = gradients.get(0);
    SDVariable[] inputs = {args[0], args[1], dy};
    SDVariable dx = new InputGradient(sameDiff, inputs, kernel, stride, pad).outputVariable();
    SDVariable dw = new WeightGradient(sameDiff, inputs, kernel, stride, pad).outputVariable();
    return List.of(dx, dw);
  }

  /** What the two gradient ops share: inputs x, weight, dL/dy and the forward op's settings; no second derivative. */
  abstract static class Gradient extends GemmConvolution {
    Gradient() {}

    Gradient(SameDiff sameDiff, SDVariable[] inputs, int[] kernel, int[] stride, int[] pad) {
      super(sameDiff, inputs, kernel, stride, pad, false);
    }

    @Override
    public List<SDVariable> doDiff(List<SDVariable> gradients) {
      throw new UnsupportedOperationException("second derivatives of " + opName() + " are not implemented");
    }
  }

  /** Inputs x, weight, dL/dy; output dL/dweight. */
  public static class WeightGradient extends Gradient {
    public WeightGradient() {}

    WeightGradient(SameDiff sameDiff, SDVariable[] inputs, int[] kernel, int[] stride, int[] pad) {
      super(sameDiff, inputs, kernel, stride, pad);
    }

    @Override
    public String opName() {
      return "crisscross_gemm_conv_weight_bp";
    }

    @Override
    protected List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
      INDArray weight = inputs.get(1);
      return List.of(LongShapeDescriptor.fromShape(weight.shape(), weight.dataType()));
    }

    @Override
    protected void compute(List<INDArray> inputs, List<INDArray> outputs) {
      INDArray x = inputs.get(0);
      INDArray dy = inputs.get(2);
      INDArray dw = outputs.get(0);
      ConvolutionWindows windows = windows(x.shape());
      check(windows, dw, x, dy);
      INDArray weightMatrix = matrix(dw, windows.columns());
      INDArray gradientMatrix = matrix(dy, windows.rows());
      Scratch scratch = SCRATCH.get();
      byte[] input = scratch.copyOf(x);
      forEachBlock(windows, x.dataType(), (first, count) -> {
        INDArray block = scratch.im2col(windows, input, x.dataType(), first, count);
        Nd4j.gemm(block, rowsOf(gradientMatrix, first, count), weightMatrix, true, false, 1.0, first == 0 ? 0.0 : 1.0);
      });
    }
  }

  /** Inputs x (for its shape), weight, dL/dy; output dL/dx. */
  public static class InputGradient extends Gradient {
    public InputGradient() {}

    InputGradient(SameDiff sameDiff, SDVariable[] inputs, int[] kernel, int[] stride, int[] pad) {
      super(sameDiff, inputs, kernel, stride, pad);
    }

    @Override
    public String opName() {
      return "crisscross_gemm_conv_input_bp";
    }

    @Override
    protected List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
      INDArray x = inputs.get(0);
      return List.of(LongShapeDescriptor.fromShape(x.shape(), x.dataType()));
    }

    @Override
    protected void compute(List<INDArray> inputs, List<INDArray> outputs) {
      INDArray weight = inputs.get(1);
      INDArray dy = inputs.get(2);
      INDArray dx = outputs.get(0);
      ConvolutionWindows windows = windows(dx.shape());
      check(windows, weight, dy, dx);
      INDArray weightMatrix = matrix(weight, windows.columns());
      INDArray gradientMatrix = matrix(dy, windows.rows());
      Scratch scratch = SCRATCH.get();
      int length = Math.toIntExact(dx.length());
      boolean isFloat = dx.dataType() == DataType.FLOAT;
      float[] floatSum = isFloat ? scratch.floats("dx", length) : null;
      double[] doubleSum = isFloat ? null : scratch.doubles("dx", length);
      forEachBlock(windows, dx.dataType(), (first, count) -> {
        INDArray block = scratch.block(dx.dataType(), count, windows.columns());
        Nd4j.gemm(rowsOf(gradientMatrix, first, count), weightMatrix, block, false, true, 1.0, 0.0);
        HostBuffers.onHost(block);
        int values = count * windows.columns();
        if (isFloat) {
          float[] cols = scratch.floats("cols", values);
          HostBuffers.floats(block).get(0, cols, 0, values);
          windows.scatterAdd(cols, floatSum, first, count);
        } else {
          double[] cols = scratch.doubles("cols", values);
          HostBuffers.doubles(block).get(0, cols, 0, values);
          windows.scatterAdd(cols, doubleSum, first, count);
        }
      });
      if (isFloat) {
        HostBuffers.floats(dx).put(0, floatSum, 0, length);
      } else {
        HostBuffers.doubles(dx).put(0, doubleSum, 0, length);
      }
      HostBuffers.written(dx);
    }
  }

  /** Checks that the weight (or its gradient) fits the windows and that it and {@code others} are dense. */
  void check(ConvolutionWindows windows, INDArray weight, INDArray... others) {
    requireWeight(windows, weight);
    HostBuffers.requireDense(weight, opName());
    for (INDArray a : others) {
      HostBuffers.requireDense(a, opName());
    }
  }

  /** A dense array as the matrix [rows, last axis] (a view). */
  private static INDArray matrix(INDArray a, long rows) {
    return a.reshape(rows, a.size(a.rank() - 1));
  }

  private static void requireWeight(ConvolutionWindows windows, INDArray weight) {
    long rows = 1;
    for (int d = 0; d < weight.rank() - 1; d++) {
      rows *= weight.size(d);
    }
    if (rows != windows.columns() || (weight.rank() != 5 && weight.rank() != 4)) {
      throw new IllegalArgumentException("convolution weight " + java.util.Arrays.toString(weight.shape())
          + " does not match " + windows);
    }
    if (weight.dataType() != DataType.FLOAT && weight.dataType() != DataType.DOUBLE) {
      throw new IllegalArgumentException("convolution needs float or double arrays, got " + weight.dataType());
    }
  }

  private interface Block {
    void run(long first, int count);
  }

  /** Runs over the im2col rows in blocks of at most {@link #BLOCK_BYTES}. */
  private static void forEachBlock(ConvolutionWindows windows, DataType type, Block block) {
    long rowBytes = (long) windows.columns() * type.width();
    int rowsPerBlock = (int) Math.max(1, Math.min(windows.rows(), BLOCK_BYTES / rowBytes));
    for (long first = 0; first < windows.rows(); first += rowsPerBlock) {
      block.run(first, (int) Math.min(rowsPerBlock, windows.rows() - first));
    }
  }

  private static INDArray rowsOf(INDArray matrix, long first, int count) {
    if (first == 0 && count == matrix.rows()) {
      return matrix;
    }
    return matrix.get(NDArrayIndex.interval(first, first + count), NDArrayIndex.all());
  }

  private static ByteBuffer bytes(INDArray a) {
    return a.data().asNio().order(ByteOrder.nativeOrder());
  }

  /** Per thread: a growing native buffer per type for the im2col blocks, and the Java arrays they are built in. */
  private static final class Scratch {
    private INDArray floats;
    private INDArray doubles;
    private final Map<String, Object> javaArrays = new java.util.HashMap<>();

    /** The elements of a dense array as raw bytes in a Java array (reused; longer than needed when it grew). */
    byte[] copyOf(INDArray a) {
      long length = a.length() * a.dataType().width();
      ConvolutionWindows.requireAddressable(length, "convolution input");
      byte[] copy = javaBytes("input", (int) length);
      HostBuffers.onHost(a);
      GemmConvolution.bytes(a).get(0, copy, 0, (int) length);
      return copy;
    }

    /** im2col rows [first, first + count) as a native [count, columns] matrix. */
    INDArray im2col(ConvolutionWindows windows, byte[] input, DataType type, long first, int count) {
      int length = count * windows.columns() * type.width();
      byte[] staging = javaBytes("im2col", length);
      windows.gather(input, staging, first, count, type.width());
      INDArray block = block(type, count, windows.columns());
      GemmConvolution.bytes(block).put(0, staging, 0, length);
      HostBuffers.written(block);
      return block;
    }

    byte[] javaBytes(String role, int length) {
      byte[] kept = (byte[]) javaArrays.get(role);
      if (kept == null || kept.length < length) {
        kept = new byte[length];
        javaArrays.put(role, kept);
      }
      return kept;
    }

    /** Zero-filled. */
    float[] floats(String role, int length) {
      float[] kept = (float[]) javaArrays.get(role + ":float");
      if (kept == null || kept.length < length) {
        kept = new float[length];
        javaArrays.put(role + ":float", kept);
      } else {
        java.util.Arrays.fill(kept, 0, length, 0f);
      }
      return kept;
    }

    /** Zero-filled. */
    double[] doubles(String role, int length) {
      double[] kept = (double[]) javaArrays.get(role + ":double");
      if (kept == null || kept.length < length) {
        kept = new double[length];
        javaArrays.put(role + ":double", kept);
      } else {
        java.util.Arrays.fill(kept, 0, length, 0.0);
      }
      return kept;
    }

    INDArray block(DataType type, int rows, int columns) {
      long length = (long) rows * columns;
      INDArray buffer = type == DataType.FLOAT ? floats : doubles;
      if (buffer == null || buffer.length() < length) {
        buffer = Nd4j.createUninitializedDetached(type, Math.max(length, buffer == null ? 0 : buffer.length()));
        if (type == DataType.FLOAT) {
          floats = buffer;
        } else {
          doubles = buffer;
        }
      }
      return Nd4j.create(buffer.data(), new long[] {rows, columns});
    }
  }
}
