package crisscross.evaluation.finetune;

import crisscross.pipeline.random.SampleRandom;
import crisscross.trainer.model.BatchNormStatistics;
import crisscross.trainer.model.Clip;
import crisscross.trainer.model.GraphBuilder;
import crisscross.trainer.model.KernelSession;
import crisscross.trainer.model.Networks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The finetuning network of Appendix E.2: the R(2+1)D video backbone ({@link Networks#videoFeatures}, weights
 * copied from the encoder), its final average-pooling replaced by a global max-pooling over (T, H, W) ("we replace
 * the final adaptive average-pooling layer with an adaptive max-pooling layer"), optional dropout, and a new linear
 * layer ({@code classifier}, PyTorch's default initialisation) trained with softmax cross-entropy.
 *
 * <p>Training steps run in training mode (batch statistics, running statistics updated as PyTorch does); scores
 * are computed in inference mode with the running statistics. Not thread-safe; {@link #close()} frees the arrays.
 */
public final class VideoClassifier implements AutoCloseable {
  static final String BACKBONE = "video_backbone";

  private final int[] channels;
  private final int classes;
  private final DataType dataType;
  private final double dropout;
  private final SameDiff training;
  private final GraphBuilder trainingBuilder;
  private final long[] clipShape;
  /** Parameters in the graph's layout (the gradients' too), updated in place by the optimiser. */
  private final Map<String, INDArray> graphParameters = new LinkedHashMap<>();
  private final Map<String, INDArray> buffers = new LinkedHashMap<>();
  private final SDVariable batchStatistics;
  /** Inference graphs by clip size [T, H, W]: the backbone's convolutions are built for static sizes. */
  private final Map<List<Long>, InferenceGraph> inferenceGraphs = new HashMap<>();

  private VideoClassifier(int[] channels, int classes, long[] clipShape, Map<String, INDArray> backboneParameters,
      Map<String, INDArray> backboneBuffers, DataType dataType, long seed, double dropout) {
    this.channels = channels.clone();
    this.classes = classes;
    this.dataType = dataType;
    this.dropout = dropout;
    this.clipShape = clipShape.clone();
    Map<String, INDArray> initial = new LinkedHashMap<>();
    backboneParameters.forEach((name, value) -> {
      if (name.startsWith(BACKBONE + ".")) {
        initial.put(name, value.castTo(dataType).dup());
      }
    });
    this.training = SameDiff.create();
    this.trainingBuilder = new GraphBuilder(training, GraphBuilder.Mode.TRAINING, dataType,
        SampleRandom.of(seed).fork("finetune-init"), initial);
    SDVariable labels = training.placeHolder("labels", dataType, -1, classes);
    SDVariable pooled = pooledFeatures(training, trainingBuilder, clipShape);
    if (dropout > 0) {
      pooled = pooled.mul(training.placeHolder("dropout_mask", dataType, -1, channels[3]));
    }
    SDVariable logits = trainingBuilder.linear("classifier", pooled, channels[3], classes);
    // log-softmax from plain ops (SameDiff 1.0.0-M2.1 cannot differentiate its logSoftmax op along an axis); the
    // shift by the row maximum keeps exp finite and leaves the value and its gradient unchanged.
    SDVariable shifted = logits.sub(logits.max(true, 1));
    SDVariable logProbabilities = shifted.sub(training.math().log(training.math().exp(shifted).sum(true, 1)));
    SDVariable loss = labels.mul(logProbabilities).sum(1).mean().neg();
    training.identity("loss", loss).markAsLoss();
    // SameDiff 1.0.0-M2.1 copies its variable table once per requested output, so the batch statistics of every
    // BN application are fetched as one concatenated vector rather than as a hundred outputs.
    List<SDVariable> statistics = new ArrayList<>();
    for (GraphBuilder.BatchNormApplication a : trainingBuilder.batchNormApplications()) {
      statistics.add(a.batchMean());
      statistics.add(a.batchVariance());
    }
    this.batchStatistics = training.concat("bn_batch_statistics", 0, statistics.toArray(SDVariable[]::new));
    for (String name : trainingBuilder.parameters().keySet()) {
      if (name.startsWith(BACKBONE + ".") && !initial.containsKey(name)) {
        throw new IllegalArgumentException("the encoder has no parameter " + name);
      }
      graphParameters.put(name, training.getVariable(name).getArr());
    }
    for (Map.Entry<String, Integer> bn : trainingBuilder.batchNormLayers().entrySet()) {
      for (String statistic : List.of("running_mean", "running_var")) {
        String name = bn.getKey() + "." + statistic;
        INDArray given = backboneBuffers.get(name);
        if (given == null) {
          throw new IllegalArgumentException("the encoder has no BN buffer " + name);
        }
        buffers.put(name, given.castTo(dataType).dup());
      }
    }
  }

  /**
   * A classifier over {@code classes} classes on the backbone given by the encoder's {@code video_backbone.*}
   * parameters and BN buffers (copied: finetuning never changes the encoder).
   *
   * @param channels the backbone's widths ({@code ModelSettings.videoChannels()})
   * @param clipShape the training clips' frames, height and width
   * @param seed draws the new linear layer's initial weights
   */
  public static VideoClassifier create(int[] channels, int classes, long[] clipShape,
      Map<String, INDArray> backboneParameters, Map<String, INDArray> backboneBuffers, DataType dataType, long seed,
      double dropout) {
    if (classes < 2) {
      throw new IllegalArgumentException("finetuning needs at least two classes, got " + classes);
    }
    if (clipShape.length != 3 || java.util.Arrays.stream(clipShape).anyMatch(n -> n < 1)) {
      throw new IllegalArgumentException("a clip shape is [frames, height, width], got "
          + java.util.Arrays.toString(clipShape));
    }
    return new VideoClassifier(channels, classes, clipShape, backboneParameters, backboneBuffers, dataType, seed,
        dropout);
  }

  /**
   * Live parameters by PyTorch name and in PyTorch's layout (views of the graph's arrays): the backbone's and
   * {@code classifier.weight}, {@code classifier.bias}.
   */
  public Map<String, INDArray> parameters() {
    return trainingBuilder.parameterValues();
  }

  /** Live BN running statistics by name. */
  public Map<String, INDArray> buffers() {
    return Collections.unmodifiableMap(buffers);
  }

  /**
   * One SGD step in training mode on a batch of clips {@code [B, 3, T, H, W]} with labels (class indices);
   * returns the batch's mean cross-entropy before the update.
   *
   * @param dropoutDraws draws the dropout mask (unused without dropout)
   */
  public double trainStep(INDArray clips, int[] labels, SgdMomentum optimizer, double lr,
      SampleRandom dropoutDraws) {
    if (clips.size(0) != labels.length || labels.length < 2) {
      throw new IllegalArgumentException("a training step needs at least two clips and one label per clip, got "
          + clips.size(0) + " clips and " + labels.length + " labels");
    }
    long[] shape = clips.shape();
    if (shape.length != 5 || shape[1] != 3 || shape[2] != clipShape[0] || shape[3] != clipShape[1]
        || shape[4] != clipShape[2]) {
      throw new IllegalArgumentException("training clips must be [B, 3, " + clipShape[0] + ", " + clipShape[1] + ", "
          + clipShape[2] + "], got " + java.util.Arrays.toString(shape));
    }
    Map<String, INDArray> placeholders = new LinkedHashMap<>();
    placeholders.put("clips", clips.dataType() == dataType ? clips : clips.castTo(dataType));
    placeholders.put("labels", oneHot(labels));
    if (dropout > 0) {
      placeholders.put("dropout_mask", dropoutMask(labels.length, dropoutDraws));
    }
    KernelSession.forGradients(training, null);
    OutAndGrad result = training.calculateGradientsAndOutputs(placeholders,
        List.of("loss", batchStatistics.name()), graphParameters.keySet());
    Map<String, INDArray> out = result.getOutputs();
    double loss = out.get("loss").getDouble(0);
    BatchNormStatistics.updateAll(trainingBuilder.batchNormApplications(), out.get(batchStatistics.name()),
        labels.length, buffers);
    optimizer.step(graphParameters, result.getGradients(), lr);
    return loss;
  }

  /** An inference graph with the builder that knows its parameter layouts. */
  private record InferenceGraph(SameDiff graph, GraphBuilder builder) {}

  /** Class probabilities {@code [B, classes]} of clips in inference mode (running statistics, no dropout). */
  public float[][] scores(INDArray clips) {
    if (clips.rank() != 5 || clips.size(1) != 3) {
      throw new IllegalArgumentException("clips must be [B, 3, T, H, W], got " + java.util.Arrays.toString(
          clips.shape()));
    }
    long[] shape = {clips.size(2), clips.size(3), clips.size(4)};
    InferenceGraph inferenceGraph = inferenceGraphs.computeIfAbsent(List.of(shape[0], shape[1], shape[2]), k -> {
      SameDiff graph = SameDiff.create();
      GraphBuilder g = new GraphBuilder(graph, GraphBuilder.Mode.INFERENCE, dataType, SampleRandom.of(0),
          trainingBuilder.parameterValues());
      graph.nn().softmax("scores", g.linear("classifier", pooledFeatures(graph, g, shape), channels[3], classes), 1);
      return new InferenceGraph(graph, g);
    });
    SameDiff inference = inferenceGraph.graph();
    Map<String, INDArray> pytorchLayout = trainingBuilder.parameterValues();
    Map<String, INDArray> placeholders = new LinkedHashMap<>();
    placeholders.put("clips", clips.dataType() == dataType ? clips : clips.castTo(dataType));
    for (SDVariable v : inference.variables()) {
      String name = v.name();
      if (graphParameters.containsKey(name)) {
        // In this graph's own layout: a convolution may run another way at another clip size.
        inference.associateArrayWithVariable(inferenceGraph.builder().toGraphLayout(name, pytorchLayout.get(name)), v);
      } else if (buffers.containsKey(name)) {
        placeholders.put(name, buffers.get(name));
      }
    }
    KernelSession.install(inference, null);
    try (INDArray scores = inference.output(placeholders, "scores").get("scores").castTo(DataType.FLOAT)
        .dup('c')) {
      return scores.toFloatMatrix();
    }
  }

  /** The backbone on a {@code clips} placeholder of the given [T, H, W], globally max-pooled: [B, C4]. */
  private SDVariable pooledFeatures(SameDiff graph, GraphBuilder g, long[] shape) {
    SDVariable x = graph.placeHolder("clips", dataType, -1, 3, shape[0], shape[1], shape[2]);
    Clip features = Networks.videoFeatures(g, BACKBONE, g.clip(x, shape[0], shape[1], shape[2], 3), channels);
    return features.value().max(1, 2, 3); // channels last: [B, T, H, W, C]
  }

  private INDArray oneHot(int[] labels) {
    INDArray hot = Nd4j.zeros(dataType, labels.length, classes);
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("label " + labels[i] + " outside the " + classes + " classes");
      }
      hot.putScalar(i, labels[i], 1.0);
    }
    return hot;
  }

  /** Inverted dropout: each feature kept with probability 1 - p and scaled by 1 / (1 - p). */
  private INDArray dropoutMask(int rows, SampleRandom draws) {
    int width = channels[3];
    double[] mask = new double[rows * width];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = draws.nextDouble() < dropout ? 0 : 1 / (1 - dropout);
    }
    return Nd4j.create(mask, new long[] {rows, width}, 'c').castTo(dataType);
  }

  @Override
  public void close() {
    graphParameters.values().forEach(INDArray::close);
    buffers.values().forEach(INDArray::close);
    graphParameters.clear();
    buffers.clear();
    inferenceGraphs.clear();
  }
}
