package crisscross.trainer.model;

import crisscross.pipeline.random.SampleRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The backbones of some modalities with their weights and BN running statistics, for inference: what evaluation,
 * finetuning and weight export use, whatever method trained them. Either a view of a {@link TrainingGraph}'s live
 * arrays ({@link TrainingGraph#backbones()}) or standalone ({@link #initial}, then {@link #restore}). Not
 * thread-safe; {@link #close()} frees what it owns.
 */
public final class Backbones implements Encoders {
  private final ModelSettings settings;
  private final Set<Modality> modalities;
  private final Map<String, INDArray> parameters;
  private final Map<String, INDArray> buffers;
  private final boolean owned;
  private final Map<String, FeatureGraph> inferenceGraphs = new LinkedHashMap<>();
  private boolean closed;

  private Backbones(ModelSettings settings, Set<Modality> modalities, Map<String, INDArray> parameters,
      Map<String, INDArray> buffers, boolean owned) {
    this.settings = settings;
    this.modalities = Collections.unmodifiableSet(EnumSet.copyOf(modalities));
    this.parameters = parameters;
    this.buffers = buffers;
    this.owned = owned;
  }

  /** The backbone parameters and buffers among a training graph's live arrays (shared, not copied). */
  static Backbones sharing(ModelSettings settings, Set<Modality> modalities, Map<String, INDArray> parameters,
      Map<String, INDArray> buffers) {
    return new Backbones(settings, modalities, backboneEntries(parameters, modalities),
        backboneEntries(buffers, modalities), false);
  }

  /**
   * Backbones at the initial weights of {@code seed}: the same values a {@link TrainingGraph} of that seed starts
   * from (every parameter draws from its own fork of the seed, by name).
   */
  public static Backbones initial(ModelSettings settings, Set<Modality> modalities, long seed) {
    if (modalities.isEmpty()) {
      throw new IllegalArgumentException("backbones of at least one modality are needed");
    }
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, GraphBuilder.Mode.TRAINING, settings.dataType(),
        SampleRandom.of(seed).fork("model-init"));
    for (Modality m : EnumSet.copyOf(modalities)) {
      SDVariable x = sd.placeHolder(m.prefix(), settings.dataType(), prepend(-1, settings.viewShape(m)));
      Networks.backbone(g, m, x, settings.viewShape(m), settings.channels(m));
    }
    Map<String, INDArray> parameters = new LinkedHashMap<>();
    g.parameterValues().forEach((name, value) -> parameters.put(name, value.dup('c')));
    Map<String, INDArray> buffers = BatchNormStatistics.initialBuffers(g.batchNormLayers(), settings.dataType());
    return new Backbones(settings, modalities, parameters, buffers, true);
  }

  /** Whether {@code name} (a parameter or buffer) belongs to the backbone of one of {@code modalities}. */
  public static boolean isBackboneEntry(String name, Set<Modality> modalities) {
    for (Modality m : modalities) {
      if (name.startsWith(m.prefix() + "_backbone.")) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, INDArray> backboneEntries(Map<String, INDArray> all, Set<Modality> modalities) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    all.forEach((name, value) -> {
      if (isBackboneEntry(name, modalities)) {
        out.put(name, value);
      }
    });
    return Collections.unmodifiableMap(out);
  }

  @Override
  public ModelSettings settings() {
    return settings;
  }

  @Override
  public Set<Modality> modalities() {
    return modalities;
  }

  /** Live parameter arrays by PyTorch name ({@code video_backbone.stem_conv.weight}, ...). */
  @Override
  public Map<String, INDArray> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /** Live BN buffers by PyTorch name. */
  @Override
  public Map<String, INDArray> buffers() {
    return Collections.unmodifiableMap(buffers);
  }

  /**
   * Copies the backbone entries of {@code state} in (cast to this data type); every parameter and buffer of these
   * backbones must be there with its shape, other entries (heads, other modalities) are ignored.
   */
  @Override
  public void restore(ModelState state) {
    ensureOpen();
    ModelState.copyInto(parameters, state.parameters(), "parameter");
    ModelState.copyInto(buffers, state.buffers(), "buffer");
  }

  /**
   * The last conv block's feature map in inference mode (running BN statistics): video [B,C,T',H',W'] from
   * [B,3,T,H,W], audio [B,C,F',T'] from [B,1,F,T], for any input size the backbone accepts.
   */
  @Override
  public INDArray featureMaps(Modality modality, INDArray input) {
    ensureOpen();
    if (!modalities.contains(modality)) {
      throw new IllegalArgumentException("this model has no " + modality.prefix() + " backbone");
    }
    if (input.rank() != (modality == Modality.VIDEO ? 5 : 4)) {
      throw new IllegalArgumentException(modality.prefix() + " features need a [B,3,T,H,W] or [B,1,F,T] input, got "
          + Arrays.toString(input.shape()));
    }
    long[] sampleShape = Arrays.copyOfRange(input.shape(), 1, input.rank());
    // The video graph is built for static frame and pixel counts (its convolutions reshape by them), so one graph
    // is kept per input size.
    FeatureGraph featureGraph = inferenceGraphs.computeIfAbsent(
        modality.prefix() + Arrays.toString(sampleShape), k -> buildFeatureGraph(modality, sampleShape));
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

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (owned) {
      parameters.values().forEach(INDArray::close);
      buffers.values().forEach(INDArray::close);
    }
    inferenceGraphs.clear();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("backbones are closed");
    }
  }

  static long[] prepend(long first, long[] rest) {
    long[] out = new long[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }
}
