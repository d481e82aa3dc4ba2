package crisscross.trainer.method.temporal;

import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.sample.ClipCounts;
import crisscross.pipeline.sample.ClipTiming;
import crisscross.pipeline.sample.PlaybackClips;
import crisscross.trainer.checkpoint.TensorBlob;
import crisscross.trainer.method.LossOps;
import crisscross.trainer.method.Method;
import crisscross.trainer.method.MethodContext;
import crisscross.trainer.model.GraphBuilder;
import crisscross.trainer.model.HeadGraph;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.TrainingGraph;
import crisscross.trainer.model.View;
import crisscross.trainer.optim.ParameterGroup;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Audio-visual contrastive learning with temporal self-supervision (Jenni, Black &amp; Collomosse, AAAI 2023), with
 * the pretext tasks of Jenni et al. (ECCV 2020). Per sample the pipeline cuts two audio-visual pairs (v1, a1),
 * (v2, a2) under the method's relaxation (extreme by default: the pairs in the two halves of the clip, so they never
 * overlap) and one playback clip per modality (v3, a3), played at a speed drawn from {@code speeds} and forwards
 * or backwards.
 *
 * <ul>
 *   <li>Speed and direction: a head per modality and task on the pooled features of v3 and a3.
 *   <li>Order, intra-modal: a head per modality on the features of (v1, v2), and of (a1, a2), concatenated in an order
 *   drawn per sample and step; its class says whether the clip shown first is the earlier one.
 *   <li>Order, inter-modal: one head on a video clip and an audio window from different times, (v1, a2) or (v2, a1)
 *   drawn per sample and step, video first; its class says whether the audio comes after the video.
 *   <li>Contrastive: InfoNCE between z(v1) and z(v2), and between z(v1) and z(a1) (v1 lies inside a1), both ways,
 *   on l2-normalised projections; negatives are the batch's other samples and a FIFO queue per modality of past
 *   z(v1), z(a1) ({@link FeatureQueue}); optionally each sample's nearest queue entries as extra positives and its
 *   own transformed clip z(v3), z(a3) (when not as recorded) as an extra negative ({@link ContrastiveLoss}).
 * </ul>
 * The loss is the sum of the contrastive terms plus {@code pretext-weight} times the mean of the pretext
 * cross-entropies. Each task's accuracy on the batch is reported as a term {@code acc_*} beside the losses (not
 * differentiated): a collapsed encoder cannot tell speeds apart.
 *
 * <p>State, checkpointed as method tensors: both queues and the number of rows pushed, so a resumed run, also one
 * killed while the queues fill, continues bit-identically. Every draw of the method comes from the run seed, the
 * step and the sample index.
 */
public final class TemporalContrastiveMethod implements Method {
  public static final String NAME = "temporal-contrastive";
  static final View V3 = new View(Modality.VIDEO, 3);
  static final View A3 = new View(Modality.AUDIO, 3);
  static final String Z = "z";
  static final String PUSHED = "tc.queue.pushed";

  private final TemporalContrastiveSettings settings;
  private final long runSeed;
  private final List<View> views;
  private final Map<Modality, ParameterGroup> groups = new EnumMap<>(Modality.class);
  private final ParameterGroup crossModal;
  private final Map<Modality, FeatureQueue> queues = new EnumMap<>(Modality.class);

  public TemporalContrastiveMethod(TemporalContrastiveSettings settings, long runSeed) {
    this.settings = settings;
    this.runSeed = runSeed;
    // Only the clips some loss reads are encoded; the pipeline still cuts both pairs (the playback clips follow them).
    boolean pairs = settings.contrastive() || settings.orderIntraTask() || settings.orderInterTask();
    List<View> v = new ArrayList<>();
    if (pairs) {
      v.addAll(List.of(View.V1, View.V2));
    }
    if (settings.playbackClips()) {
      v.add(V3);
    }
    if (pairs) {
      v.add(View.A1);
    }
    if (settings.orderIntraTask() || settings.orderInterTask()) {
      v.add(View.A2);
    }
    if (settings.playbackClips()) {
      v.add(A3);
    }
    this.views = List.copyOf(v);
    for (Modality m : Modality.values()) {
      groups.put(m, ParameterGroup.scheduled(m.prefix() + "_encoder", settings.baseLr(), settings.finalLr()));
      if (settings.contrastive() && settings.queueSize() > 0) {
        queues.put(m, new FeatureQueue(settings.queueSize(), settings.projectorDim()));
      }
    }
    this.crossModal = ParameterGroup.scheduled("cross_modal_head", settings.baseLr(), settings.finalLr());
  }

