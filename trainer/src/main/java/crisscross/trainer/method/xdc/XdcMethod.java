package crisscross.trainer.method.xdc;

import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.source.SampleRef;
import crisscross.trainer.checkpoint.TensorBlob;
import crisscross.trainer.method.FeatureFile;
import crisscross.trainer.method.LossOps;
import crisscross.trainer.method.Method;
import crisscross.trainer.method.MethodContext;
import crisscross.trainer.model.GraphBuilder;
import crisscross.trainer.model.HeadGraph;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.View;
import crisscross.trainer.optim.ParameterGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-modal deep clustering (XDC, Alwassel et al., NeurIPS 2020) and its variants ({@link XdcVariant}): before
 * every {@code recluster-every}-th epoch the features of every training sample under the current encoders (one clean
 * centre clip each, l2-normalised; with {@code pca-whitening} on, then PCA-whitened and l2-normalised again as in
 * DeepCluster, {@link PcaWhitening}) are clustered by k-means; each encoder then learns, through a classification head
 * per target, to predict the pseudo-labels of its {@link XdcVariant#targets targets} with cross-entropy. The heads
 * are re-initialised after each clustering (the labels are a new permutation).
 *
 * <p>State, checkpointed as method tensors: the clustering round, the epoch it was made for, and each space's labels
 * and centres, so a run killed during or after a clustering resumes bit-exactly (a resume into the epoch of the
 * newest clustering does not cluster again; a resume before it repeats the same, deterministic clustering).
 */
public final class XdcMethod implements Method {
  private static final Logger LOG = LoggerFactory.getLogger(XdcMethod.class);
  static final String ROUND = "xdc.round";

  private final XdcSettings settings;
  private final long runSeed;
  private final Optional<MethodContext.RunData> data;
  private final Map<Modality, ParameterGroup> groups = new EnumMap<>(Modality.class);
  private final List<View> views;
  /** Pseudo-labels per space: one per dataset sample, -1 where its features could not be computed. */
  private final Map<ClusterSpace, int[]> labels = new EnumMap<>(ClusterSpace.class);
  private final Map<ClusterSpace, float[][]> centres = new EnumMap<>(ClusterSpace.class);
  private final Map<ClusterSpace, Double> successiveNmi = new EnumMap<>(ClusterSpace.class);
  private final Map<ClusterSpace, Double> classNmi = new EnumMap<>(ClusterSpace.class);
  private long round;
  private int clusteredForEpoch = -1;
  private Map<String, Double> diagnostics = Map.of("xdc_round", 0.0);

  public XdcMethod(XdcSettings settings, long runSeed, Optional<MethodContext.RunData> data) {
    this.settings = settings;
    this.runSeed = runSeed;
    this.data = data;
    List<View> v = new ArrayList<>();
    for (Modality m : Modality.values()) {
      if (!settings.variant().targets(m).isEmpty()) {
        v.add(new View(m, 1));
        groups.put(m, ParameterGroup.scheduled(m.prefix() + "_encoder", settings.baseLr(), settings.finalLr()));
      }
    }
    this.views = List.copyOf(v);
    data.ifPresent(d -> {
      for (ClusterSpace space : settings.variant().spaces()) {
        if (settings.k(space) > d.samples().size()) {
          throw new IllegalArgumentException(XdcSettings.kKey(space) + " = " + settings.k(space) + " clusters "
              + "for " + d.samples().size() + " training samples: choose at most as many clusters as samples");
        }
      }
    });
  }

  public static XdcMethod create(XdcVariant variant, MethodContext context) {
    return new XdcMethod(XdcSettings.from(variant, context.settings(), context.optim()),
        context.settings().runSeed(), context.data());
  }

  @Override
  public String name() {
    return settings.variant().id();
  }

  @Override
  public String variant() {
    return settings.variant().id();
  }

  public XdcSettings settings() {
    return settings;
  }

  @Override
  public List<View> views() {
    return views;
  }

  /** The module of the head through which {@code modality}'s encoder predicts the labels of {@code space}. */
  static String head(Modality modality, ClusterSpace space) {
    return "xdc_" + modality.prefix() + "_head_" + space.id();
  }

  static String term(Modality modality, ClusterSpace space) {
    return "L_" + modality.prefix().charAt(0) + "_on_" + space.letter();
  }

  static String labelInput(ClusterSpace space) {
    return "xdc_labels_" + space.id();
  }

  @Override
  public List<String> termLabels() {
    List<String> terms = new ArrayList<>();
    for (View view : views) {
      for (ClusterSpace space : settings.variant().targets(view.modality())) {
        terms.add(term(view.modality(), space));
      }
    }
    return terms.size() > 1 ? List.copyOf(terms) : List.of();
  }

  @Override
  public ParameterGroup group(String parameterName) {
    for (Map.Entry<Modality, ParameterGroup> e : groups.entrySet()) {
      String prefix = e.getKey().prefix();
      if (parameterName.startsWith(prefix + "_backbone.") || parameterName.startsWith("xdc_" + prefix + "_head_")) {
        return e.getValue();
      }
    }
    throw new IllegalArgumentException("parameter '" + parameterName + "' belongs to no group of " + name());
  }

  @Override
  public List<ParameterGroup> groups() {
    return List.copyOf(groups.values());
  }

  @Override
  public HeadGraph heads(ModelSettings model) {
    return new HeadGraph() {
      @Override
      public Map<String, SDVariable> view(GraphBuilder g, View view, SDVariable features, int width) {
        Map<String, SDVariable> out = new LinkedHashMap<>();
        for (ClusterSpace space : settings.variant().targets(view.modality())) {
          String prefix = head(view.modality(), space);
          int k = settings.k(space);
          SDVariable logits;
          if (settings.headHidden() == 0) {
            logits = g.linear(prefix + ".fc", features, width, k);
          } else {
            SDVariable hidden = g.batchNormRelu(prefix + ".bn1",
                g.linear(prefix + ".fc1", features, width, settings.headHidden()), settings.headHidden());
            logits = g.linear(prefix + ".fc2", hidden, settings.headHidden(), k);
          }
          out.put("logits_" + space.id(), logits);
        }
        return out;
      }

      @Override
      public LossGraph loss(GraphBuilder g, Map<View, Map<String, SDVariable>> outputs) {
        SameDiff sd = g.sameDiff();
        Map<ClusterSpace, SDVariable> targets = new EnumMap<>(ClusterSpace.class);
        for (ClusterSpace space : settings.variant().spaces()) {
          targets.put(space, sd.placeHolder(labelInput(space), g.dataType(), -1, settings.k(space)));
        }
        Map<String, SDVariable> terms = new LinkedHashMap<>();
        SDVariable total = null;
        for (Map.Entry<View, Map<String, SDVariable>> e : outputs.entrySet()) {
          Modality m = e.getKey().modality();
          for (ClusterSpace space : settings.variant().targets(m)) {
            SDVariable logProbabilities = LossOps.logSoftmax(sd, e.getValue().get("logits_" + space.id()));
            SDVariable ce = logProbabilities.mul(targets.get(space)).sum(1).mean().neg();
            terms.put(term(m, space), ce);
            total = total == null ? ce : total.add(ce);
          }
        }
        int n = terms.size();
        return new LossGraph(n > 1 ? terms : Map.of(), n > 1 ? total.div(n) : total);
      }

      /** The backbones' pooled features: an encoder that maps every clip to one point has collapsed. */
      @Override
      public List<String> monitoredOutputs() {
        return List.of(crisscross.trainer.model.TrainingGraph.FEATURES);
      }
    };
  }

  /** One-hot pseudo-labels of the batch's samples per space (a sample without a label gets a zero row). */
  @Override
  public Map<String, INDArray> stepInputs(int[] sampleIndices) {
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    for (ClusterSpace space : settings.variant().spaces()) {
      int[] spaceLabels = labels.get(space);
      if (spaceLabels == null) {
        throw new IllegalStateException(name() + " has no pseudo-labels yet: the epoch's clustering has not run");
      }
      int k = settings.k(space);
      float[] oneHot = new float[sampleIndices.length * k];
      for (int i = 0; i < sampleIndices.length; i++) {
        int label = spaceLabels[sampleIndices[i]];
        if (label >= 0) {
          oneHot[i * k + label] = 1;
        }
      }
      inputs.put(labelInput(space), Nd4j.create(oneHot, new long[] {sampleIndices.length, k}, 'c'));
    }
    return inputs;
  }

  @Override
  public boolean choosesEpochOrder() {
    return settings.balancedSampling();
  }

  /** The epoch's samples balanced over the current pseudo-labels of every space ({@link BalancedEpoch}). */
  @Override
  public int[] epochOrder(int epoch, long epochSize) {
    if (!settings.balancedSampling()) {
      return Method.super.epochOrder(epoch, epochSize);
    }
    List<int[]> spaces = new ArrayList<>();
    for (ClusterSpace space : settings.variant().spaces()) {
      int[] spaceLabels = labels.get(space);
      if (spaceLabels == null) {
        throw new IllegalStateException(name() + " has no pseudo-labels for epoch " + epoch
            + ": the epoch's clustering has not run");
      }
      spaces.add(spaceLabels);
    }
    int[] order = BalancedEpoch.draw(spaces, Math.toIntExact(epochSize),
        SampleRandom.of(runSeed).fork("xdc-balanced-epoch").fork(epoch));
    LOG.info("{} epoch {}: {} visits balanced over the pseudo-labels ({} distinct samples)", name(), epoch,
        order.length, java.util.Arrays.stream(order).distinct().count());
    return order;
  }

  @Override
  public void beforeEpoch(EpochStart start) {
    if (start.epoch() == clusteredForEpoch) {
      return;
    }
    if (!labels.isEmpty() && start.epoch() % settings.reclusterEvery() != 0) {
      return;
    }
    MethodContext.RunData run = data.orElseThrow(() -> MethodContext.missingData(name()));
    long nextRound = round + 1;
    long started = System.nanoTime();
    Map<Modality, FeatureFile> features = new EnumMap<>(Modality.class);
    try {
      Files.createDirectories(run.workDirectory());
      for (ClusterSpace space : settings.variant().spaces()) {
        for (Modality m : space.modalities()) {
          if (!features.containsKey(m)) {
            FeatureFile file = run.features().extract(start.backbones(), m,
                run.workDirectory().resolve("xdc-features-" + m.prefix() + ".f32"),
                name() + " round " + nextRound + ", " + m.prefix() + " features");
            normalizeRows(file);
            features.put(m, file);
          }
        }
      }
      int[] classes = classLabels(run.samples());
      for (ClusterSpace space : settings.variant().spaces()) {
        KMeans.Result result;
        SampleRandom random = SampleRandom.of(runSeed).fork("xdc-kmeans").fork(nextRound).fork(space.id());
        if (space == ClusterSpace.JOINT) {
          Path jointPath = run.workDirectory().resolve("xdc-features-joint.f32");
          try (FeatureFile joint = concatenate(features.get(Modality.VIDEO), features.get(Modality.AUDIO), jointPath)) {
            result = cluster(joint, space, random, run.workDirectory(), nextRound);
          } finally {
            Files.deleteIfExists(jointPath);
          }
        } else {
          result = cluster(features.get(space.modalities().get(0)), space, random, run.workDirectory(), nextRound);
        }
        int[] previous = labels.get(space);
        successiveNmi.put(space, previous == null ? Double.NaN : Nmi.of(previous, result.labels()));
        classNmi.put(space, classes == null ? Double.NaN : Nmi.of(result.labels(), classes));
        labels.put(space, result.labels());
        centres.put(space, result.centres());
        LOG.info("{} round {} (epoch {}): {} clusters of {} features, inertia {}, {} re-seeded, sizes {}..{}, NMI with "
            + "the previous round {}, with the classes {}", name(), nextRound, start.epoch(), settings.k(space),
            space.id(), String.format("%.4g", result.inertia()), result.reseeded(),
            java.util.Arrays.stream(result.sizes()).min().orElse(0),
            java.util.Arrays.stream(result.sizes()).max().orElse(0), format(successiveNmi.get(space)), format(classNmi.get(space)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(name() + " round " + nextRound + ": cannot compute the samples' features: "
          + e.getMessage(), e);
    } finally {
      for (FeatureFile file : features.values()) {
        try {
          file.close();
          Files.deleteIfExists(file.path());
        } catch (IOException e) {
          LOG.warn("cannot remove {}: {}", file.path(), e.toString());
        }
      }
    }
    for (View view : views) {
      for (ClusterSpace space : settings.variant().targets(view.modality())) {
        start.modules().reinitialise(head(view.modality(), space),
            SampleRandom.of(runSeed).fork("xdc-heads").fork(nextRound));
      }
    }
    round = nextRound;
    clusteredForEpoch = start.epoch();
    refreshDiagnostics();
    LOG.info("{} round {} took {} s", name(), round, String.format("%.1f", (System.nanoTime() - started) / 1e9));
  }

  /**
   * k-means on {@code x} (l2-normalised rows), or, with {@code pca-whitening} on, on its PCA-whitened rows: fitted
   * over all present rows, written to a second memory-mapped file beside it and removed after the fit.
   */
  private KMeans.Result cluster(FeatureFile x, ClusterSpace space, SampleRandom random, Path work, long nextRound)
      throws IOException {
    if (!settings.pcaWhitening()) {
      return KMeans.fit(x, settings.k(space), settings.iterations(), random);
    }
    if (settings.pcaDim() > x.dim()) {
      throw new IllegalArgumentException(XdcSettings.PCA_DIM_KEY + ": "
          + XdcSettings.pcaDimTooLarge(settings.pcaDim(), space, x.dim()));
    }
    long started = System.nanoTime();
    PcaWhitening pca = PcaWhitening.fit(x, settings.pcaDim());
    Path path = work.resolve("xdc-features-" + space.id() + "-whitened.f32");
    try (FeatureFile whitened = pca.apply(x, path)) {
      LOG.info("{} round {}: {} features PCA-whitened to {} of {} dimensions ({}% of the variance) in {} s", name(),
          nextRound, space.id(), pca.dim(), x.dim(), String.format("%.1f", 100 * pca.varianceKept()),
          String.format("%.1f", (System.nanoTime() - started) / 1e9));
      return KMeans.fit(whitened, settings.k(space), settings.iterations(), random);
    } finally {
      Files.deleteIfExists(path);
    }
  }

  @Override
  public Map<String, Double> diagnostics() {
    return diagnostics;
  }

  /** Recomputes {@link #diagnostics()} from the state: once per clustering or restore, not per step. */
  private void refreshDiagnostics() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("xdc_round", (double) round);
    for (ClusterSpace space : settings.variant().spaces()) {
      int[] l = labels.get(space);
      if (l == null) {
        continue;
      }
      out.put("xdc_nmi_previous_round_" + space.id(), successiveNmi.getOrDefault(space, Double.NaN));
      out.put("xdc_nmi_classes_" + space.id(), classNmi.getOrDefault(space, Double.NaN));
      int[] sizes = new int[settings.k(space)];
      for (int label : l) {
        if (label >= 0) {
          sizes[label]++;
        }
      }
      java.util.Arrays.sort(sizes);
      out.put("xdc_cluster_size_min_" + space.id(), (double) sizes[0]);
      out.put("xdc_cluster_size_median_" + space.id(), (double) sizes[sizes.length / 2]);
      out.put("xdc_cluster_size_max_" + space.id(), (double) sizes[sizes.length - 1]);
    }
    diagnostics = Map.copyOf(out);
  }

  /** Clusterings so far. */
  public long round() {
    return round;
  }

  /** The pseudo-labels of {@code space} (one per sample, -1 missing), or null before the first clustering. */
  public int[] labels(ClusterSpace space) {
    int[] l = labels.get(space);
    return l == null ? null : l.clone();
  }

  /** NMI between the last two clusterings of {@code space} (NaN after the first). */
  public double successiveNmi(ClusterSpace space) {
    return successiveNmi.getOrDefault(space, Double.NaN);
  }

  /** NMI of the last clustering of {@code space} with the dataset's classes (NaN without labels); diagnostic only. */
  public double classNmi(ClusterSpace space) {
    return classNmi.getOrDefault(space, Double.NaN);
  }

  @Override
  public List<TensorBlob> state() {
    List<TensorBlob> state = new ArrayList<>();
    state.add(TensorBlob.ofLongs(ROUND, new long[] {2}, new long[] {round, clusteredForEpoch}));
    for (ClusterSpace space : settings.variant().spaces()) {
      int[] l = labels.get(space);
      if (l == null) {
        continue;
      }
      long[] values = new long[l.length];
      for (int i = 0; i < l.length; i++) {
        values[i] = l[i];
      }
      state.add(TensorBlob.ofLongs("xdc.labels." + space.id(), new long[] {l.length}, values));
      float[][] c = centres.get(space);
      float[] flat = new float[c.length * c[0].length];
      for (int i = 0; i < c.length; i++) {
        System.arraycopy(c[i], 0, flat, i * c[0].length, c[0].length);
      }
      state.add(TensorBlob.ofFloats("xdc.centres." + space.id(), new long[] {c.length, c[0].length}, flat));
      state.add(TensorBlob.ofDoubles("xdc.nmi." + space.id(), new long[] {2},
          new double[] {successiveNmi.getOrDefault(space, Double.NaN), classNmi.getOrDefault(space, Double.NaN)}));
    }
    return state;
  }

  @Override
  public void restore(List<TensorBlob> state) {
    Map<String, TensorBlob> byName = new HashMap<>();
    state.forEach(b -> byName.put(b.name(), b));
    labels.clear();
    centres.clear();
    successiveNmi.clear();
    classNmi.clear();
    TensorBlob r = byName.get(ROUND);
    if (r == null) {
      if (!state.isEmpty()) {
        throw new IllegalArgumentException("the checkpoint's method tensors are not " + name() + "'s (no " + ROUND
            + "; it holds " + state.get(0).name() + ", ...)");
      }
      round = 0;
      clusteredForEpoch = -1;
      refreshDiagnostics();
      return;
    }
    round = r.longs()[0];
    clusteredForEpoch = (int) r.longs()[1];
    for (ClusterSpace space : settings.variant().spaces()) {
      TensorBlob l = byName.get("xdc.labels." + space.id());
      if (l == null) {
        continue;
      }
      long[] values = l.longs();
      int[] ints = new int[values.length];
      for (int i = 0; i < values.length; i++) {
        ints[i] = (int) values[i];
      }
      labels.put(space, ints);
      TensorBlob c = byName.get("xdc.centres." + space.id());
      int k = (int) c.shape()[0];
      int d = (int) c.shape()[1];
      float[][] rows = new float[k][d];
      for (int i = 0; i < k; i++) {
        System.arraycopy(c.floats(), i * d, rows[i], 0, d);
      }
      centres.put(space, rows);
      double[] nmi = byName.get("xdc.nmi." + space.id()).doubles();
      successiveNmi.put(space, nmi[0]);
      classNmi.put(space, nmi[1]);
    }
    refreshDiagnostics();
  }

  /** Each present row divided by its l2 norm (at least 1e-12), in place. */
  static void normalizeRows(FeatureFile file) {
    float[] row = new float[file.dim()];
    for (int i = 0; i < file.rows(); i++) {
      if (!file.isPresent(i)) {
        continue;
      }
      file.get(i, row);
      double norm = 0;
      for (float v : row) {
        norm += v * (double) v;
      }
      double scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
      for (int j = 0; j < row.length; j++) {
        row[j] = (float) (row[j] * scale);
      }
      file.put(i, row);
    }
  }

  /** Rows of {@code a} and {@code b} side by side (present where both are), l2-normalised. */
  static FeatureFile concatenate(FeatureFile a, FeatureFile b, Path path) throws IOException {
    FeatureFile joint = FeatureFile.create(path, a.rows(), a.dim() + b.dim());
    float[] ra = new float[a.dim()];
    float[] rb = new float[b.dim()];
    float[] both = new float[a.dim() + b.dim()];
    for (int i = 0; i < a.rows(); i++) {
      if (a.isPresent(i) && b.isPresent(i)) {
        a.get(i, ra);
        b.get(i, rb);
        System.arraycopy(ra, 0, both, 0, ra.length);
        System.arraycopy(rb, 0, both, ra.length, rb.length);
        joint.put(i, both);
      }
    }
    normalizeRows(joint);
    return joint;
  }

  /** Class index per sample when every sample is labelled, else null. */
  static int[] classLabels(List<SampleRef> samples) {
    Map<String, Integer> ids = new HashMap<>();
    int[] out = new int[samples.size()];
    for (int i = 0; i < samples.size(); i++) {
      Optional<String> label = samples.get(i).label();
      if (label.isEmpty()) {
        return null;
      }
      out[i] = ids.computeIfAbsent(label.get(), k -> ids.size());
    }
    return out;
  }

  private static String format(double value) {
    return Double.isNaN(value) ? "-" : String.format("%.3f", value);
  }
}
