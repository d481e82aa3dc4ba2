package crisscross.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The im2col + matrix-product convolution against libnd4j's own convolutions (conv3dnew and conv2d, channels-last):
 * output, weight gradient and input gradient, in float64 to rounding and in float32 within float tolerance, over
 * strides, padding, kernels spanning depth and inputs large enough to be split into several im2col blocks; and as a
 * graph op, where SameDiff skips the input gradient when nothing needs it.
 */
class GemmConvolutionTest {
  static Stream<Arguments> geometries() {
    return Stream.of(
        Arguments.of("3x3x3 stride (1,2,2)", new long[] {2, 3, 5, 9, 4}, 6, new int[] {3, 3, 3}, new int[] {1, 2, 2},
            new int[] {1, 1, 1}),
        Arguments.of("spatial (1,3,3) stride 2", new long[] {2, 2, 7, 6, 5}, 3, new int[] {1, 3, 3},
            new int[] {1, 2, 2}, new int[] {0, 1, 1}),
        Arguments.of("stem-like (3,7,7)", new long[] {2, 4, 12, 11, 3}, 8, new int[] {3, 7, 7}, new int[] {1, 2, 2},
            new int[] {1, 3, 3}),
        Arguments.of("temporal (3,1,1) stride 2", new long[] {2, 5, 3, 4, 6}, 4, new int[] {3, 1, 1},
            new int[] {2, 1, 1}, new int[] {1, 0, 0}),
        Arguments.of("no padding, kernel wider than tall", new long[] {1, 2, 5, 8, 3}, 2, new int[] {2, 2, 4},
            new int[] {1, 1, 3}, new int[] {0, 0, 0}),
        Arguments.of("2-D [B,H,W,C] (3,3)", new long[] {3, 6, 7, 5}, 4, new int[] {1, 3, 3}, new int[] {1, 1, 1},
            new int[] {0, 1, 1}),
        Arguments.of("2-D [B,H,W,C] (7,7) stride 2", new long[] {2, 13, 10, 1}, 4, new int[] {1, 7, 7},
            new int[] {1, 2, 2}, new int[] {0, 3, 3}),
        // 16384 output positions of 432 weights: several im2col blocks, the weight gradient accumulated across them.
        Arguments.of("many blocks", new long[] {2, 8, 32, 32, 16}, 8, new int[] {3, 3, 3}, new int[] {1, 1, 1},
            new int[] {1, 1, 1}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("geometries")
  void matchesLibnd4jInDoublePrecision(String name, long[] inputShape, int outChannels, int[] kernel, int[] stride,
      int[] pad) {
    INDArray[] inputs = randomProblem(DataType.DOUBLE, inputShape, outChannels, kernel, stride, pad);
    INDArray[] expected = native3d(inputs, kernel, stride, pad);
    INDArray[] actual = gemm(inputs, kernel, stride, pad);
    String[] names = {"y", "dx", "dw"};
    for (int i = 0; i < 3; i++) {
      assertThat(relativeError(actual[i], expected[i])).as(names[i]).isLessThan(1e-12);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("geometries")
  void matchesLibnd4jInSinglePrecision(String name, long[] inputShape, int outChannels, int[] kernel, int[] stride,
      int[] pad) {
    INDArray[] inputs = randomProblem(DataType.FLOAT, inputShape, outChannels, kernel, stride, pad);
    INDArray[] expected = native3d(inputs, kernel, stride, pad);
    INDArray[] actual = gemm(inputs, kernel, stride, pad);
    for (int i = 0; i < 3; i++) {
      assertThat(relativeError(actual[i], expected[i])).isLessThan(1e-5);
    }
    INDArray[] again = gemm(inputs, kernel, stride, pad);
    for (int i = 0; i < 3; i++) {
      assertThat(again[i]).isEqualTo(actual[i]);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("geometries")
  void nativeChannelsFirstForwardGivesTheSameOutput(String name, long[] inputShape, int outChannels, int[] kernel,
      int[] stride, int[] pad) {
    if (inputShape.length != 5) {
      return;
    }
    INDArray[] problem = randomProblem(DataType.DOUBLE, inputShape, outChannels, kernel, stride, pad);
    GemmConvolution nativeForward = op(new GemmConvolution(), kernel, stride, pad);
    nativeForward.addIArgument(1);
    nativeForward.configureFromArguments();
    INDArray y = Nd4j.create(DataType.DOUBLE, problem[2].shape());
    nativeForward.compute(List.of(problem[0], problem[1]), List.of(y));
    assertThat(relativeError(y, native3d(problem, kernel, stride, pad)[0])).isLessThan(1e-12);
  }

  @Test
  void twoDimensionalInputAgreesWithConv2d() {
    INDArray[] inputs = randomProblem(DataType.DOUBLE, new long[] {2, 9, 8, 3}, 5, new int[] {1, 3, 3},
        new int[] {1, 2, 2}, new int[] {0, 1, 1});
    INDArray x = inputs[0];
    INDArray w = inputs[1];
    INDArray dy = inputs[2];
    int[] args = {3, 3, 2, 2, 1, 1, 1, 1, 0, 1, 0};
    INDArray y = Nd4j.create(x.dataType(), dy.shape());
    Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w).addOutputs(y).addIntegerArguments(args).build());
    INDArray dx = Nd4j.create(x.dataType(), x.shape());
    INDArray dw = Nd4j.create(x.dataType(), w.shape());
    Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, dy).addOutputs(dx, dw).addIntegerArguments(args)
        .build());
    INDArray[] actual = gemm(inputs, new int[] {1, 3, 3}, new int[] {1, 2, 2}, new int[] {0, 1, 1});
    assertThat(relativeError(actual[0], y)).isLessThan(1e-12);
    assertThat(relativeError(actual[1], dx)).isLessThan(1e-12);
    assertThat(relativeError(actual[2], dw)).isLessThan(1e-12);
  }

  @Test
  void asAGraphOpItsGradientsMatchLibnd4jAndTheInputGradientRunsOnlyWhenNeeded() {
    int[] kernel = {3, 3, 3};
    int[] stride = {1, 2, 2};
    int[] pad = {1, 1, 1};
    INDArray[] problem = randomProblem(DataType.DOUBLE, new long[] {2, 3, 6, 5, 4}, 3, kernel, stride, pad);
    INDArray[] expected = native3d(problem, kernel, stride, pad);

    GemmConvolution.register();
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.DOUBLE, problem[0].shape());
    SDVariable w = sd.var("w", problem[1].dup());
    SDVariable y = new GemmConvolution(sd, x, w, kernel, stride, pad, false).outputVariable();
    SDVariable loss = y.mul(sd.constant(problem[2])).sum();
    loss.markAsLoss();
    KernelSession.forGradients(sd, null);
    KernelSession.install(sd, null);
    Map<String, INDArray> placeholders = Map.of("x", problem[0]);

    assertThat(relativeError(sd.output(placeholders, y.name()).get(y.name()), expected[0])).isLessThan(1e-12);
    List<String> ran = new ArrayList<>();
    sd.calculateGradients(placeholders, "w");
    sd.addListeners(new BaseListener() {
      @Override
      public boolean isActive(Operation operation) {
        return true;
      }

      @Override
      public void opExecution(SameDiff s, At at, MultiDataSet batch, SameDiffOp op, OpContext context,
          INDArray[] outputs) {
        ran.add(op.getOp().opName());
      }
    });
    Map<String, INDArray> weightOnly = sd.calculateGradients(placeholders, "w");
    assertThat(relativeError(weightOnly.get("w"), expected[2])).isLessThan(1e-12);
    assertThat(ran).contains("crisscross_gemm_conv_weight_bp").doesNotContain("crisscross_gemm_conv_input_bp");

    ran.clear();
    Map<String, INDArray> both = sd.calculateGradients(placeholders, "w", "x");
    assertThat(ran).contains("crisscross_gemm_conv_input_bp");
    assertThat(relativeError(both.get("x"), expected[1])).isLessThan(1e-12);
    assertThat(relativeError(both.get("w"), expected[2])).isLessThan(1e-12);
  }

  @Test
  void aWeightThatDoesNotFitTheWindowsIsRejectedWithBothShapes() {
    GemmConvolution op = op(new GemmConvolution(), new int[] {1, 3, 3}, new int[] {1, 1, 1}, new int[] {0, 1, 1});
    INDArray x = Nd4j.rand(DataType.FLOAT, 1, 1, 4, 4, 3);
    INDArray w = Nd4j.rand(DataType.FLOAT, 1, 3, 3, 2, 5);
    assertThatThrownBy(() -> op.compute(List.of(x, w), List.of(Nd4j.create(DataType.FLOAT, 1, 1, 4, 4, 5))))
        .hasMessageContaining("[1, 3, 3, 2, 5]").hasMessageContaining("in [1, 4, 4] x 3");
  }

  /** x, weight, dL/dy for the given geometry. */
  private static INDArray[] randomProblem(DataType type, long[] inputShape, int outChannels, int[] kernel,
      int[] stride, int[] pad) {
    Nd4j.getRandom().setSeed(11);
    boolean flat = inputShape.length == 4;
    long channels = inputShape[inputShape.length - 1];
    long[] weightShape = flat ? new long[] {kernel[1], kernel[2], channels, outChannels}
        : new long[] {kernel[0], kernel[1], kernel[2], channels, outChannels};
    INDArray x = Nd4j.randn(type, inputShape);
    INDArray w = Nd4j.randn(type, weightShape);
    LongShapeDescriptor out = op(new GemmConvolution(), kernel, stride, pad).outputShapes(List.of(x, w)).get(0);
    INDArray dy = Nd4j.randn(type, out.getShape());
    return new INDArray[] {x, w, dy};
  }

  private static <T extends GemmConvolution> T op(T op, int[] kernel, int[] stride, int[] pad) {
    for (int[] values : new int[][] {kernel, stride, pad}) {
      for (int v : values) {
        op.addIArgument(v);
      }
    }
    op.configureFromArguments();
    return op;
  }

  /** y, dx, dw from the im2col ops. */
  private static INDArray[] gemm(INDArray[] problem, int[] kernel, int[] stride, int[] pad) {
    INDArray x = problem[0];
    INDArray w = problem[1];
    INDArray dy = problem[2];
    INDArray y = Nd4j.create(x.dataType(), dy.shape());
    op(new GemmConvolution(), kernel, stride, pad).compute(List.of(x, w), List.of(y));
    INDArray dx = Nd4j.valueArrayOf(x.shape(), Double.NaN, x.dataType());
    op(new GemmConvolution.InputGradient(), kernel, stride, pad).compute(List.of(x, w, dy), List.of(dx));
    INDArray dw = Nd4j.valueArrayOf(w.shape(), Double.NaN, x.dataType());
    op(new GemmConvolution.WeightGradient(), kernel, stride, pad).compute(List.of(x, w, dy), List.of(dw));
    return new INDArray[] {y, dx, dw};
  }

  /** y, dx, dw from libnd4j's conv3dnew, channels-last ([B,H,W,C] inputs get a depth of 1). */
  private static INDArray[] native3d(INDArray[] problem, int[] kernel, int[] stride, int[] pad) {
    boolean flat = problem[0].rank() == 4;
    INDArray x = flat ? problem[0].reshape(prepend(problem[0].shape())) : problem[0];
    long[] weightShape = problem[1].shape();
    INDArray w = flat ? problem[1].reshape(1, weightShape[0], weightShape[1], weightShape[2], weightShape[3])
        : problem[1];
    INDArray dy = flat ? problem[2].reshape(prepend(problem[2].shape())) : problem[2];
    int[] args = {kernel[0], kernel[1], kernel[2], stride[0], stride[1], stride[2], pad[0], pad[1], pad[2], 1, 1, 1,
        0, 1};
    INDArray y = Nd4j.create(x.dataType(), dy.shape());
    Nd4j.exec(DynamicCustomOp.builder("conv3dnew").addInputs(x, w).addOutputs(y).addIntegerArguments(args).build());
    INDArray dx = Nd4j.create(x.dataType(), x.shape());
    INDArray dw = Nd4j.create(x.dataType(), w.shape());
    Nd4j.exec(DynamicCustomOp.builder("conv3dnew_bp").addInputs(x, w, dy).addOutputs(dx, dw)
        .addIntegerArguments(args).build());
    return new INDArray[] {y.reshape(problem[2].shape()), dx.reshape(problem[0].shape()),
        dw.reshape(problem[1].shape())};
  }

  private static long[] prepend(long[] shape) {
    long[] withDepth = new long[shape.length + 1];
    withDepth[0] = shape[0];
    withDepth[1] = 1;
    System.arraycopy(shape, 1, withDepth, 2, shape.length - 1);
    return withDepth;
  }

  private static double relativeError(INDArray actual, INDArray expected) {
    assertThat(actual.shape()).isEqualTo(expected.shape());
    INDArray a = actual.castTo(DataType.DOUBLE);
    INDArray e = expected.castTo(DataType.DOUBLE);
    return a.sub(e).norm2Number().doubleValue() / Math.max(e.norm2Number().doubleValue(), 1e-300);
  }
}