  public static TemporalContrastiveMethod create(MethodContext context) {
    return new TemporalContrastiveMethod(TemporalContrastiveSettings.from(context.settings(), context.optim()),
        context.settings().runSeed());
  }

  public TemporalContrastiveSettings settings() {
    return settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The parts that are on, joined by {@code +} ({@code speed+direction+order-intra+order-inter+nce+queue+knn+tneg}). */
  @Override
  public String variant() {
    List<String> parts = new ArrayList<>();
    if (settings.speedTask()) {
      parts.add("speed");
    }
    if (settings.directionTask()) {
      parts.add("direction");
    }
    if (settings.orderIntraTask()) {
      parts.add("order-intra");
    }
    if (settings.orderInterTask()) {
      parts.add("order-inter");
    }
    if (settings.contrastive()) {
      parts.add("nce");
      if (settings.queueSize() > 0) {
        parts.add("queue");
      }
      if (settings.nearestPositives() > 0) {
        parts.add("knn");
      }
      if (settings.transformedNegatives()) {
        parts.add("tneg");
      }
    }
    return String.join("+", parts);
  }

  @Override
  public List<View> views() {
    return views;
  }

  @Override
  public ClipCounts clips() {
    PlaybackClips playback = settings.playbackClips()
        ? new PlaybackClips(1, 1, settings.speeds(), true) : PlaybackClips.NONE;
    return new ClipCounts(2, 2, playback, settings.relaxation());
  }

  @Override
  public List<String> termLabels() {
    List<String> terms = new ArrayList<>(losses());
    for (String loss : losses()) {
      if (!loss.startsWith("L_nce")) {
        terms.add("acc" + loss.substring(1));
      }
    }
    return List.copyOf(terms);
  }

  /** The loss terms, in order: contrastive, then pretext. */
  private List<String> losses() {
    List<String> terms = new ArrayList<>();
    if (settings.contrastive()) {
      terms.add("L_nce_vv");
      terms.add("L_nce_va");
    }
    for (Modality m : Modality.values()) {
      if (settings.speedTask()) {
        terms.add("L_speed_" + m.prefix().charAt(0));
      }
      if (settings.directionTask()) {
        terms.add("L_direction_" + m.prefix().charAt(0));
      }
      if (settings.orderIntraTask()) {
        terms.add("L_order_" + m.prefix().charAt(0));
      }
    }
    if (settings.orderInterTask()) {
      terms.add("L_order_va");
    }
    return terms;
  }

  static String module(Modality m, String part) {
    return "tc_" + m.prefix() + "_" + part;
  }

  static final String INTER_ORDER = "tc_inter_order";

  @Override
  public ParameterGroup group(String parameterName) {
    if (parameterName.startsWith(INTER_ORDER + ".")) {
      return crossModal;
    }
    for (Map.Entry<Modality, ParameterGroup> e : groups.entrySet()) {
      String prefix = e.getKey().prefix();
      if (parameterName.startsWith(prefix + "_backbone.") || parameterName.startsWith("tc_" + prefix + "_")) {
        return e.getValue();
      }
    }
    throw new IllegalArgumentException("parameter '" + parameterName + "' belongs to no group of " + NAME);
  }

  @Override
  public List<ParameterGroup> groups() {
    List<ParameterGroup> all = new ArrayList<>(groups.values());
    all.add(crossModal);
    return all;
  }

  // Placeholder names.
  static final String IDENTITY = "tc_identity";
  static final String QUEUE_VALID = "tc_queue_valid";
  static final String CROSSED = "tc_crossed";
  static final String INTER_LABELS = "tc_order_inter_labels";

  static String input(String what, Modality m) {
    return "tc_" + what + "_" + m.prefix();
  }

  @Override
  public HeadGraph heads(ModelSettings model) {
    Map<Modality, Integer> widths = new EnumMap<>(Modality.class);
    return new HeadGraph() {
      @Override
      public Map<String, SDVariable> view(GraphBuilder g, View view, SDVariable features, int width) {
        widths.put(view.modality(), width);
        Map<String, SDVariable> out = new LinkedHashMap<>();
        Modality m = view.modality();
        if (settings.contrastive()) {
          out.put(Z, LossOps.l2Normalize(g.sameDiff(), mlp(g, module(m, "projector"), features, width,
              settings.projectorHidden(), settings.projectorDim())));
        }
        if (view.clip() == 3) {
          if (settings.speedTask()) {
            out.put("speed", mlp(g, module(m, "speed"), features, width, settings.headHidden(),
                settings.speeds().size()));
          }
          if (settings.directionTask()) {
            out.put("direction", mlp(g, module(m, "direction"), features, width, settings.headHidden(), 2));
          }
        }
        return out;
      }

      @Override
      public LossGraph loss(GraphBuilder g, Map<View, Map<String, SDVariable>> outputs) {
        SameDiff sd = g.sameDiff();
        Map<String, SDVariable> losses = new LinkedHashMap<>();
        Map<String, SDVariable> accuracies = new LinkedHashMap<>();
        if (settings.contrastive()) {
          contrastive(g, outputs, losses);
        }
        for (Modality m : Modality.values()) {
          String suffix = String.valueOf(m.prefix().charAt(0));
          View playback = m == Modality.VIDEO ? V3 : A3;
          if (settings.speedTask()) {
            classify(sd, outputs.get(playback).get("speed"), g.sameDiff().placeHolder(input("speed", m),
                g.dataType(), -1, settings.speeds().size()), "speed_" + suffix, losses, accuracies);
          }
          if (settings.directionTask()) {
            classify(sd, outputs.get(playback).get("direction"), sd.placeHolder(input("direction", m),
                g.dataType(), -1, 2), "direction_" + suffix, losses, accuracies);
          }
          if (settings.orderIntraTask()) {
            View first = m == Modality.VIDEO ? View.V1 : View.A1;
            View second = m == Modality.VIDEO ? View.V2 : View.A2;
            SDVariable swapped = sd.placeHolder(input("swapped", m), g.dataType(), -1, 1);
            SDVariable a = outputs.get(first).get(TrainingGraph.FEATURES);
            SDVariable b = outputs.get(second).get(TrainingGraph.FEATURES);
            SDVariable pair = sd.concat(1, select(a, b, swapped), select(b, a, swapped));
            int width = widths.get(m);
            classify(sd, mlp(g, module(m, "order"), pair, 2 * width, settings.headHidden(), 2),
                sd.placeHolder(input("order", m), g.dataType(), -1, 2), "order_" + suffix, losses, accuracies);
          }
        }
        if (settings.orderInterTask()) {
          SDVariable crossed = sd.placeHolder(CROSSED, g.dataType(), -1, 1);
          SDVariable video = select(outputs.get(View.V1).get(TrainingGraph.FEATURES),
              outputs.get(View.V2).get(TrainingGraph.FEATURES), crossed);
          SDVariable audio = select(outputs.get(View.A2).get(TrainingGraph.FEATURES),
              outputs.get(View.A1).get(TrainingGraph.FEATURES), crossed);
          int width = widths.get(Modality.VIDEO) + widths.get(Modality.AUDIO);
          classify(sd, mlp(g, INTER_ORDER, sd.concat(1, video, audio), width, settings.headHidden(), 2),
              sd.placeHolder(INTER_LABELS, g.dataType(), -1, 2), "order_va", losses, accuracies);
        }
        SDVariable total = null;
        SDVariable pretext = null;
        int pretextTerms = 0;
        for (Map.Entry<String, SDVariable> e : losses.entrySet()) {
          if (e.getKey().startsWith("L_nce")) {
            total = total == null ? e.getValue() : total.add(e.getValue());
          } else {
            pretext = pretext == null ? e.getValue() : pretext.add(e.getValue());
            pretextTerms++;
          }
        }
        if (pretext != null) {
          SDVariable weighted = pretext.mul(settings.pretextWeight() / pretextTerms);
          total = total == null ? weighted : total.add(weighted);
        }
        Map<String, SDVariable> terms = new LinkedHashMap<>(losses);
        terms.putAll(accuracies);
        return new LossGraph(terms, total);
      }

      @Override
      public List<String> monitoredOutputs() {
        return List.of(TrainingGraph.FEATURES);
      }
    };
  }

  /** InfoNCE v1-v2 and v1-a1, both ways, averaged per pair of views. */
  private void contrastive(GraphBuilder g, Map<View, Map<String, SDVariable>> outputs,
      Map<String, SDVariable> losses) {
    SameDiff sd = g.sameDiff();
    SDVariable identity = sd.placeHolder(IDENTITY, g.dataType(), -1, -1);
    Map<Modality, Optional<ContrastiveLoss.Queue>> queue = new EnumMap<>(Modality.class);
    Map<Modality, Optional<ContrastiveLoss.OwnNegative>> own = new EnumMap<>(Modality.class);
    SDVariable valid = queues.isEmpty() ? null : sd.placeHolder(QUEUE_VALID, g.dataType(), 1, settings.queueSize());
    for (Modality m : Modality.values()) {
      queue.put(m, queues.isEmpty() ? Optional.empty() : Optional.of(new ContrastiveLoss.Queue(
          sd.placeHolder(input("queue", m), g.dataType(), settings.queueSize(), settings.projectorDim()), valid)));
      own.put(m, settings.transformedNegatives() ? Optional.of(new ContrastiveLoss.OwnNegative(
          outputs.get(m == Modality.VIDEO ? V3 : A3).get(Z),
          sd.placeHolder(input("transformed", m), g.dataType(), -1, 1))) : Optional.empty());
    }
    SDVariable v1 = outputs.get(View.V1).get(Z);
    SDVariable v2 = outputs.get(View.V2).get(Z);
    SDVariable a1 = outputs.get(View.A1).get(Z);
    int k = settings.nearestPositives();
    double t = settings.temperature();
    Optional<ContrastiveLoss.Queue> qv = queue.get(Modality.VIDEO);
    Optional<ContrastiveLoss.Queue> qa = queue.get(Modality.AUDIO);
    losses.put("L_nce_vv", ContrastiveLoss.infoNce(sd, v1, v2, identity, qv, own.get(Modality.VIDEO), k, t)
        .add(ContrastiveLoss.infoNce(sd, v2, v1, identity, qv, own.get(Modality.VIDEO), k, t)).mul(0.5));
    losses.put("L_nce_va", ContrastiveLoss.infoNce(sd, v1, a1, identity, qa, own.get(Modality.AUDIO), k, t)
        .add(ContrastiveLoss.infoNce(sd, a1, v1, identity, qv, own.get(Modality.VIDEO), k, t)).mul(0.5));
  }

  private static void classify(SameDiff sd, SDVariable logits, SDVariable labels, String task,
      Map<String, SDVariable> losses, Map<String, SDVariable> accuracies) {
    losses.put("L_" + task, LossOps.crossEntropy(sd, logits, labels));
    accuracies.put("acc_" + task, LossOps.accuracy(sd, logits, labels));
  }

  /** Per row: {@code a} where {@code pick} is 0, {@code b} where it is 1 ([B, 1] of 0 or 1). */
  private static SDVariable select(SDVariable a, SDVariable b, SDVariable pick) {
    return a.add(b.sub(a).mul(pick));
  }

  /** One linear layer ({@code hidden} 0), or fc-bn-relu-fc. */
  private static SDVariable mlp(GraphBuilder g, String prefix, SDVariable x, int in, int hidden, int out) {
    if (hidden == 0) {
      return g.linear(prefix + ".fc", x, in, out);
    }
    SDVariable y = g.batchNormRelu(prefix + ".bn1", g.linear(prefix + ".fc1", x, in, hidden), hidden);
    return g.linear(prefix + ".fc2", y, hidden, out);
  }

  @Override
  public Map<String, INDArray> stepInputs(int[] sampleIndices) {
    throw new IllegalStateException(NAME + " needs the clips' timings (its pretext labels): train it on pipeline "
        + "batches");
  }

  @Override
  public Map<String, INDArray> stepInputs(StepBatch batch) {
    int n = batch.sampleIndices().length;
    Map<String, INDArray> in = new LinkedHashMap<>();
    if (settings.contrastive()) {
      in.put(IDENTITY, matrix(TemporalLabels.identity(n), n, n));
      if (!queues.isEmpty()) {
        FeatureQueue any = queues.get(Modality.VIDEO);
        in.put(QUEUE_VALID, matrix(any.valid(), 1, any.size()));
        queues.forEach((m, q) -> in.put(input("queue", m), q.rowsMatrix()));
      }
      if (settings.transformedNegatives()) {
        in.put(input("transformed", Modality.VIDEO), matrix(TemporalLabels.transformed(batch.timings(V3)), n, 1));
        in.put(input("transformed", Modality.AUDIO), matrix(TemporalLabels.transformed(batch.timings(A3)), n, 1));
      }
    }
    for (Modality m : Modality.values()) {
      View playback = m == Modality.VIDEO ? V3 : A3;
      if (settings.speedTask()) {
        in.put(input("speed", m), matrix(TemporalLabels.speed(batch.timings(playback), settings.speeds()), n,
            settings.speeds().size()));
      }
      if (settings.directionTask()) {
        in.put(input("direction", m), matrix(TemporalLabels.direction(batch.timings(playback)), n, 2));
      }
      if (settings.orderIntraTask()) {
        boolean[] swapped = draws(batch, "order-" + m.prefix());
        View first = m == Modality.VIDEO ? View.V1 : View.A1;
        View second = m == Modality.VIDEO ? View.V2 : View.A2;
        in.put(input("swapped", m), matrix(asFloats(swapped), n, 1));
        in.put(input("order", m), matrix(TemporalLabels.order(batch.timings(first), batch.timings(second),
            swapped), n, 2));
      }
    }
    if (settings.orderInterTask()) {
      boolean[] crossed = draws(batch, "order-inter");
      in.put(CROSSED, matrix(asFloats(crossed), n, 1));
      in.put(INTER_LABELS, matrix(TemporalLabels.interOrder(batch.timings(View.V1), batch.timings(View.V2),
          batch.timings(View.A1), batch.timings(View.A2), crossed), n, 2));
    }
    return in;
  }

  /** A fair coin per sample of the batch, from the run seed, the step and the sample's index. */
  private boolean[] draws(StepBatch batch, String purpose) {
    boolean[] out = new boolean[batch.sampleIndices().length];
    SampleRandom random = SampleRandom.of(runSeed).fork("temporal-contrastive." + purpose).fork(batch.step());
    for (int i = 0; i < out.length; i++) {
      out[i] = random.fork(batch.sampleIndices()[i]).bernoulli(0.5);
    }
    return out;
  }

  private static float[] asFloats(boolean[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] ? 1 : 0;
    }
    return out;
  }

