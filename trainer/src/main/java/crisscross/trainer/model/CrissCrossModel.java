package crisscross.trainer.model;

import crisscross.pipeline.random.SampleRandom;
import crisscross.trainer.objective.Objective;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CrissCross model of §3 on SameDiff: for each modality the objective needs, a backbone, a projector and a
 * predictor (weights shared by that modality's two views), the objective's loss on top, BN running statistics
 * kept beside the graph.
 *
 * <p>Training: {@link #forwardBackward} runs every view's forward pass in training mode (each view is its own
 * BN batch, as in the reference), the loss, and the gradient of the total for every parameter, and updates the
 * running statistics view by view (v1, v2, a1, a2). The caller's optimiser then updates {@link #graphParameters()}
 * in place with the gradients (both in the graph's layout) and hands the gradients back ({@link #recycle}); every
 * other array of the step returns to the model's {@link ArrayPool} when {@code forwardBackward} returns. Inference: {@link #featureMaps} runs a backbone in inference mode (running statistics) on inputs of
 * any size. Not thread-safe; {@link #close()} frees native memory.
 */
public final class CrissCrossModel implements AutoCloseable {
  private final ModelSettings settings;
  private final Objective objective;
  private final SameDiff sd;
  private final GraphBuilder builder;
  private final Map<String, INDArray> parameters = new LinkedHashMap<>();
  private final Map<String, INDArray> graphParameters = new LinkedHashMap<>();
  private final Map<String, INDArray> buffers = new LinkedHashMap<>();
  private final Map<String, SDVariable> lossTerms;
  private final Map<View, SDVariable[]> viewOutputs = new EnumMap<>(View.class);
  private final Map<String, FeatureGraph> inferenceGraphs = new LinkedHashMap<>();
  private final SDVariable batchStatistics;
  private ArrayPool arrayPool;
  private boolean closed;

  private CrissCrossModel(ModelSettings settings, Objective objective, long seed) {
    this.settings = settings;
    this.objective = objective;
    this.sd = SameDiff.create();
    this.builder = new GraphBuilder(sd, GraphBuilder.Mode.TRAINING, settings.dataType(),
        SampleRandom.of(seed).fork("model-init"));
    Map<View, Objective.Heads> heads = new EnumMap<>(View.class);
    for (View view : View.of(objective.modalities())) {
      Modality m = view.modality();
      long[] shape = prepend(-1, settings.viewShape(m));
      SDVariable x = sd.placeHolder(view.key(), settings.dataType(), shape);
      int[] channels = settings.channels(m);
      SDVariable h = Networks.backbone(builder, m, x, settings.viewShape(m), channels);
      SDVariable z = Networks.projector(builder, m.prefix() + "_projector", h, channels[3],
          settings.projectorHidden(), settings.projectorOut());
      SDVariable p = Networks.predictor(builder, m.prefix() + "_predictor", z, settings.projectorOut(),
          settings.predictorHidden());
      viewOutputs.put(view, new SDVariable[] {h, z, p});
      heads.put(view, new Objective.Heads(z, p));
    }
    Objective.LossGraph loss = objective.define(sd, heads);
    loss.total().markAsLoss();
    this.lossTerms = loss.terms();
    // SameDiff 1.0.0-M2.1 copies its whole variable table once per requested output, so the ~3 values of every
    // BN application are fetched as two concatenated vectors rather than as hundreds of outputs.
    List<SDVariable> statistics = new ArrayList<>();
    for (GraphBuilder.BatchNormApplication a : builder.batchNormApplications()) {
      statistics.add(a.batchMean());
      statistics.add(a.batchVariance());
    }
    this.batchStatistics = sd.concat("bn_batch_statistics", 0, statistics.toArray(SDVariable[]::new));
    parameters.putAll(builder.parameterValues());
    graphParameters.putAll(builder.graphValues());
    for (Map.Entry<String, Integer> bn : builder.batchNormLayers().entrySet()) {
      buffers.put(bn.getKey() + ".running_mean", Nd4j.zeros(settings.dataType(), bn.getValue()));
      buffers.put(bn.getKey() + ".running_var", Nd4j.ones(settings.dataType(), bn.getValue()));
      buffers.put(bn.getKey() + ".num_batches_tracked", Nd4j.scalar(DataType.LONG, 0L));
    }
  }

  /**
   * A model for {@code objective} with PyTorch-default initial weights drawn from {@code seed}; only the
   * modalities the objective needs are built.
   */
  public static CrissCrossModel create(ModelSettings settings, Objective objective, long seed) {
    return new CrissCrossModel(settings, objective, seed);
  }

  public ModelSettings settings() {
    return settings;
  }

  public Objective objective() {
    return objective;
  }

  public Set<Modality> modalities() {
    return objective.modalities();
  }

  /** Live parameter arrays by PyTorch name (an optimiser updates these in place). */
  public Map<String, INDArray> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /**
   * The same live parameters in the graph's layout: dense arrays sharing their buffers with {@link #parameters()}.
   * The training step's optimiser updates these (its arithmetic is element-wise), so no layout copy is made per
   * step; gradients from {@link #forwardBackward} come in this layout too.
   */
  public Map<String, INDArray> graphParameters() {
    return Collections.unmodifiableMap(graphParameters);
  }

  /** New PyTorch-layout copies of arrays given in the graph's layout (gradients, optimiser moments) by name. */
  public Map<String, INDArray> toPytorchLayout(Map<String, INDArray> graphLayout) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    graphLayout.forEach((name, a) -> out.put(name, builder.toPytorchLayout(name, a)));
    return out;
  }

  /** New dense graph-layout copies of PyTorch-layout arrays by name (the inverse of {@link #toPytorchLayout}). */
  public Map<String, INDArray> toGraphLayout(Map<String, INDArray> pytorchLayout) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    pytorchLayout.forEach((name, a) -> {
      INDArray param = parameters.get(name);
      if (param == null) {
        throw new IllegalArgumentException("the model has no parameter " + name);
      }
      if (!java.util.Arrays.equals(a.shape(), param.shape())) {
        throw new IllegalArgumentException(name + ": expected shape " + java.util.Arrays.toString(param.shape())
            + ", got " + java.util.Arrays.toString(a.shape()));
      }
      out.put(name, builder.toGraphLayout(name, a).dup('c'));
    });
    return out;
  }

  /** Live BN buffers by PyTorch name. */
  public Map<String, INDArray> buffers() {
    return Collections.unmodifiableMap(buffers);
  }

  /** The training graph (for profiling and listeners). */
  public SameDiff graph() {
    return sd;
  }

  /**
   * One training-mode forward and backward pass.
   *
   * @param inputs one array per view of {@link #modalities()}: [B,3,T,H,W] video, [B,1,F,T] audio
   * @param keepActivations whether to return h, z and p of every view (named {@code hv1}, {@code za2}, ...)
   */
  public ForwardBackward forwardBackward(Map<View, INDArray> inputs, boolean keepActivations) {
    ensureOpen();
    Map<String, INDArray> placeholders = new LinkedHashMap<>();
    for (View view : viewOutputs.keySet()) {
      INDArray x = inputs.get(view);
      if (x == null) {
        throw new IllegalArgumentException("objective " + objective.name() + " needs view " + view.key());
      }
      placeholders.put(view.key(), x.dataType() == settings.dataType() ? x : x.castTo(settings.dataType()));
    }
    List<String> outputs = new ArrayList<>();
    lossTerms.values().forEach(v -> outputs.add(v.name()));
    for (SDVariable[] hzp : viewOutputs.values()) {
      outputs.add(hzp[1].name());
      if (keepActivations) {
        outputs.add(hzp[0].name());
        outputs.add(hzp[2].name());
      }
    }
    outputs.add(batchStatistics.name());
    installArrayPool();
    OutAndGrad result = sd.calculateGradientsAndOutputs(placeholders, outputs, parameters.keySet());
    Map<String, INDArray> out = result.getOutputs();
    Map<String, Double> terms = new LinkedHashMap<>();
    lossTerms.forEach((label, v) -> terms.put(label, out.get(v.name()).getDouble(0)));
    Map<View, INDArray> z = new EnumMap<>(View.class);
    Map<String, INDArray> activations = new LinkedHashMap<>();
    for (Map.Entry<View, SDVariable[]> e : viewOutputs.entrySet()) {
      String key = e.getKey().key();
      z.put(e.getKey(), out.get(e.getValue()[1].name()).dup());
      if (keepActivations) {
        activations.put("h" + key, out.get(e.getValue()[0].name()).dup());
        activations.put("z" + key, out.get(e.getValue()[1].name()).dup());
        activations.put("p" + key, out.get(e.getValue()[2].name()).dup());
      }
    }
    BatchNormStatistics.updateAll(builder.batchNormApplications(), out.get(batchStatistics.name()),
        placeholders.values().iterator().next().size(0), buffers);
    Map<String, INDArray> gradients = new LinkedHashMap<>();
    for (String name : parameters.keySet()) {
      INDArray g = result.getGradients().get(name);
      if (g == null) {
        throw new IllegalStateException("no gradient for parameter " + name);
      }
      gradients.put(name, g.isView() || g.ordering() != 'c' ? g.dup('c') : g);
    }
    if (arrayPool != null) {
      arrayPool.releaseAllExcept(gradients.values());
    }
    return new ForwardBackward(terms, z, activations, gradients);
  }

  /**
   * Hands arrays this model gave out (the gradients of a {@link ForwardBackward}) back to its memory for the next
   * step; the caller must not touch them afterwards.
   */
  public void recycle(Map<String, INDArray> arrays) {
    for (INDArray a : arrays.values()) {
      if (arrayPool != null) {
        arrayPool.release(a);
      } else {
        a.close();
      }
    }
  }

  /**
   * Makes the gradient function's session for this thread (SameDiff keeps one per thread) a {@link KernelSession}
   * (the training graph's BN runs in Java) with this model's {@link ArrayPool} in place of SameDiff's default array
   * cache, created before the first step so that the first step's arrays are pooled too.
   */
  private void installArrayPool() {
    if (arrayPool == null) {
      // Half the machine's memory: far above a training step's working set (2 GB for the full model at batch 2),
      // yet a bound if input sizes keep changing.
      arrayPool = new ArrayPool(Math.max(1L << 30, Pointer.totalPhysicalBytes() / 2));
    }
    KernelSession.forGradients(sd, arrayPool);
  }

  /** Bytes pooled, allocated fresh and served from the pool (zeros before the first step). */
  public long[] arrayPoolStatistics() {
    return arrayPool == null ? new long[3] : arrayPool.statistics();
  }

  /**
   * Loss terms (by label, {@code total} included), z per view, optional activations, and the gradients by parameter
   * name in the graph's layout (dense; {@link #toPytorchLayout} converts them), owned by the caller.
   */
  public record ForwardBackward(Map<String, Double> terms, Map<View, INDArray> z, Map<String, INDArray> activations,
      Map<String, INDArray> gradients) {
    public double total() {
      return terms.get("total");
    }
  }

  /**
   * The last conv block's feature map in inference mode (running BN statistics): video [B,C,T',H',W'] from
   * [B,3,T,H,W], audio [B,C,F',T'] from [B,1,F,T], for any input size the backbone accepts.
   */
  public INDArray featureMaps(Modality modality, INDArray input) {
    ensureOpen();
    if (!objective.modalities().contains(modality)) {
      throw new IllegalArgumentException("this model has no " + modality.prefix() + " backbone (objective "
          + objective.name() + ")");
    }
    if (input.rank() != (modality == Modality.VIDEO ? 5 : 4)) {
      throw new IllegalArgumentException(modality.prefix() + " features need a [B,3,T,H,W] or [B,1,F,T] input, got "
          + java.util.Arrays.toString(input.shape()));
    }
    long[] sampleShape = java.util.Arrays.copyOfRange(input.shape(), 1, input.rank());
    // The video graph is built for static frame and pixel counts (its convolutions reshape by them), so one graph
    // is kept per input size.
    FeatureGraph featureGraph = inferenceGraphs.computeIfAbsent(
        modality.prefix() + java.util.Arrays.toString(sampleShape), k -> buildFeatureGraph(modality, sampleShape));
    SameDiff graph = featureGraph.graph();
    Map<String, INDArray> placeholders = new LinkedHashMap<>();
    placeholders.put("input", input.dataType() == settings.dataType() ? input : input.castTo(settings.dataType()));
    for (SDVariable v : graph.variables()) {
      String name = v.name();
      if (parameters.containsKey(name)) {
        // In this graph's own layout: a convolution may run another way at another input size.
        graph.associateArrayWithVariable(featureGraph.builder().toGraphLayout(name, parameters.get(name)), v);
      } else if (buffers.containsKey(name)) {
        placeholders.put(name, buffers.get(name));
      }
    }
    KernelSession.install(graph, null);
    return graph.output(placeholders, "features").get("features").dup();
  }

  /** An inference graph with the builder that knows its parameter layouts. */
  private record FeatureGraph(SameDiff graph, GraphBuilder builder) {}

  private FeatureGraph buildFeatureGraph(Modality modality, long[] sampleShape) {
    SameDiff graph = SameDiff.create();
    GraphBuilder g = new GraphBuilder(graph, GraphBuilder.Mode.INFERENCE, settings.dataType(),
        SampleRandom.of(0), parameters);
    SDVariable x = graph.placeHolder("input", settings.dataType(), prepend(-1, sampleShape));
    String prefix = modality.prefix() + "_backbone";
    SDVariable features = modality == Modality.VIDEO
        ? g.channelsFirst(Networks.videoFeatures(g, prefix,
            g.clip(x, sampleShape[1], sampleShape[2], sampleShape[3], (int) sampleShape[0]),
            settings.channels(modality)))
        : graph.permute(Networks.audioFeatures(g, prefix, x, sampleShape[1], sampleShape[2],
            settings.channels(modality)), 0, 3, 1, 2);
    graph.identity("features", features);
    return new FeatureGraph(graph, g);
  }

  /** Parameter counts per part ({@code video_backbone}, ..., {@code audio_predictor}) and {@code total}. */
  public Map<String, Long> parameterCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    long total = 0;
    for (GraphBuilder.Parameter p : builder.parameters().values()) {
      String part = p.name().substring(0, p.name().indexOf('.'));
      counts.merge(part, p.size(), Long::sum);
      total += p.size();
    }
    counts.put("total", total);
    return counts;
  }

  /** A copy of the parameters and BN buffers. */
  public ModelState state() {
    ensureOpen();
    Map<String, INDArray> p = new LinkedHashMap<>();
    Map<String, INDArray> b = new LinkedHashMap<>();
    parameters.forEach((k, v) -> p.put(k, v.dup('c')));
    buffers.forEach((k, v) -> b.put(k, v.dup('c')));
    return new ModelState(p, b);
  }

  /**
   * Copies {@code state} into this model. Every parameter and buffer of the model must be present with its shape;
   * values are cast to the model's data type. Extra entries (e.g. the other modality's) are ignored.
   */
  public void restore(ModelState state) {
    ensureOpen();
    copyInto(parameters, state.parameters(), "parameter");
    copyInto(buffers, state.buffers(), "buffer");
  }

  private static void copyInto(Map<String, INDArray> target, Map<String, INDArray> source, String what) {
    for (Map.Entry<String, INDArray> e : target.entrySet()) {
      INDArray value = source.get(e.getKey());
      if (value == null) {
        throw new IllegalArgumentException("state has no " + what + " " + e.getKey());
      }
      if (value.length() != e.getValue().length()
          || (value.rank() > 0 && !java.util.Arrays.equals(value.shape(), e.getValue().shape()))) {
        throw new IllegalArgumentException(what + " " + e.getKey() + ": expected shape "
            + java.util.Arrays.toString(e.getValue().shape()) + ", got " + java.util.Arrays.toString(value.shape()));
      }
      e.getValue().assign(value.reshape(e.getValue().shape()).castTo(e.getValue().dataType()));
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (INDArray a : parameters.values()) {
      a.close();
    }
    for (INDArray a : buffers.values()) {
      a.close();
    }
    parameters.clear();
    buffers.clear();
    if (arrayPool != null) {
      arrayPool.close();
    }
    inferenceGraphs.clear();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("model is closed");
    }
  }

  private static long[] prepend(long first, long[] rest) {
    long[] out = new long[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }
}
