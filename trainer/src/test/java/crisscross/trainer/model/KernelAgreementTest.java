package crisscross.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.reduce.MmulBp;
import org.nd4j.linalg.api.ops.impl.reduce.bp.MeanBp;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Every op family of the model, float32 against float64 on the same float32 inputs, at the layers' real geometries
 * (channels, kernels, strides; batch and spatial extents cut down) and at the tiny test model's few channels.
 *
 * <p>Why: oneDNN picks its kernels when it runs, from the CPU (avx512_core, avx2, ..., with other kernels for few
 * channels), so a kernel that is wrong on one machine passes every test on another. In float32 the convolutions,
 * pooling and matrix products (also {@link GemmConvolution}'s) run on oneDNN, in float64 on libnd4j's own kernels;
 * the Java {@link ChannelBatchNorm} has a float64 path too. Agreement within float32 rounding means the kernels this
 * machine chose compute the right function. Run it once more with {@code DNNL_MAX_CPU_ISA=AVX2} (the only cap
 * oneDNN 2.3 reads) to check here the kernels of an AVX2 machine.
 *
 * <p>The tolerance is the standard forward error bound, not a chosen number: a sum of K products computed in float32
 * in any order is within {@code gamma_K (|A|·|B|)} of the exact sum, element by element, with
 * {@code gamma_K = K u / (1 - K u)}, u = 2^-24, and {@code |A|·|B|} the same (float64) op on the absolute values of
 * its inputs. Each check states K, the most roundings that touch one term, and allows twice the bound: room for one
 * more rounding where a kernel accumulates in a scratch buffer before writing its output, and for the float64
 * reference's own error (2^-29 of the float32 bound). K = 0 demands exact results. Each check prints its worst
 * error/bound ratio.
 */
class KernelAgreementTest {
  /** Unit roundoff of float32 (round to nearest). */
  private static final double U = 0x1p-24;

  /** {@link GraphBuilder#maxPool2d}'s 3/2/1 window on [B, H, W, C]: kernel, stride, padding, dilation, NHWC. */
  private static final int[] POOLING = {3, 3, 2, 2, 1, 1, 1, 1, 0, 0, 1};

  private static final Convolution VIDEO_LAYER1 = Convolution.video("video layer1 (1,3,3) 64->64",
      new long[] {1, 2, 28, 28, 64}, 64, new int[] {1, 3, 3}, new int[] {1, 1, 1}, new int[] {0, 1, 1});

  @BeforeAll
  static void reportTheIsaCap() {
    String cap = System.getenv("DNNL_MAX_CPU_ISA");
    System.out.println("oneDNN ISA cap: " + (cap == null ? "none (CPU's best)" : "DNNL_MAX_CPU_ISA=" + cap));
    if (System.getenv("ONEDNN_MAX_CPU_ISA") != null) {
      System.out.println("ONEDNN_MAX_CPU_ISA is set but oneDNN 2.3 ignores it; set DNNL_MAX_CPU_ISA");
    }
  }

  /**
   * The libnd4j convolutions of the model, as {@link GraphBuilder} routes them: oneDNN in float32. The channels-last
   * stem is also {@link GraphBuilder#inputConv3d}'s forward pass.
   */
  static Stream<Convolution> libnd4jConvolutions() {
    return Stream.of(
        Convolution.video("video stem (3,7,7)/(1,2,2) 3->64 channels-last", new long[] {1, 4, 56, 56, 3}, 64,
            new int[] {3, 7, 7}, new int[] {1, 2, 2}, new int[] {1, 3, 3}),
        Convolution.videoChannelsFirst("video stem (3,7,7)/(1,2,2) 3->64 channels-first",
            new long[] {1, 3, 4, 56, 56}, 64, new int[] {3, 7, 7}, new int[] {1, 2, 2}, new int[] {1, 3, 3}),
        VIDEO_LAYER1,
        Convolution.video("video layer2 (1,3,3)/(1,2,2) 64->128", new long[] {1, 2, 28, 28, 64}, 128,
            new int[] {1, 3, 3}, new int[] {1, 2, 2}, new int[] {0, 1, 1}),
        Convolution.video("video layer3 (1,3,3)/(1,2,2) 128->256", new long[] {1, 2, 14, 14, 128}, 256,
            new int[] {1, 3, 3}, new int[] {1, 2, 2}, new int[] {0, 1, 1}),
        Convolution.video("video layer3 (1,3,3) 256->256", new long[] {1, 2, 7, 7, 256}, 256, new int[] {1, 3, 3},
            new int[] {1, 1, 1}, new int[] {0, 1, 1}),
        // The temporal (3,1,1) convolutions run as a (3,1) conv2d on [B, T, H*W, C].
        Convolution.image("video layer1 temporal (3,1) 64->64", new long[] {1, 8, 196, 64}, 64, new int[] {3, 1},
            new int[] {1, 1}, new int[] {1, 0}),
        Convolution.image("video layer2 temporal (3,1)/(2,1) 128->128", new long[] {1, 8, 196, 128}, 128,
            new int[] {3, 1}, new int[] {2, 1}, new int[] {1, 0}),
        Convolution.image("video layer2 shortcut 1x1 64->128", new long[] {4, 14, 14, 64}, 128, new int[] {1, 1},
            new int[] {1, 1}, new int[] {0, 0}),
        Convolution.image("audio stem 7x7/2 1->64", new long[] {1, 80, 200, 1}, 64, new int[] {7, 7},
            new int[] {2, 2}, new int[] {3, 3}),
        Convolution.image("audio layer1 3x3 64->64", new long[] {1, 20, 50, 64}, 64, new int[] {3, 3},
            new int[] {1, 1}, new int[] {1, 1}),
        Convolution.image("audio layer2 3x3/2 64->128", new long[] {1, 20, 50, 64}, 128, new int[] {3, 3},
            new int[] {2, 2}, new int[] {1, 1}),
        Convolution.image("audio layer2 shortcut 1x1/2 64->128", new long[] {1, 20, 50, 64}, 128, new int[] {1, 1},
            new int[] {2, 2}, new int[] {0, 0}),
        // The tiny model (channels 4, 8, 8, 16 on 4x32x32 clips), for oneDNN's few-channel kernels.
        Convolution.video("tiny stem (3,7,7)/(1,2,2) 3->4 channels-last", new long[] {2, 4, 32, 32, 3}, 4,
            new int[] {3, 7, 7}, new int[] {1, 2, 2}, new int[] {1, 3, 3}),
        Convolution.videoChannelsFirst("tiny stem (3,7,7)/(1,2,2) 3->4 channels-first", new long[] {2, 3, 4, 32, 32},
            4, new int[] {3, 7, 7}, new int[] {1, 2, 2}, new int[] {1, 3, 3}),
        Convolution.video("tiny layer1 (1,3,3) 4->4", new long[] {2, 4, 8, 8, 4}, 4, new int[] {1, 3, 3},
            new int[] {1, 1, 1}, new int[] {0, 1, 1}),
        Convolution.video("tiny (1,3,3)/(1,2,2) 4->8", new long[] {2, 4, 16, 16, 4}, 8, new int[] {1, 3, 3},
            new int[] {1, 2, 2}, new int[] {0, 1, 1}),
        Convolution.image("tiny temporal (3,1) 8->8", new long[] {2, 4, 16, 8}, 8, new int[] {3, 1},
            new int[] {1, 1}, new int[] {1, 0}),
        Convolution.image("tiny audio 3x3/2 4->8", new long[] {2, 16, 24, 4}, 8, new int[] {3, 3}, new int[] {2, 2},
            new int[] {1, 1}));
  }

  /** The layers {@link GraphBuilder} runs as a {@link GemmConvolution}: im2col blocks times oneDNN's matmul. */
  static Stream<Convolution> gemmConvolutions() {
    return Stream.of(
        Convolution.video("video layer4 (1,3,3)/(1,2,2) 256->512", new long[] {1, 2, 7, 7, 256}, 512,
            new int[] {1, 3, 3}, new int[] {1, 2, 2}, new int[] {0, 1, 1}),
        Convolution.video("video layer4 temporal (3,1,1)/(2,1,1) 512->512", new long[] {1, 2, 4, 4, 512}, 512,
            new int[] {3, 1, 1}, new int[] {2, 1, 1}, new int[] {1, 0, 0}),
        Convolution.video("video stem (3,7,7)/(1,2,2) 3->64", new long[] {1, 4, 28, 28, 3}, 64, new int[] {3, 7, 7},
            new int[] {1, 2, 2}, new int[] {1, 3, 3}),
        Convolution.image("audio layer3 3x3/2 128->256", new long[] {1, 10, 25, 128}, 256, new int[] {3, 3},
            new int[] {2, 2}, new int[] {1, 1}),
        Convolution.image("audio layer4 3x3 512->512", new long[] {1, 3, 7, 512}, 512, new int[] {3, 3},
            new int[] {1, 1}, new int[] {1, 1}),
        Convolution.image("audio stem 7x7/2 1->64", new long[] {1, 80, 200, 1}, 64, new int[] {7, 7},
            new int[] {2, 2}, new int[] {3, 3}),
        Convolution.video("tiny layer2 (1,3,3)/(1,2,2) 4->8", new long[] {2, 4, 8, 8, 4}, 8, new int[] {1, 3, 3},
            new int[] {1, 2, 2}, new int[] {0, 1, 1}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("libnd4jConvolutions")
  void libnd4jConvolutionAndItsGradientsAgreeWithFloat64(Convolution conv) {
    INDArray[] inputs = conv.randomInputs(7);
    assertConvolutionAgrees(conv.op(), conv, conv.run(inputs), inputs);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gemmConvolutions")
  void gemmConvolutionAndItsGradientsAgreeWithLibnd4jInFloat64(Convolution conv) {
    INDArray[] inputs = conv.randomInputs(8);
    assertConvolutionAgrees("GemmConvolution", conv, conv.gemm(inputs), inputs);
  }

  static Stream<Arguments> maxPoolings() {
    return Stream.of(
        Arguments.of("video stem output, 4 frames", new long[] {4, 56, 56, 64}),
        Arguments.of("audio stem output", new long[] {1, 40, 100, 64}),
        Arguments.of("tiny stem output", new long[] {8, 16, 16, 4}));
  }

  /**
   * Max pooling 3/2/1 (both stems). The inputs are a permutation of distinct values, so no window has a tie: the
   * forward pass must be exact, and so must the input gradient where one window picked the element; where n
   * overlapping windows picked it, its gradient is a sum of n values, n - 1 roundings.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("maxPoolings")
  void maxPoolingAndItsGradientAreExactUpToTheSumsOfOverlappingWindows(String name, long[] shape) {
    INDArray x = distinctValues(shape, 9);
    INDArray y = maxPool(x);
    Nd4j.getRandom().setSeed(9);
    INDArray dy = Nd4j.randn(DataType.FLOAT, y.shape());
    INDArray dx = maxPoolGradient(x, dy);

    INDArray x64 = x.castTo(DataType.DOUBLE);
    INDArray y64 = maxPool(x64);
    assertAgrees("maxpool2d " + name + " forward", y, y64, Transforms.abs(y64), 0);
    // A gradient of ones counts the windows that picked each element.
    INDArray windows = maxPoolGradient(x64, Nd4j.onesLike(y64));
    INDArray roundings = Transforms.max(windows.sub(1), 0);
    INDArray bound = maxPoolGradient(x64, Transforms.abs(dy.castTo(DataType.DOUBLE))).muli(gammas(roundings)).muli(2);
    assertWithin("maxpool2d_bp " + name, dx, maxPoolGradient(x64, dy.castTo(DataType.DOUBLE)), bound,
        "K = windows per element - 1, at most " + roundings.maxNumber().longValue());
  }

  static Stream<Arguments> linearLayers() {
    return Stream.of(
        Arguments.of("projector fc1 512->2048", 4, 512, 2048),
        Arguments.of("projector fc2 2048->2048", 2, 2048, 2048),
        Arguments.of("predictor fc1 2048->512", 4, 2048, 512));
  }

  /** {@link GraphBuilder#linear}'s {@code x W^T} and its gradients (matmul, matmul_bp). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("linearLayers")
  void matrixProductAndItsGradientsAgreeWithFloat64(String name, int batch, int in, int out) {
    Nd4j.getRandom().setSeed(10);
    INDArray[] inputs = {Nd4j.randn(DataType.FLOAT, batch, in), Nd4j.randn(DataType.FLOAT, out, in),
        Nd4j.randn(DataType.FLOAT, batch, out)};
    INDArray[] single = linear(inputs);
    INDArray[] exact = linear(toDouble(inputs));
    INDArray[] magnitude = linear(abs(inputs));
    assertAgrees("matmul " + name + " forward", single[0], exact[0], magnitude[0], in);
    assertAgrees("matmul_bp " + name + " input gradient", single[1], exact[1], magnitude[1], out);
    assertAgrees("matmul_bp " + name + " weight gradient", single[2], exact[2], magnitude[2], batch);
  }

  static Stream<Arguments> batchNorms() {
    return Stream.of(
        Arguments.of("video layer1 clip, ReLU", new long[] {1, 8, 28, 28, 64}, true),
        Arguments.of("audio layer2 map", new long[] {1, 10, 25, 128}, false),
        Arguments.of("projector [B, 2048], ReLU", new long[] {4, 2048}, true),
        Arguments.of("tiny clip, ReLU", new long[] {2, 4, 16, 16, 4}, true));
  }

  /**
   * The Java training-mode BN ({@link ChannelBatchNorm}). Both types sum in double over the same values, so the
   * statistics and the gamma and beta gradients differ by their final rounding (K = 1). {@code y = x s + o} with
   * {@code s = gamma / sqrt(var + eps)} and {@code o = beta - mean s}: the float path rounds mean, variance, s and o
   * and then computes {@code x s + o} in two float operations, at most 4 roundings on each of |x s|, |mean s|,
   * |beta|. The backward pass gets the float forward pass's statistics and output in both types (so the same ReLU
   * mask); {@code dx = g a + x b + k} from double coefficients rounded to float, then two products and two sums: K = 4
   * over |g a| + |x b| + |k|.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("batchNorms")
  void trainingBatchNormAndItsGradientsAgreeWithFloat64(String name, long[] shape, boolean relu) {
    int channels = Math.toIntExact(shape[shape.length - 1]);
    Nd4j.getRandom().setSeed(12);
    INDArray x = Nd4j.randn(DataType.FLOAT, shape).muli(2).addi(0.5);
    INDArray gamma = Nd4j.rand(DataType.FLOAT, channels).addi(0.5);
    INDArray beta = Nd4j.randn(DataType.FLOAT, channels);
    INDArray dy = Nd4j.randn(DataType.FLOAT, shape);
    INDArray[] single = batchNormForward(x, gamma, beta, relu);
    INDArray x64 = x.castTo(DataType.DOUBLE);
    INDArray gamma64 = gamma.castTo(DataType.DOUBLE);
    INDArray beta64 = beta.castTo(DataType.DOUBLE);
    INDArray[] exact = batchNormForward(x64, gamma64, beta64, relu);
    String check = "batch norm " + name;
    assertAgrees(check + " mean", single[1], exact[1], Transforms.abs(exact[1]), 1);
    assertAgrees(check + " variance", single[2], exact[2], Transforms.abs(exact[2]), 1);
    assertAgrees(check + " forward", single[0], exact[0], normalisationMagnitude(x64, gamma64, beta64, exact), 4);

    INDArray[] singleGradients = batchNormBackward(x, gamma, single, dy, relu);
    INDArray[] forward = toDouble(single);
    INDArray dy64 = dy.castTo(DataType.DOUBLE);
    INDArray[] exactGradients = batchNormBackward(x64, gamma64, forward, dy64, relu);
    assertAgrees(check + " dgamma", singleGradients[1], exactGradients[1], Transforms.abs(exactGradients[1]), 1);
    assertAgrees(check + " dbeta", singleGradients[2], exactGradients[2], Transforms.abs(exactGradients[2]), 1);
    INDArray g = relu ? dy64.mul(forward[0].gt(0).castTo(DataType.DOUBLE)) : dy64;
    assertAgrees(check + " dx", singleGradients[0], exactGradients[0],
        inputGradientMagnitude(x64, g, gamma64, forward, exactGradients), 4);
  }

  /** ReLU ({@link FastRelu}'s {@code relu}) and its gradient {@code relu_bp} round nothing: exact. */
  @Test
  void reluAndItsGradientAreExact() {
    Nd4j.getRandom().setSeed(13);
    INDArray x = Nd4j.randn(DataType.FLOAT, 1, 8, 28, 28, 64);
    INDArray dy = Nd4j.randn(DataType.FLOAT, x.shape());
    INDArray x64 = x.castTo(DataType.DOUBLE);
    INDArray dy64 = dy.castTo(DataType.DOUBLE);
    INDArray y64 = relu(x64);
    assertAgrees("relu forward", relu(x), y64, Transforms.abs(y64), 0);
    INDArray dx64 = reluGradient(x64, dy64);
    assertAgrees("relu_bp", reluGradient(x, dy), dx64, Transforms.abs(dx64), 0);
  }

  static Stream<Arguments> globalAveragePools() {
    return Stream.of(
        Arguments.of("video layer4 map", new long[] {2, 1, 4, 4, 512}, new int[] {1, 2, 3}),
        Arguments.of("audio layer4 map", new long[] {2, 3, 7, 512}, new int[] {1, 2}));
  }

  /**
   * The backbones' global average pool, a mean of N values: N - 1 additions and a division (K = N + 1 leaves room
   * for a rounded 1/N); its gradient dy / N, K = 2 likewise.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("globalAveragePools")
  void globalAveragePoolAndItsGradientAgreeWithFloat64(String name, long[] shape, int[] axes) {
    Nd4j.getRandom().setSeed(14);
    INDArray x = Nd4j.randn(DataType.FLOAT, shape);
    INDArray dy = Nd4j.randn(DataType.FLOAT, shape[0], shape[shape.length - 1]);
    long n = x.length() / dy.length();
    INDArray x64 = x.castTo(DataType.DOUBLE);
    assertAgrees("mean " + name + " forward", x.mean(axes), x64.mean(axes), Transforms.abs(x64).mean(axes), n + 1);
    INDArray exact = meanGradient(x64, dy.castTo(DataType.DOUBLE), axes);
    assertAgrees("reduce_mean_bp " + name, meanGradient(x, dy, axes), exact, Transforms.abs(exact), 2);
  }

  /** The bound check is not vacuous: one output element off by a relative 1e-3 is reported. */
  @Test
  void anOutputElementOffByOnePartInAThousandIsAViolation() {
    INDArray[] inputs = VIDEO_LAYER1.randomInputs(15);
    INDArray y = VIDEO_LAYER1.run(inputs)[0];
    INDArray exact = VIDEO_LAYER1.run(toDouble(inputs))[0];
    INDArray bound = bound(VIDEO_LAYER1.run(abs(inputs))[0], VIDEO_LAYER1.forwardTerms());
    assertThat(agreement(y, exact, bound).violations()).isZero();

    long largest = Transforms.abs(exact).reshape(-1).argMax().getLong(0);
    INDArray perturbed = y.dup();
    perturbed.reshape(-1).putScalar(largest, y.reshape(-1).getFloat(largest) * (1 + 1e-3f));
    Agreement agreement = agreement(perturbed, exact, bound);
    System.out.printf(Locale.ROOT, "perturbed element: worst error/bound %.3g%n", agreement.worstRatio());
    assertThat(agreement.violations()).isEqualTo(1);
    assertThat(agreement.worstElement()).isEqualTo(largest);
  }

  /** y, dx, dw against float64 with K = C_in x kernel, C_out x kernel and B x output positions. */
  private static void assertConvolutionAgrees(String implementation, Convolution conv, INDArray[] single,
      INDArray[] inputs) {
    INDArray[] exact = conv.run(toDouble(inputs));
    INDArray[] magnitude = conv.run(abs(inputs));
    String check = implementation + " " + conv;
    assertAgrees(check + " forward", single[0], exact[0], magnitude[0], conv.forwardTerms());
    assertAgrees(check + " input gradient", single[1], exact[1], magnitude[1], conv.inputGradientTerms());
    assertAgrees(check + " weight gradient", single[2], exact[2], magnitude[2], conv.weightGradientTerms());
  }

  /** |actual - exact| within 2 gamma_K magnitude, element by element. */
  private static void assertAgrees(String check, INDArray actual, INDArray exact, INDArray magnitude, long terms) {
    assertWithin(check, actual, exact, bound(magnitude, terms), "K = " + terms);
  }

  private static void assertWithin(String check, INDArray actual, INDArray exact, INDArray bound, String terms) {
    Agreement agreement = agreement(actual, exact, bound);
    System.out.printf(Locale.ROOT, "%-80s %-34s worst error/bound %.3g%n", check, terms, agreement.worstRatio());
    assertThat(agreement.violations())
        .as("%s: elements outside the float32 bound (%s); worst error/bound %.3g at element %d", check, terms,
            agreement.worstRatio(), agreement.worstElement())
        .isZero();
  }

  /** 2 gamma_K times the magnitude (see the class comment). */
  private static INDArray bound(INDArray magnitude, long terms) {
    return magnitude.castTo(DataType.DOUBLE).mul(2 * terms * U / (1 - terms * U));
  }

  /** gamma_K element by element. */
  private static INDArray gammas(INDArray terms) {
    return terms.mul(U).divi(terms.mul(-U).addi(1));
  }

  /**
   * The worst ratio |actual - exact| / bound (0 where both are 0, infinite where only the bound is, and for NaN),
   * its element (flat, C order) and how many elements exceed their bound.
   */
  private record Agreement(double worstRatio, long worstElement, long violations) {}

  private static Agreement agreement(INDArray actual, INDArray exact, INDArray bound) {
    assertThat(actual.shape()).isEqualTo(exact.shape());
    double[] a = doubles(actual);
    double[] e = doubles(exact);
    double[] b = doubles(bound);
    double worst = 0;
    long worstElement = -1;
    long violations = 0;
    for (int i = 0; i < a.length; i++) {
      double error = Math.abs(a[i] - e[i]);
      double ratio = error == 0 ? 0 : Double.isNaN(error) ? Double.POSITIVE_INFINITY : error / b[i];
      if (ratio > 1) {
        violations++;
      }
      if (ratio > worst || worstElement < 0) {
        worst = ratio;
        worstElement = i;
      }
    }
    return new Agreement(worst, worstElement, violations);
  }

  private static double[] doubles(INDArray a) {
    return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }

  private static INDArray[] toDouble(INDArray[] arrays) {
    return Stream.of(arrays).map(a -> a.castTo(DataType.DOUBLE)).toArray(INDArray[]::new);
  }

  private static INDArray[] abs(INDArray[] arrays) {
    return Stream.of(arrays).map(a -> Transforms.abs(a.castTo(DataType.DOUBLE))).toArray(INDArray[]::new);
  }

  /**
   * A convolution layer's geometry, kernel, stride and padding as (d, h, w) (a 2-D layer has depth 1, 1, 0), with
   * libnd4j's weight layout [kD, kH, kW, C_in, C_out] ([kH, kW, C_in, C_out] in 2-D) as {@link GraphBuilder} stores it.
   */
  record Convolution(String name, Layout layout, long[] input, int out, int[] kernel, int[] stride, int[] pad) {
    enum Layout { NDHWC, NCDHW, NHWC }

    static Convolution video(String name, long[] ndhwc, int out, int[] kernel, int[] stride, int[] pad) {
      return new Convolution(name, Layout.NDHWC, ndhwc, out, kernel, stride, pad);
    }

    static Convolution videoChannelsFirst(String name, long[] ncdhw, int out, int[] kernel, int[] stride,
        int[] pad) {
      return new Convolution(name, Layout.NCDHW, ncdhw, out, kernel, stride, pad);
    }

    /** [B, H, W, C] with (h, w) kernel, stride and padding. */
    static Convolution image(String name, long[] nhwc, int out, int[] kernel, int[] stride, int[] pad) {
      return new Convolution(name, Layout.NHWC, nhwc, out, new int[] {1, kernel[0], kernel[1]},
          new int[] {1, stride[0], stride[1]}, new int[] {0, pad[0], pad[1]});
    }

    String op() {
      return layout == Layout.NHWC ? "conv2d" : "conv3dnew";
    }

    long in() {
      return layout == Layout.NCDHW ? input[1] : input[input.length - 1];
    }

    /** (d, h, w) of the input. */
    long[] inputSize() {
      return switch (layout) {
        case NDHWC -> new long[] {input[1], input[2], input[3]};
        case NCDHW -> new long[] {input[2], input[3], input[4]};
        case NHWC -> new long[] {1, input[1], input[2]};
      };
    }

    long[] outputSize() {
      long[] in = inputSize();
      long[] size = new long[3];
      for (int a = 0; a < 3; a++) {
        size[a] = GraphBuilder.outputSize(in[a], kernel[a], stride[a], pad[a]);
      }
      return size;
    }

    long[] outputShape() {
      long[] o = outputSize();
      return switch (layout) {
        case NDHWC -> new long[] {input[0], o[0], o[1], o[2], out};
        case NCDHW -> new long[] {input[0], out, o[0], o[1], o[2]};
        case NHWC -> new long[] {input[0], o[1], o[2], out};
      };
    }

    long[] weightShape() {
      return layout == Layout.NHWC ? new long[] {kernel[1], kernel[2], in(), out}
          : new long[] {kernel[0], kernel[1], kernel[2], in(), out};
    }

    long kernelVolume() {
      return (long) kernel[0] * kernel[1] * kernel[2];
    }

    long forwardTerms() {
      return in() * kernelVolume();
    }

    long inputGradientTerms() {
      return out * kernelVolume();
    }

    long weightGradientTerms() {
      long[] o = outputSize();
      return input[0] * o[0] * o[1] * o[2];
    }

    int[] args() {
      if (layout == Layout.NHWC) {
        // Dilation 1, same-mode off, NHWC, weights [kH, kW, C_in, C_out].
        return new int[] {kernel[1], kernel[2], stride[1], stride[2], pad[1], pad[2], 1, 1, 0, 1, 0};
      }
      // Dilation 1, same-mode off, then NDHWC (1) or NCDHW (0); weights [kD, kH, kW, C_in, C_out] either way.
      return new int[] {kernel[0], kernel[1], kernel[2], stride[0], stride[1], stride[2], pad[0], pad[1], pad[2], 1,
          1, 1, 0, layout == Layout.NDHWC ? 1 : 0};
    }

    /** Random float32 x, weight and dL/dy. */
    INDArray[] randomInputs(long seed) {
      Nd4j.getRandom().setSeed(seed);
      return new INDArray[] {Nd4j.randn(DataType.FLOAT, input), Nd4j.randn(DataType.FLOAT, weightShape()),
          Nd4j.randn(DataType.FLOAT, outputShape())};
    }

    /** y, dx, dw from libnd4j's op and its _bp op, in the inputs' type. */
    INDArray[] run(INDArray[] inputs) {
      INDArray x = inputs[0];
      INDArray w = inputs[1];
      INDArray y = Nd4j.create(x.dataType(), outputShape());
      Nd4j.exec(DynamicCustomOp.builder(op()).addInputs(x, w).addOutputs(y).addIntegerArguments(args()).build());
      INDArray dx = Nd4j.create(x.dataType(), x.shape());
      INDArray dw = Nd4j.create(x.dataType(), w.shape());
      Nd4j.exec(DynamicCustomOp.builder(op() + "_bp").addInputs(x, w, inputs[2]).addOutputs(dx, dw)
          .addIntegerArguments(args()).build());
      return new INDArray[] {y, dx, dw};
    }

    /** y, dx, dw from the {@link GemmConvolution} ops (channels-last only). */
    INDArray[] gemm(INDArray[] inputs) {
      List<INDArray> all = List.of(inputs);
      INDArray y = Nd4j.create(inputs[0].dataType(), outputShape());
      configure(new GemmConvolution()).compute(all.subList(0, 2), List.of(y));
      INDArray dx = Nd4j.create(inputs[0].dataType(), inputs[0].shape());
      configure(new GemmConvolution.InputGradient()).compute(all, List.of(dx));
      INDArray dw = Nd4j.create(inputs[0].dataType(), inputs[1].shape());
      configure(new GemmConvolution.WeightGradient()).compute(all, List.of(dw));
      return new INDArray[] {y, dx, dw};
    }

    private GemmConvolution configure(GemmConvolution op) {
      for (int[] values : new int[][] {kernel, stride, pad}) {
        for (int v : values) {
          op.addIArgument(v);
        }
      }
      op.configureFromArguments();
      return op;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Distinct multiples of 1/64 around 0 (exact in float32), in random order. */
  private static INDArray distinctValues(long[] shape, long seed) {
    long length = 1;
    for (long d : shape) {
      length *= d;
    }
    float[] values = new float[Math.toIntExact(length)];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i - values.length / 2) / 64f;
    }
    Random random = new Random(seed);
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      float swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
    return Nd4j.create(values, shape, 'c');
  }

  private static INDArray maxPool(INDArray x) {
    long[] s = x.shape();
    INDArray y = Nd4j.create(x.dataType(), s[0], GraphBuilder.outputSize(s[1], 3, 2, 1),
        GraphBuilder.outputSize(s[2], 3, 2, 1), s[3]);
    Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(x).addOutputs(y).addIntegerArguments(POOLING).build());
    return y;
  }

  private static INDArray maxPoolGradient(INDArray x, INDArray dy) {
    INDArray dx = Nd4j.create(x.dataType(), x.shape());
    Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(x, dy).addOutputs(dx).addIntegerArguments(POOLING)
        .build());
    return dx;
  }

  /** x, W, dL/dy to y = x W^T, dL/dx, dL/dW. */
  private static INDArray[] linear(INDArray[] inputs) {
    INDArray x = inputs[0];
    INDArray w = inputs[1];
    INDArray y = Nd4j.exec(new Mmul(x, w, false, true, false))[0];
    INDArray dx = Nd4j.create(x.dataType(), x.shape());
    INDArray dw = Nd4j.create(x.dataType(), w.shape());
    Nd4j.exec(new MmulBp(x, w, inputs[2], dx, dw, new MMulTranspose(false, true, false)));
    return new INDArray[] {y, dx, dw};
  }

  /** y, mean, biased variance. */
  private static INDArray[] batchNormForward(INDArray x, INDArray gamma, INDArray beta, boolean relu) {
    INDArray y = Nd4j.create(x.dataType(), x.shape());
    INDArray mean = Nd4j.create(x.dataType(), gamma.length());
    INDArray variance = Nd4j.create(x.dataType(), gamma.length());
    ChannelBatchNorm.forward(x, gamma, beta, GraphBuilder.BN_EPSILON, relu, y, mean, variance);
    return new INDArray[] {y, mean, variance};
  }

  /** |x| |s| + |mean s| + |beta| for y = x s + (beta - mean s), s = gamma / sqrt(var + eps). */
  private static INDArray normalisationMagnitude(INDArray x, INDArray gamma, INDArray beta, INDArray[] forward) {
    INDArray scale = gamma.div(Transforms.sqrt(forward[2].add(GraphBuilder.BN_EPSILON)));
    INDArray constant = Transforms.abs(forward[1].mul(scale)).addi(Transforms.abs(beta));
    return Transforms.abs(x.reshape(-1, gamma.length())).mulRowVector(Transforms.abs(scale)).addiRowVector(constant)
        .reshape(x.shape());
  }

  /**
   * |g| |a| + |x| |b| + |k| for {@link ChannelBatchNorm#backward}'s dx = g a + x b + k over M rows: a = gamma / sigma,
   * b = -a dgamma / (M sigma), k = -a dbeta / M - b mean, sigma = sqrt(var + eps).
   */
  private static INDArray inputGradientMagnitude(INDArray x, INDArray g, INDArray gamma, INDArray[] forward,
      INDArray[] gradients) {
    long channels = gamma.length();
    double rows = x.length() / channels;
    INDArray invSigma = Transforms.pow(forward[2].add(GraphBuilder.BN_EPSILON), -0.5);
    INDArray a = gamma.mul(invSigma);
    INDArray b = a.mul(invSigma).muli(gradients[1]).divi(-rows);
    INDArray k = a.mul(gradients[2]).divi(-rows).subi(b.mul(forward[1]));
    return Transforms.abs(g.reshape(-1, channels)).mulRowVector(Transforms.abs(a))
        .addi(Transforms.abs(x.reshape(-1, channels)).mulRowVector(Transforms.abs(b)))
        .addiRowVector(Transforms.abs(k)).reshape(x.shape());
  }

  /** dx, dgamma, dbeta given the forward pass's y, mean and variance. */
  private static INDArray[] batchNormBackward(INDArray x, INDArray gamma, INDArray[] forward, INDArray dy,
      boolean relu) {
    INDArray dx = Nd4j.create(x.dataType(), x.shape());
    INDArray dgamma = Nd4j.create(x.dataType(), gamma.length());
    INDArray dbeta = Nd4j.create(x.dataType(), gamma.length());
    ChannelBatchNorm.backward(x, gamma, forward[1], forward[2], forward[0], dy, GraphBuilder.BN_EPSILON, relu, dx,
        dgamma, dbeta);
    return new INDArray[] {dx, dgamma, dbeta};
  }

  private static INDArray relu(INDArray x) {
    INDArray y = Nd4j.create(x.dataType(), x.shape());
    Nd4j.exec(DynamicCustomOp.builder("relu").addInputs(x).addOutputs(y).addFloatingPointArguments(0.0).build());
    return y;
  }

  private static INDArray reluGradient(INDArray x, INDArray dy) {
    INDArray dx = Nd4j.create(x.dataType(), x.shape());
    Nd4j.exec(new RectifiedLinearDerivative(x, dy, dx));
    return dx;
  }

  private static INDArray meanGradient(INDArray x, INDArray dy, int[] axes) {
    INDArray dx = Nd4j.create(x.dataType(), x.shape());
    Nd4j.exec(new MeanBp(x, dy, dx, false, axes));
    return dx;
  }
}