  private static INDArray matrix(float[] values, int rows, int columns) {
    return Nd4j.create(values, new long[] {rows, columns}, 'c');
  }

  @Override
  public Set<String> stepOutputs() {
    return queues.isEmpty() ? Set.of() : Set.of(Z);
  }

  /** The batch's z(v1) and z(a1) join their queues, after the step that used the queues as they were. */
  @Override
  public void afterStep(StepDone done) {
    queues.forEach((m, q) -> {
      INDArray z = done.outputs().get(Z + (m == Modality.VIDEO ? View.V1 : View.A1).key());
      q.push(z.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat(), (int) z.size(0));
    });
  }

  @Override
  public Map<String, Double> diagnostics() {
    if (queues.isEmpty()) {
      return Map.of();
    }
    FeatureQueue q = queues.get(Modality.VIDEO);
    return Map.of("tc_queue_filled", q.filled() / (double) q.size());
  }

  @Override
  public List<TensorBlob> state() {
    if (queues.isEmpty()) {
      return List.of();
    }
    List<TensorBlob> state = new ArrayList<>();
    state.add(TensorBlob.ofLongs(PUSHED, new long[] {1}, new long[] {queues.get(Modality.VIDEO).pushed()}));
    queues.forEach((m, q) -> state.add(TensorBlob.ofFloats(blobName(m), new long[] {q.size(), q.dim()}, q.rows())));
    return state;
  }

