package crisscross.trainer.model;

import crisscross.pipeline.random.SampleRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A method's training graph on SameDiff: the backbone of each view's modality (weights shared by the views of a
 * modality), the method's {@link HeadGraph} on every view and its loss, BN running statistics kept beside the graph.
 *
 * <p>Training: {@link #forwardBackward} runs every view's forward pass in training mode (each view is its own BN
 * batch, as in the reference), the loss, and the gradient of the total for every parameter, and updates the running
 * statistics view by view in view order. The caller's optimiser then updates {@link #graphParameters()} in place
 * with the gradients (both in the graph's layout) and hands the gradients back ({@link #recycle}); every other array
 * of the step returns to the graph's {@link ArrayPool} when {@code forwardBackward} returns. Inference:
 * {@link #backbones()} runs the backbones in inference mode. Not thread-safe; {@link #close()} frees native memory.
 */
public final class TrainingGraph implements AutoCloseable {
  /** The per-view output holding the backbone's pooled features. */
  public static final String FEATURES = "h";

  private final ModelSettings settings;
  private final List<View> views;
  private final Set<Modality> modalities;
  private final SameDiff sd;
  private final GraphBuilder builder;
  private final Map<String, INDArray> parameters = new LinkedHashMap<>();
  private final Map<String, INDArray> graphParameters = new LinkedHashMap<>();
  private final Map<String, INDArray> buffers = new LinkedHashMap<>();
  private final Map<String, SDVariable> lossTerms;
  private final Map<View, Map<String, SDVariable>> viewOutputs = new LinkedHashMap<>();
  private final List<String> monitored;
  private final Set<String> extraInputs;
  private final SDVariable batchStatistics;
  private final Backbones backbones;
  private ArrayPool arrayPool;
  private boolean closed;

  private TrainingGraph(ModelSettings settings, List<View> views, HeadGraph heads, long seed) {
    if (views.isEmpty()) {
      throw new IllegalArgumentException("a training graph needs at least one view");
    }
    this.settings = settings;
    this.views = List.copyOf(views);
    EnumSet<Modality> used = EnumSet.noneOf(Modality.class);
    views.forEach(v -> used.add(v.modality()));
    this.modalities = Collections.unmodifiableSet(used);
    this.sd = SameDiff.create();
    this.builder = new GraphBuilder(sd, GraphBuilder.Mode.TRAINING, settings.dataType(),
        SampleRandom.of(seed).fork("model-init"));
    for (View view : this.views) {
      Modality m = view.modality();
      SDVariable x = sd.placeHolder(view.key(), settings.dataType(), prepend(-1, settings.viewShape(m)));
      int[] channels = settings.channels(m);
      SDVariable h = Networks.backbone(builder, m, x, settings.viewShape(m), channels);
      Map<String, SDVariable> outputs = new LinkedHashMap<>();
      outputs.put(FEATURES, h);
      Map<String, SDVariable> headOutputs = heads.view(builder, view, h, channels[3]);
      if (headOutputs.containsKey(FEATURES)) {
        throw new IllegalArgumentException("a head output may not be named " + FEATURES + " (the backbone's)");
      }
      outputs.putAll(headOutputs);
      viewOutputs.put(view, outputs);
    }
    HeadGraph.LossGraph loss = heads.loss(builder, Collections.unmodifiableMap(viewOutputs));
    loss.total().markAsLoss();
    Map<String, SDVariable> terms = new LinkedHashMap<>(loss.terms());
    terms.put("total", loss.total());
    this.lossTerms = terms;
    this.monitored = List.copyOf(heads.monitoredOutputs());
    Set<String> viewKeys = new java.util.HashSet<>();
    this.views.forEach(v -> viewKeys.add(v.key()));
    Set<String> extra = new java.util.LinkedHashSet<>();
    for (String input : sd.inputs()) {
      if (!viewKeys.contains(input)) {
        extra.add(input);
      }
    }
    this.extraInputs = Collections.unmodifiableSet(extra);
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
    buffers.putAll(BatchNormStatistics.initialBuffers(builder.batchNormLayers(), settings.dataType()));
    this.backbones = Backbones.sharing(settings, modalities, parameters, buffers);
  }

  /**
   * A graph over {@code views} with {@code heads} on top, PyTorch-default initial weights drawn from {@code seed}
   * (each parameter from its own fork, by name, so a backbone starts from the same weights whatever the heads).
   */
  public static TrainingGraph create(ModelSettings settings, List<View> views, HeadGraph heads, long seed) {
    return new TrainingGraph(settings, views, heads, seed);
  }

  public ModelSettings settings() {
    return settings;
  }

  /** The views the graph trains on, in build order. */
  public List<View> views() {
    return views;
  }

  public Set<Modality> modalities() {
    return modalities;
  }

  /** Placeholders the heads added besides the views' (values a method supplies each step). */
  public Set<String> extraInputs() {
    return extraInputs;
  }

  /** The per-view outputs whose collapse indicator is reported ({@link HeadGraph#monitoredOutputs()}). */
  public List<String> monitoredOutputs() {
    return monitored;
  }

  /** Labels of the reported loss terms, {@code total} last. */
  public List<String> termLabels() {
    return List.copyOf(lossTerms.keySet());
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

  /**
   * Draws new PyTorch-default values for every parameter whose name starts with {@code prefix} from {@code random}
   * (forked by name) and resets the BN buffers under it; returns the parameters' names.
   */
  public List<String> reinitialise(String prefix, SampleRandom random) {
    ensureOpen();
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, INDArray> e : parameters.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        try (INDArray fresh = builder.initialValue(e.getKey(), random)) {
          e.getValue().assign(fresh);
        }
        names.add(e.getKey());
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("the graph has no parameters under " + prefix);
    }
    for (Map.Entry<String, INDArray> e : buffers.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        String name = e.getKey();
        e.getValue().assign(name.endsWith(".running_var") ? 1 : 0);
      }
    }
    return names;
  }

  /** The backbones on this graph's live weights, for inference. */
  public Backbones backbones() {
    return backbones;
  }

  /** The training graph (for profiling and listeners). */
  public SameDiff graph() {
    return sd;
  }

  /**
   * One training-mode forward and backward pass.
   *
   * @param inputs one array per view by its key ([B,3,T,H,W] video, [B,1,F,T] audio) and a value for every
   *     {@link #extraInputs() extra input}
   * @param outputs per-view outputs to return besides the {@link HeadGraph#monitoredOutputs() monitored} ones
   *     ({@code h} for the backbone's features, or any name the heads gave)
   */
  public ForwardBackward forwardBackward(Map<String, INDArray> inputs, Set<String> outputs) {
    ensureOpen();
    Map<String, INDArray> placeholders = new LinkedHashMap<>();
    for (View view : views) {
      INDArray x = inputs.get(view.key());
      if (x == null) {
        throw new IllegalArgumentException("the training graph needs view " + view.key());
      }
      placeholders.put(view.key(), x.dataType() == settings.dataType() ? x : x.castTo(settings.dataType()));
    }
    for (String name : extraInputs) {
      INDArray x = inputs.get(name);
      if (x == null) {
        throw new IllegalArgumentException("the training graph needs input " + name);
      }
      placeholders.put(name, x.dataType().isFPType() && x.dataType() != settings.dataType()
          ? x.castTo(settings.dataType()) : x);
    }
    Set<String> wanted = new java.util.LinkedHashSet<>(monitored);
    wanted.addAll(outputs);
    List<String> fetched = new ArrayList<>();
    lossTerms.values().forEach(v -> fetched.add(v.name()));
    for (Map<String, SDVariable> named : viewOutputs.values()) {
      for (String name : wanted) {
        SDVariable v = named.get(name);
        if (v == null) {
          throw new IllegalArgumentException("the heads give no output " + name + "; they give "
              + named.keySet());
        }
        fetched.add(v.name());
      }
    }
    fetched.add(batchStatistics.name());
    installArrayPool();
    OutAndGrad result = sd.calculateGradientsAndOutputs(placeholders, fetched, parameters.keySet());
    Map<String, INDArray> out = result.getOutputs();
    Map<String, Double> terms = new LinkedHashMap<>();
    lossTerms.forEach((label, v) -> terms.put(label, out.get(v.name()).getDouble(0)));
    Map<String, INDArray> values = new LinkedHashMap<>();
    for (Map.Entry<View, Map<String, SDVariable>> e : viewOutputs.entrySet()) {
      for (String name : wanted) {
        values.put(name + e.getKey().key(), out.get(e.getValue().get(name).name()).dup());
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
    return new ForwardBackward(terms, values, gradients);
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
   * Loss terms (by label, {@code total} included), per-view outputs by output name and view key ({@code zv1},
   * {@code ha2}), and the gradients by parameter name in the graph's layout (dense; {@link #toPytorchLayout}
   * converts them), owned by the caller.
   */
  public record ForwardBackward(Map<String, Double> terms, Map<String, INDArray> outputs,
      Map<String, INDArray> gradients) {
    public double total() {
      return terms.get("total");
    }
  }

  /** Parameter counts per module ({@code video_backbone}, ..., {@code audio_predictor}) and {@code total}. */
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
    ModelState.copyInto(parameters, state.parameters(), "parameter");
    ModelState.copyInto(buffers, state.buffers(), "buffer");
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
    backbones.close();
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
