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
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling3D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv3DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling3DConfig;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds layers into a SameDiff graph with PyTorch's parameter names, layouts and default initialisation, so
 * weights load from and compare with the reference by name. Reusable for any graph (pretraining, feature
 * extraction, finetuning: backbone + {@link #linear} + a loss of the caller's).
 *
 * <p>A layer asked for twice under the same name shares its parameters (the Siamese views of §3). Parameters
 * keep PyTorch layouts (Conv3d [out,in,kT,kH,kW], Conv2d [out,in,kH,kW], Linear [out,in]); the graph permutes
 * conv3d weights to libnd4j's [kT,kH,kW,in,out], so gradients come back in PyTorch layout too.
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

  /** One training-mode application of a BN layer: its batch statistics and the input's shape. */
  public record BatchNormApplication(String layer, int channels, SDVariable batchMean, SDVariable batchVariance,
      SDVariable inputShape, int axis) {}

  static {
    FusedBatchNorm.register();
    BatchMoments.register();
  }

  private final SameDiff sd;
  private final Mode mode;
  private final DataType dataType;
  private final SampleRandom random;
  private final Map<String, INDArray> givenValues;
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, Integer> batchNormLayers = new LinkedHashMap<>();
  private final List<BatchNormApplication> applications = new ArrayList<>();
  private int counter;

  /**
   * @param random seeds PyTorch-style default initial values; each parameter draws from its own fork, by name
   */
  public GraphBuilder(SameDiff sd, Mode mode, DataType dataType, SampleRandom random) {
    this(sd, mode, dataType, random, Map.of());
  }

  /**
   * @param givenValues arrays to use as the variables' values by parameter name (shared, not copied), e.g. a
   *     pretrained backbone; names not in the map are initialised from {@code random}
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

  /** 3-D convolution, no bias; input and output [B,C,T,H,W]; kernel, stride and padding as (t, h, w). */
  public SDVariable conv3d(String name, SDVariable x, int in, int out, int[] kernel, int[] stride, int[] pad) {
    SDVariable w = parameter(name + ".weight", new long[] {out, in, kernel[0], kernel[1], kernel[2]},
        Kind.CONV_WEIGHT, (long) in * kernel[0] * kernel[1] * kernel[2]);
    SDVariable kernelLayout = sd.permute(w, 2, 3, 4, 1, 0);
    Conv3DConfig config = Conv3DConfig.builder()
        .kD(kernel[0]).kH(kernel[1]).kW(kernel[2])
        .sD(stride[0]).sH(stride[1]).sW(stride[2])
        .pD(pad[0]).pH(pad[1]).pW(pad[2])
        .dD(1).dH(1).dW(1)
        .paddingMode(PaddingMode.VALID)
        .biasUsed(false)
        .dataFormat(Conv3DConfig.NCDHW)
        .build();
    return sd.cnn().conv3d(unique(name), x, kernelLayout, config);
  }

  /** 2-D convolution, no bias; input and output [B,C,H,W]. */
  public SDVariable conv2d(String name, SDVariable x, int in, int out, int kernel, int stride, int pad) {
    SDVariable w = parameter(name + ".weight", new long[] {out, in, kernel, kernel}, Kind.CONV_WEIGHT,
        (long) in * kernel * kernel);
    // libnd4j's conv2d_bp rejects the OIYX weight format in this version, so permute to YXIO like conv3d.
    SDVariable kernelLayout = sd.permute(w, 2, 3, 1, 0);
    Conv2DConfig config = Conv2DConfig.builder()
        .kH(kernel).kW(kernel).sH(stride).sW(stride).pH(pad).pW(pad).dH(1).dW(1)
        .paddingMode(PaddingMode.VALID)
        .dataFormat(Conv2DConfig.NCHW)
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

  /**
   * Batch normalisation over every axis but {@code axis = 1} (the channel axis of [B,C], [B,C,H,W] and
   * [B,C,T,H,W]), with learnable gamma (init 1) and beta (init 0). See the class comment for the two modes.
   */
  public SDVariable batchNorm(String name, SDVariable x, int channels, int rank) {
    SDVariable gamma = parameter(name + ".weight", new long[] {channels}, Kind.BN_GAMMA, channels);
    SDVariable beta = parameter(name + ".bias", new long[] {channels}, Kind.BN_BETA, channels);
    batchNormLayers.putIfAbsent(name, channels);
    SDVariable mean;
    SDVariable variance;
    if (mode == Mode.TRAINING) {
      int[] reduce = new int[rank - 1];
      reduce[0] = 0;
      for (int i = 2; i < rank; i++) {
        reduce[i - 1] = i;
      }
      SDVariable[] moments = new BatchMoments(sd, x, reduce).outputVariables();
      mean = moments[0];
      variance = moments[1];
      applications.add(new BatchNormApplication(name, channels, mean, variance, sd.shape(x), 1));
      mean = new StopGradient(sd, mean).outputVariable();
      variance = new StopGradient(sd, variance).outputVariable();
    } else {
      mean = placeholderOnce(name + ".running_mean", channels);
      variance = placeholderOnce(name + ".running_var", channels);
    }
    return new FusedBatchNorm(sd, new SDVariable[] {x, mean, variance, gamma, beta}, BN_EPSILON, 1)
        .outputVariable();
  }

  public SDVariable relu(SDVariable x) {
    return sd.nn().relu(x, 0.0);
  }

  /** Max pooling over (h, w) of [B,C,T,H,W] with a (1,k,k) window, as PyTorch's MaxPool3d((1,k,k), (1,s,s)). */
  public SDVariable maxPoolSpatial3d(SDVariable x, int kernel, int stride, int pad) {
    Pooling3DConfig config = Pooling3DConfig.builder()
        .kD(1).kH(kernel).kW(kernel).sD(1).sH(stride).sW(stride).pD(0).pH(pad).pW(pad)
        .dD(1).dH(1).dW(1)
        .type(Pooling3D.Pooling3DType.MAX).isSameMode(false).isNCDHW(true)
        .build();
    return sd.cnn().maxPooling3d(x, config);
  }

  /** Max pooling of [B,C,H,W], as PyTorch's MaxPool2d(k, s, p). */
  public SDVariable maxPool2d(SDVariable x, int kernel, int stride, int pad) {
    Pooling2DConfig config = Pooling2DConfig.builder()
        .kH(kernel).kW(kernel).sH(stride).sW(stride).pH(pad).pW(pad).dH(1).dW(1)
        .type(Pooling2D.Pooling2DType.MAX).paddingMode(PaddingMode.VALID).isNHWC(false)
        .build();
    return sd.cnn().maxPooling2d(x, config);
  }

  /**
   * The named parameter, created with PyTorch's default initial values on first use: kaiming-uniform with
   * a = sqrt(5) for conv and linear weights (bound 1/sqrt(fan_in)), uniform(+-1/sqrt(fan_in)) for linear biases,
   * gamma 1 and beta 0 for BN.
   */
  public SDVariable parameter(String name, long[] shape, Kind kind, long fanIn) {
    Parameter existing = parameters.get(name);
    if (existing != null) {
      return sd.getVariable(name);
    }
    Parameter parameter = new Parameter(name, shape.clone(), kind, fanIn);
    parameters.put(name, parameter);
    INDArray given = givenValues.get(name);
    if (given != null && !java.util.Arrays.equals(given.shape(), shape)) {
      throw new IllegalArgumentException("parameter " + name + " has shape " + java.util.Arrays.toString(shape)
          + " but the given value has " + java.util.Arrays.toString(given.shape()));
    }
    return sd.var(name, given != null ? given : initialValue(parameter));
  }

  private INDArray initialValue(Parameter p) {
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