  static String blobName(Modality m) {
    return "tc.queue." + m.prefix();
  }

  @Override
  public void restore(List<TensorBlob> state) {
    if (queues.isEmpty()) {
      Method.super.restore(state);
      return;
    }
    Map<String, TensorBlob> byName = new HashMap<>();
    state.forEach(b -> byName.put(b.name(), b));
    TensorBlob pushed = byName.get(PUSHED);
    if (pushed == null) {
      if (!state.isEmpty()) {
        throw new IllegalArgumentException("the checkpoint's method tensors are not " + NAME + "'s (no " + PUSHED
            + "; it holds " + state.get(0).name() + ", ...)");
      }
      queues.forEach((m, q) -> q.restore(new float[q.size() * q.dim()], 0));
      return;
    }
    queues.forEach((m, q) -> {
      TensorBlob rows = byName.get(blobName(m));
      if (rows == null || rows.shape()[0] != q.size() || rows.shape()[1] != q.dim()) {
        throw new IllegalArgumentException("the checkpoint's " + m.prefix() + " queue is "
            + (rows == null ? "missing" : java.util.Arrays.toString(rows.shape())) + "; this run's is ["
            + q.size() + ", " + q.dim() + "] (" + TemporalContrastiveSettings.BLOCK + ".queue-size, projector-dim)");
      }
      q.restore(rows.floats(), pushed.longs()[0]);
    });
  }
}
