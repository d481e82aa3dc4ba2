package crisscross.trainer.model;

import crisscross.pipeline.random.SampleRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv3DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds layers into a SameDiff graph with PyTorch's parameter names, layouts and default initialisation, so
 * weights load from and compare with the reference by name. Reusable for any graph (pretraining, feature
 * extraction, finetuning: backbone + {@link #linear} + a loss of the caller's).
 *
 * <p>A layer asked for twice under the same name shares its parameters (the Siamese views of §3). Parameters
 * keep PyTorch layouts (Conv3d [out,in,kT,kH,kW], Conv2d [out,in,kH,kW], Linear [out,in]); the graph permutes and
 * reshapes them to libnd4j's conv2d layout [kH,kW,in,out], so gradients come back in PyTorch layout too. Video
 * layers work on channels-last {@link Clip}s (see {@link #conv3d}).
 *
 * <p>Batch normalisation ({@link #batchNorm}) in {@link Mode#TRAINING} normalises with the batch statistics
 * (biased variance, eps 1e-5) and records each application's batch mean and variance so the caller can update
 * the running statistics (momentum 0.1, unbiased variance: {@link BatchNormStatistics}); in
 * {@link Mode#INFERENCE} it normalises with the running statistics, fed as placeholders named
 * {@code <layer>.running_mean} and {@code <layer>.running_var}.
 */
public final class GraphBuilder {
  /** BN epsilon of PyTorch's BatchNorm layers. */
  public static final double BN_EPSILON = 1e-5;

  /** Whether batch normalisation uses batch statistics (training) or running statistics (inference). */
  public enum Mode { TRAINING, INFERENCE }

  /** What a parameter is, for initialisation and parameter counts. */
  public enum Kind { CONV_WEIGHT, LINEAR_WEIGHT, LINEAR_BIAS, BN_GAMMA, BN_BETA }

  /** A parameter: PyTorch name and shape, kind, and the fan-in its default initialisation used. */
  public record Parameter(String name, long[] shape, Kind kind, long fanIn) {
    public long size() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }
  }

  /**
   * One training-mode application of a BN layer: its batch statistics, and the values per channel of one sample
   * (a batch of B samples normalises over B times as many).
   */
  public record BatchNormApplication(String layer, int channels, SDVariable batchMean, SDVariable batchVariance,
      long valuesPerSample) {}

  static {
    FusedBatchNorm.register();
    FastRelu.register();
    TrainingBatchNorm.register();
    GemmConvolution.register();
  }

  private final SameDiff sd;
  private final Mode mode;
  private final DataType dataType;
  private final SampleRandom random;
  private final Map<String, INDArray> givenValues;
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, Integer> batchNormLayers = new LinkedHashMap<>();
  private final List<BatchNormApplication> applications = new ArrayList<>();
  private final Map<String, Layout> layouts = new LinkedHashMap<>();
  private final Map<String, INDArray> pytorchViews = new LinkedHashMap<>();
  private final Map<String, INDArray> graphValues = new LinkedHashMap<>();
  private int counter;

  /**
   * @param random seeds PyTorch-style default initial values; each parameter draws from its own fork, by name
   */
  public GraphBuilder(SameDiff sd, Mode mode, DataType dataType, SampleRandom random) {
    this(sd, mode, dataType, random, Map.of());
  }

  /**
   * @param givenValues PyTorch-layout values of parameters by name, e.g. a pretrained backbone (copied into the
   *     graph; {@link #parameterValues()} views the graph's arrays, never the given ones); names not in the map are
   *     initialised from {@code random}
   */
  public GraphBuilder(SameDiff sd, Mode mode, DataType dataType, SampleRandom random,
      Map<String, INDArray> givenValues) {
    this.sd = sd;
    this.mode = mode;
    this.dataType = dataType;
    this.random = random;
    this.givenValues = Map.copyOf(givenValues);
  }

  public SameDiff sameDiff() {
    return sd;
  }

  public Mode mode() {
    return mode;
  }

  public DataType dataType() {
    return dataType;
  }

  /** Parameters created so far, in creation order (PyTorch's {@code named_parameters()} order). */
  public Map<String, Parameter> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /** BN layer names with their channel counts, in creation order. */
  public Map<String, Integer> batchNormLayers() {
    return Collections.unmodifiableMap(batchNormLayers);
  }

  /** Training-mode BN applications in graph order (for the running-statistics update). */
  public List<BatchNormApplication> batchNormApplications() {
    return Collections.unmodifiableList(applications);
  }

  /**
   * A [B, C, T, H, W] tensor of static size T x H x W x C as a channels-last {@link Clip} [B, T, H, W, C].
   */
  public Clip clip(SDVariable channelsFirst, long frames, long height, long width, int channels) {
    return new Clip(sd.permute(channelsFirst, 0, 2, 3, 4, 1), frames, height, width, channels);
  }

  /** A clip back in the channels-first layout [B, C, T, H, W] (PyTorch's). */
  public SDVariable channelsFirst(Clip x) {
    return sd.permute(x.value(), 0, 4, 1, 2, 3);
  }

  /**
   * 3-D convolution without bias, as PyTorch's Conv3d with kernel, stride and padding given as (t, h, w); the
   * weight keeps PyTorch's [out, in, kT, kH, kW] name and is stored in libnd4j's layout. On the channels-last clip:
   * <ul>
   *   <li>(1, 1, 1), stride (s, s, s): every s-th frame, row and column, then a 1x1 {@code conv2d} (first rule);
   *   <li>at most {@link #MATRIX_PRODUCT_MAX_POSITIONS} output positions per sample: a {@link GemmConvolution};
   *   <li>(kT, 1, 1), stride (s, 1, 1): a (kT x 1) {@code conv2d} on a free reshape [B, T, H*W, C];
   *   <li>(1, kH, kW): {@code conv3dnew} channels-last, which the oneDNN build runs directly (as fast as per-frame
   *       {@code conv2d}, without its reshape copies);
   *   <li>a kernel spanning frames and pixels (the 3x7x7 stem): {@code conv3dnew} channels-first between permuted
   *       copies, since oneDNN's channels-first kernels for 3 input channels are the fastest (14 ms forward and
   *       53 ms backward at batch 2 in isolation, against 15/69 channels-last and 28/79 ms for the temporal taps
   *       stacked as channels of a {@code conv2d}; the full step ~0.07 s faster with the copies, measured on 2
   *       cores); the networks' stems use {@link #inputConv3d} instead.
   * </ul>
   * The weight's graph layout depends on the route, so graphs of other input sizes keep their own layouts
   * ({@link #toGraphLayout}).
   */
  public Clip conv3d(String name, Clip x, int out, int[] kernel, int[] stride, int[] pad) {
    int in = x.channels();
    long[] shape = {out, in, kernel[0], kernel[1], kernel[2]};
    long fanIn = (long) in * kernel[0] * kernel[1] * kernel[2];
    long frames = outputSize(x.frames(), kernel[0], stride[0], pad[0]);
    long height = outputSize(x.height(), kernel[1], stride[1], pad[1]);
    long width = outputSize(x.width(), kernel[2], stride[2], pad[2]);
    if (kernel[0] == 1 && kernel[1] == 1 && kernel[2] == 1 && pad[0] == 0 && pad[1] == 0 && pad[2] == 0) {
      SDVariable sampled = stride[0] == 1 && stride[1] == 1 && stride[2] == 1 ? x.value()
          : sd.stridedSlice(x.value(), new long[5], new long[] {0, x.frames(), x.height(), x.width(), in},
              new long[] {1, stride[0], stride[1], stride[2], 1}, 1, 1, 0, 0, 0);
      SDVariable images = sd.reshape(sampled, -1, height, width, in);
      SDVariable w = parameter(name + ".weight", shape, Kind.CONV_WEIGHT, fanIn, new int[] {2, 3, 4, 1, 0},
          new long[] {1, 1, in, out});
      SDVariable y = conv2dChannelsLast(name, images, w, 1, 1, 1, 1, 0, 0);
      return new Clip(sd.reshape(y, -1, frames, height, width, out), frames, height, width, out);
    }
    if (kernel[1] == 1 && kernel[2] == 1 && stride[1] == 1 && stride[2] == 1 && pad[1] == 0 && pad[2] == 0
        && frames * height * width > MATRIX_PRODUCT_MAX_POSITIONS) {
      SDVariable rows = sd.reshape(x.value(), -1, x.frames(), x.height() * x.width(), in);
      SDVariable kernelLayout = parameter(name + ".weight", shape, Kind.CONV_WEIGHT, fanIn,
          new int[] {2, 3, 4, 1, 0}, new long[] {kernel[0], 1, in, out});
      SDVariable y = conv2dChannelsLast(name, rows, kernelLayout, kernel[0], 1, stride[0], 1, pad[0], 0);
      return new Clip(sd.reshape(y, -1, frames, height, width, out), frames, height, width, out);
    }
    if (frames * height * width <= MATRIX_PRODUCT_MAX_POSITIONS) {
      SDVariable weight = parameter(name + ".weight", shape, Kind.CONV_WEIGHT, fanIn, new int[] {2, 3, 4, 1, 0},
          new long[] {kernel[0], kernel[1], kernel[2], in, out});
      SDVariable y = new GemmConvolution(sd, x.value(), weight, kernel, stride, pad, false).outputVariable();
      return new Clip(y, frames, height, width, out);
    }
    SDVariable kernelLayout = parameter(name + ".weight", shape, Kind.CONV_WEIGHT, fanIn,
        new int[] {2, 3, 4, 1, 0}, new long[] {kernel[0], kernel[1], kernel[2], in, out});
    // A kernel spanning frames and pixels (the stem) runs channels-first, between two permuted copies.
    boolean channelsFirst = kernel[0] > 1;
    Conv3DConfig config = Conv3DConfig.builder()
        .kD(kernel[0]).kH(kernel[1]).kW(kernel[2]).sD(stride[0]).sH(stride[1]).sW(stride[2])
        .pD(pad[0]).pH(pad[1]).pW(pad[2]).dD(1).dH(1).dW(1)
        .biasUsed(false).paddingMode(PaddingMode.VALID)
        .dataFormat(channelsFirst ? Conv3DConfig.NCDHW : Conv3DConfig.NDHWC)
        .build();
    if (channelsFirst) {
      SDVariable y = sd.cnn().conv3d(unique(name), channelsFirst(x), kernelLayout, config);
      return new Clip(sd.permute(y, 0, 2, 3, 4, 1), frames, height, width, out);
    }
    SDVariable y = sd.cnn().conv3d(unique(name), x.value(), kernelLayout, config);
    return new Clip(y, frames, height, width, out);
  }

  /** Batch normalisation of a clip over B, T, H and W, per channel (PyTorch's BatchNorm3d). */
  public Clip batchNorm(String name, Clip x) {
    return x.with(batchNorm(name, x.value(), x.channels(), 5, x.frames() * x.height() * x.width(), false));
  }

  /** {@link #batchNorm(String, Clip)} followed by ReLU, fused into one op in training mode. */
  public Clip batchNormRelu(String name, Clip x) {
    return x.with(batchNorm(name, x.value(), x.channels(), 5, x.frames() * x.height() * x.width(), true));
  }

  public Clip relu(Clip x) {
    return x.with(relu(x.value()));
  }

  /** Element-wise sum of two clips of the same size (a residual connection). */
  public Clip add(Clip x, Clip y) {
    if (x.frames() != y.frames() || x.height() != y.height() || x.width() != y.width()
        || x.channels() != y.channels()) {
      throw new IllegalArgumentException("cannot add clips of different sizes: " + x + " and " + y);
    }
    return x.with(x.value().add(y.value()));
  }

  /** Max pooling over (h, w) with a (1,k,k) window, as PyTorch's MaxPool3d((1,k,k), (1,s,s), (0,p,p)). */
  public Clip maxPoolSpatial3d(Clip x, int kernel, int stride, int pad) {
    long height = outputSize(x.height(), kernel, stride, pad);
    long width = outputSize(x.width(), kernel, stride, pad);
    SDVariable images = sd.reshape(x.value(), -1, x.height(), x.width(), x.channels());
    Pooling2DConfig config = Pooling2DConfig.builder()
        .kH(kernel).kW(kernel).sH(stride).sW(stride).pH(pad).pW(pad).dH(1).dW(1)
        .type(Pooling2D.Pooling2DType.MAX).paddingMode(PaddingMode.VALID).isNHWC(true)
        .build();
    SDVariable y = sd.cnn().maxPooling2d(images, config);
    return new Clip(sd.reshape(y, -1, x.frames(), height, width, x.channels()), x.frames(), height, width,
        x.channels());
  }

  /** Mean over frames and pixels: [B, T, H, W, C] to [B, C]. */
  public SDVariable globalAveragePool(Clip x) {
    return x.value().mean(1, 2, 3);
  }

  private SDVariable conv2dChannelsLast(String name, SDVariable images, SDVariable kernelLayout, int kH, int kW,
      int sH, int sW, int pH, int pW) {
    Conv2DConfig config = Conv2DConfig.builder()
        .kH(kH).kW(kW).sH(sH).sW(sW).pH(pH).pW(pW).dH(1).dW(1)
        .paddingMode(PaddingMode.VALID)
        .dataFormat(Conv2DConfig.NHWC)
        .weightsFormat(WeightsFormat.YXIO)
        .build();
    return sd.cnn().conv2d(unique(name), images, kernelLayout, config);
  }

  /**
   * Output positions per sample up to which a convolution runs as a {@link GemmConvolution} rather than libnd4j's:
   * layer 4 of both backbones and layer 3 of the audio one at the paper's input sizes, where libnd4j's fixed cost per
   * call dominates. Measured per layer on 2 cores at batch 2 (forward + backward, 6 calls): video (1,3,3) 512 0.069
   * to 0.034 s, audio (3,3) 512 0.075 to 0.041 s, temporal (3,1,1) 512 0.025 to 0.013 s, audio (3,3) 256 0.033 to
   * 0.028 s; at 98 positions (video layer 3) and more, libnd4j was as fast or faster.
   */
  static final long MATRIX_PRODUCT_MAX_POSITIONS = 80;

  /** PyTorch's output size of a convolution or pooling window (no dilation, floor mode). */
  static long outputSize(long size, int kernel, int stride, int pad) {
    long out = (size + 2L * pad - kernel) / stride + 1;
    if (out < 1) {
      throw new IllegalArgumentException("input size " + size + " is too small for kernel " + kernel
          + " with padding " + pad);
    }
    return out;
  }

  /**
   * The first convolution of a network, on its input data: as {@link #conv3d} but run as a {@link GemmConvolution}
   * whose backward computes only the weight gradient (nothing needs the data's), with libnd4j's channels-last
   * forward (no permuted copies). At batch 2 on 2 cores the stem's backward fell from ~50 to ~32 ms per view and its
   * forward from ~29 (channels-first between permuted copies) to ~25 ms.
   */
  public Clip inputConv3d(String name, Clip x, int out, int[] kernel, int[] stride, int[] pad) {
    int in = x.channels();
    long fanIn = (long) in * kernel[0] * kernel[1] * kernel[2];
    long frames = outputSize(x.frames(), kernel[0], stride[0], pad[0]);
    long height = outputSize(x.height(), kernel[1], stride[1], pad[1]);
    long width = outputSize(x.width(), kernel[2], stride[2], pad[2]);
    SDVariable weight = parameter(name + ".weight", new long[] {out, in, kernel[0], kernel[1], kernel[2]},
        Kind.CONV_WEIGHT, fanIn, new int[] {2, 3, 4, 1, 0}, new long[] {kernel[0], kernel[1], kernel[2], in, out});
    SDVariable y = new GemmConvolution(sd, x.value(), weight, kernel, stride, pad, true).outputVariable();
    return new Clip(y, frames, height, width, out);
  }

  /**
   * The first 2-D convolution of a network, on its input data [B,H,W,C]: a {@link GemmConvolution} whose backward
   * computes only the weight gradient (the audio stem's backward 5 to 1.2 ms at batch 2).
   */
  public SDVariable inputConv2d(String name, SDVariable x, int in, int out, int kernel, int stride, int pad) {
    SDVariable weight = parameter(name + ".weight", new long[] {out, in, kernel, kernel}, Kind.CONV_WEIGHT,
        (long) in * kernel * kernel, new int[] {2, 3, 1, 0}, new long[] {kernel, kernel, in, out});
    return new GemmConvolution(sd, x, weight, new int[] {1, kernel, kernel}, new int[] {1, stride, stride},
        new int[] {0, pad, pad}, false).outputVariable();
  }

  /**
   * 2-D convolution, no bias; input and output channels-last [B,H,W,C]; {@code outputPositions} (H' x W') picks the
   * route as in {@link #conv3d}.
   */
  public SDVariable conv2d(String name, SDVariable x, int in, int out, int kernel, int stride, int pad,
      long outputPositions) {
    // libnd4j's conv2d_bp rejects the OIYX weight format in this version, so the weight lives in YXIO.
    SDVariable kernelLayout = parameter(name + ".weight", new long[] {out, in, kernel, kernel}, Kind.CONV_WEIGHT,
        (long) in * kernel * kernel, new int[] {2, 3, 1, 0}, new long[] {kernel, kernel, in, out});
    if (kernel > 1 && outputPositions <= MATRIX_PRODUCT_MAX_POSITIONS) {
      return new GemmConvolution(sd, x, kernelLayout, new int[] {1, kernel, kernel}, new int[] {1, stride, stride},
          new int[] {0, pad, pad}, false).outputVariable();
    }
    Conv2DConfig config = Conv2DConfig.builder()
        .kH(kernel).kW(kernel).sH(stride).sW(stride).pH(pad).pW(pad).dH(1).dW(1)
        .paddingMode(PaddingMode.VALID)
        .dataFormat(Conv2DConfig.NHWC)
        .weightsFormat(WeightsFormat.YXIO)
        .build();
    return sd.cnn().conv2d(unique(name), x, kernelLayout, config);
  }

  /** Fully connected layer {@code y = x W^T + b} on [B, in] with PyTorch's Linear layout [out, in]. */
  public SDVariable linear(String name, SDVariable x, int in, int out) {
    SDVariable w = parameter(name + ".weight", new long[] {out, in}, Kind.LINEAR_WEIGHT, in);
    SDVariable b = parameter(name + ".bias", new long[] {out}, Kind.LINEAR_BIAS, in);
    SDVariable y = sd.mmul(x, w, false, true, false);
    return sd.nn().biasAdd(unique(name), y, b, false);
  }

  /** Batch normalisation of [B, C] (BatchNorm1d after a linear layer). See {@link #batchNorm(String, SDVariable, int, int, long, boolean)}. */
  public SDVariable batchNorm(String name, SDVariable x, int channels) {
    return batchNorm(name, x, channels, 2, 1, false);
  }

  /** {@link #batchNorm(String, SDVariable, int)} followed by ReLU. */
  public SDVariable batchNormRelu(String name, SDVariable x, int channels) {
    return batchNorm(name, x, channels, 2, 1, true);
  }

  /**
   * Batch normalisation over every axis but the last (the channel axis: activations are channels-last), with
   * learnable gamma (init 1) and beta (init 0), optionally followed by ReLU. See the class comment for the two
   * modes; in training mode it is one {@link TrainingBatchNorm} op (BN and ReLU fused, computed in Java: graphs with
   * training-mode BN run in a {@link KernelSession}).
   *
   * @param rank rank of {@code x}
   * @param valuesPerSample values per channel in one sample (the product of the other non-batch sizes), for the
   *     unbiased running variance; static so that no shape op has to run per step
   */
  public SDVariable batchNorm(String name, SDVariable x, int channels, int rank, long valuesPerSample,
      boolean relu) {
    SDVariable gamma = parameter(name + ".weight", new long[] {channels}, Kind.BN_GAMMA, channels);
    SDVariable beta = parameter(name + ".bias", new long[] {channels}, Kind.BN_BETA, channels);
    batchNormLayers.putIfAbsent(name, channels);
    if (mode == Mode.TRAINING) {
      SDVariable[] out = new TrainingBatchNorm(sd, x, gamma, beta, BN_EPSILON, relu).outputVariables();
      applications.add(new BatchNormApplication(name, channels, out[1], out[2], valuesPerSample));
      return out[0];
    }
    SDVariable mean = placeholderOnce(name + ".running_mean", channels);
    SDVariable variance = placeholderOnce(name + ".running_var", channels);
    SDVariable y = new FusedBatchNorm(sd, new SDVariable[] {x, mean, variance, gamma, beta}, BN_EPSILON, rank - 1)
        .outputVariable();
    return relu ? relu(y) : y;
  }

  public SDVariable relu(SDVariable x) {
    return new FastRelu(sd, x).outputVariable();
  }

  /** Max pooling of channels-last [B,H,W,C], as PyTorch's MaxPool2d(k, s, p). */
  public SDVariable maxPool2d(SDVariable x, int kernel, int stride, int pad) {
    Pooling2DConfig config = Pooling2DConfig.builder()
        .kH(kernel).kW(kernel).sH(stride).sW(stride).pH(pad).pW(pad).dH(1).dW(1)
        .type(Pooling2D.Pooling2DType.MAX).paddingMode(PaddingMode.VALID).isNHWC(true)
        .build();
    return sd.cnn().maxPooling2d(x, config);
  }

  /**
   * The named parameter, created with PyTorch's default initial values on first use: kaiming-uniform with
   * a = sqrt(5) for conv and linear weights (bound 1/sqrt(fan_in)), uniform(+-1/sqrt(fan_in)) for linear biases,
   * gamma 1 and beta 0 for BN.
   */
  public SDVariable parameter(String name, long[] shape, Kind kind, long fanIn) {
    int[] identity = new int[shape.length];
    for (int i = 0; i < identity.length; i++) {
      identity[i] = i;
    }
    return parameter(name, shape, kind, fanIn, identity, shape);
  }

  /**
   * A parameter named and shaped as in PyTorch ({@code shape}) whose graph variable holds it in another layout:
   * the PyTorch tensor permuted by {@code order}, then reshaped to {@code graphShape}. The values are stored once,
   * in the graph's layout, so no permute op runs per step; {@link #parameterValues()} views them in PyTorch's.
   */
  public SDVariable parameter(String name, long[] shape, Kind kind, long fanIn, int[] order, long[] graphShape) {
    Parameter existing = parameters.get(name);
    if (existing != null) {
      if (!java.util.Arrays.equals(layouts.get(name).order(), order)
          || !java.util.Arrays.equals(layouts.get(name).graphShape(), graphShape)) {
        throw new IllegalArgumentException("parameter " + name + " is already used in another layout");
      }
      return sd.getVariable(name);
    }
    Parameter parameter = new Parameter(name, shape.clone(), kind, fanIn);
    parameters.put(name, parameter);
    Layout layout = new Layout(order.clone(), graphShape.clone());
    layouts.put(name, layout);
    INDArray given = givenValues.get(name);
    if (given != null && !java.util.Arrays.equals(given.shape(), shape)) {
      throw new IllegalArgumentException("parameter " + name + " has shape " + java.util.Arrays.toString(shape)
          + " but the given value has " + java.util.Arrays.toString(given.shape()));
    }
    INDArray initial = given != null ? layout.toGraph(given) : layout.toGraph(initialValue(parameter));
    SDVariable variable = sd.var(name, initial.dup('c'));
    // The live array is the one SameDiff holds (it copies views it is given): the optimiser updates it in place,
    // and the PyTorch-layout view must follow it, or checkpoints and inference graphs read stale values.
    INDArray graphValue = variable.getArr();
    graphValues.put(name, graphValue);
    pytorchViews.put(name, layout.toPytorch(graphValue, shape));
    return variable;
  }

  /**
   * The live parameter arrays by PyTorch name, in PyTorch's layout: views of the graph's arrays, so an in-place
   * update is seen by the graph and an update of the graph's arrays is seen here.
   */
  public Map<String, INDArray> parameterValues() {
    return Collections.unmodifiableMap(pytorchViews);
  }

  /** The live parameter arrays by PyTorch name, in the graph's layout (the arrays the graph computes with). */
  public Map<String, INDArray> graphValues() {
    return Collections.unmodifiableMap(graphValues);
  }

  /** A gradient (or any array) of parameter {@code name} in the graph's layout, as a new PyTorch-layout array. */
  public INDArray toPytorchLayout(String name, INDArray graphLayout) {
    return layouts.get(name).toPytorch(graphLayout, parameters.get(name).shape()).dup('c');
  }

  /** A PyTorch-layout value of parameter {@code name} in the graph's layout (a view when the strides allow). */
  public INDArray toGraphLayout(String name, INDArray pytorchLayout) {
    return layouts.get(name).toGraph(pytorchLayout);
  }

  /** PyTorch tensor -> permute(order) -> reshape(graphShape) is the graph's value. */
  private record Layout(int[] order, long[] graphShape) {
    INDArray toGraph(INDArray pytorch) {
      return pytorch.permute(order).reshape('c', graphShape);
    }

    INDArray toPytorch(INDArray graph, long[] pytorchShape) {
      long[] permuted = new long[order.length];
      int[] inverse = new int[order.length];
      for (int i = 0; i < order.length; i++) {
        permuted[i] = pytorchShape[order[i]];
        inverse[order[i]] = i;
      }
      return graph.reshape('c', permuted).permute(inverse);
    }
  }

  /**
   * Fresh PyTorch-default values of parameter {@code name} (PyTorch layout) drawn from {@code from}'s fork by name,
   * as at creation when {@code from} is this builder's random stream.
   */
  public INDArray initialValue(String name, SampleRandom from) {
    Parameter p = parameters.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no parameter " + name);
    }
    return initialValue(p, from);
  }

  private INDArray initialValue(Parameter p) {
    return initialValue(p, random);
  }

  private INDArray initialValue(Parameter p, SampleRandom random) {
    int n = Math.toIntExact(p.size());
    double[] values = new double[n];
    switch (p.kind()) {
      case CONV_WEIGHT, LINEAR_WEIGHT, LINEAR_BIAS -> {
        double bound = 1.0 / Math.sqrt(p.fanIn());
        SampleRandom draw = random.fork(p.name());
        for (int i = 0; i < n; i++) {
          values[i] = draw.uniform(-bound, bound);
        }
      }
      case BN_GAMMA -> java.util.Arrays.fill(values, 1.0);
      case BN_BETA -> { }
      default -> throw new IllegalStateException(p.kind().toString());
    }
    return Nd4j.create(values, p.shape(), DataType.DOUBLE).castTo(dataType);
  }

  private SDVariable placeholderOnce(String name, int channels) {
    return sd.hasVariable(name) ? sd.getVariable(name) : sd.placeHolder(name, dataType, channels);
  }

  private String unique(String layer) {
    return layer + "#" + (counter++);
  }
}
