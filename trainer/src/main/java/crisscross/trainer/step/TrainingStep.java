package crisscross.trainer.step;

import crisscross.pipeline.stream.Batch;
import crisscross.trainer.method.Method;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.TrainingGraph;
import crisscross.trainer.model.View;
import crisscross.trainer.optim.LarcAdam;
import crisscross.trainer.optim.LrSchedule;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.optim.OptimizerState;
import crisscross.trainer.optim.ParameterGroup;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.util.stream.IntStream;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One training step of any {@link Method}: the backbones over the method's views and its heads and loss forward
 * and backward, the gradients {@link GradientCombiner combined}, the LARC+Adam update at each parameter group's
 * scheduled rate, BN running statistics, the collapse indicator on the method's monitored outputs, and the method's
 * after-step hook. The step counter advances by one per call and drives the schedule; {@link #state()} /
 * {@link #restore} carry it.
 */
public final class TrainingStep implements AutoCloseable {
  private final Method method;
  private final TrainingGraph model;
  private final LarcAdam optimizer;
  private final LrSchedule schedule;
  private final long stepsPerEpoch;
  private final GradientCombiner combiner;
  private final Map<String, ParameterGroup> groupOf = new LinkedHashMap<>();
  private final List<ParameterGroup> groups;
  private final Map<Modality, Integer> viewsPerModality = new EnumMap<>(Modality.class);

  /**
   * @param stepsPerEpoch iterations per epoch, for the per-iteration warmup and cosine schedule
   */
  public TrainingStep(Method method, TrainingGraph model, OptimSettings optim, long stepsPerEpoch,
      GradientCombiner combiner) {
    this.method = method;
    this.model = model;
    this.optimizer = new LarcAdam(optim);
    this.schedule = new LrSchedule(optim, stepsPerEpoch);
    this.stepsPerEpoch = stepsPerEpoch;
    this.combiner = combiner;
    Set<ParameterGroup> used = new HashSet<>();
    for (String name : model.parameters().keySet()) {
      ParameterGroup group = method.group(name);
      groupOf.put(name, group);
      used.add(group);
    }
    this.groups = method.groups().stream().filter(used::contains).toList();
    model.views().forEach(v -> viewsPerModality.merge(v.modality(), 1, Integer::sum));
  }

  /** A fresh graph for {@code method} with weights drawn from {@code seed}, its optimiser, one replica. */
  public static TrainingStep create(ModelSettings settings, Method method, OptimSettings optim, long stepsPerEpoch,
      long seed) {
    TrainingGraph graph = TrainingGraph.create(settings, method.views(), method.heads(settings), seed);
    return new TrainingStep(method, graph, optim, stepsPerEpoch, GradientCombiner.LOCAL);
  }

  public Method method() {
    return method;
  }

  public TrainingGraph model() {
    return model;
  }

  public long stepsPerEpoch() {
    return stepsPerEpoch;
  }

  /** Steps completed. */
  public long step() {
    return optimizer.step();
  }

  /** The parameter groups that hold parameters, in the method's order. */
  public List<ParameterGroup> groups() {
    return groups;
  }

  /**
   * One step on the paper's two clips per modality given as flat arrays in C order: video clips [batch,3,T,H,W],
   * audio clips [batch,1,F,T], samples numbered 0..batch-1. Clips of a modality the method does not use may be null
   * (audio-only datasets train {@code a1a2}).
   */
  public StepResult run(float[] v1, float[] v2, float[] a1, float[] a2, int batch) {
    return run(clips(v1, v2), clips(a1, a2), batch, untimed(IntStream.range(0, batch).toArray()));
  }

  /** One step on a pipeline batch. */
  public StepResult run(Batch batch) {
    return run(batch.video(), batch.audio(), batch.size(), new Method.StepBatch(step(), batch.sampleIndices(),
        batch.videoTimings(), batch.audioTimings()));
  }

  private StepResult run(List<float[]> video, List<float[]> audio, int batch, Method.StepBatch stepBatch) {
    ModelSettings s = model.settings();
    Map<View, INDArray> inputs = new LinkedHashMap<>();
    try {
      for (View view : model.views()) {
        List<float[]> clips = view.modality() == Modality.VIDEO ? video : audio;
        if (view.clip() > clips.size()) {
          throw new IllegalArgumentException("method " + method.name() + " needs view " + view.key()
              + ", but the batch carries " + clips.size() + " " + view.modality().prefix() + " clips");
        }
        float[] data = clips.get(view.clip() - 1);
        long[] shape = shape(batch, s.viewShape(view.modality()));
        long expected = (long) batch * s.viewSize(view.modality());
        if (data.length != expected) {
          throw new IllegalArgumentException("view " + view.key() + " needs " + expected + " values (batch " + batch
              + " x " + java.util.Arrays.toString(s.viewShape(view.modality())) + "), got "
              + (data.length == 0 ? "none" : data.length));
        }
        inputs.put(view, Nd4j.create(data, shape, 'c').castTo(s.dataType()));
      }
      return run(inputs, stepBatch);
    } finally {
      inputs.values().forEach(INDArray::close);
    }
  }

  /** The non-null arrays, in order: clips present up to the first missing one. */
  private static List<float[]> clips(float[] first, float[] second) {
    List<float[]> out = new ArrayList<>();
    for (float[] clip : new float[][] {first, second}) {
      if (clip == null) {
        break;
      }
      out.add(clip);
    }
    return out;
  }

  /** One step on arrays already shaped per view, for the samples with these dataset indices. */
  public StepResult run(Map<View, INDArray> views, int[] sampleIndices) {
    return run(views, untimed(sampleIndices));
  }

  private Method.StepBatch untimed(int[] sampleIndices) {
    return new Method.StepBatch(step(), sampleIndices, List.of(), List.of());
  }

  /** One step on arrays already shaped per view, for the batch {@code stepBatch} describes. */
  public StepResult run(Map<View, INDArray> views, Method.StepBatch stepBatch) {
    int[] sampleIndices = stepBatch.sampleIndices();
    long iteration = optimizer.step();
    Map<ParameterGroup, Double> lrs = new LinkedHashMap<>();
    for (ParameterGroup group : groups) {
      lrs.put(group, schedule.lr(group, iteration));
    }
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    views.forEach((view, x) -> inputs.put(view.key(), x));
    Map<String, INDArray> extra = method.stepInputs(stepBatch);
    inputs.putAll(extra);
    TrainingGraph.ForwardBackward fb;
    try {
      fb = model.forwardBackward(inputs, method.stepOutputs());
    } finally {
      extra.values().forEach(a -> {
        if (a.closeable()) {
          a.close();
        }
      });
    }
    combiner.combine(iteration, fb.gradients());
    Map<String, Double> byName = new LinkedHashMap<>();
    groupOf.forEach((name, group) -> byName.put(name, lrs.get(group)));
    optimizer.update(model.graphParameters(), fb.gradients(), byName::get, false);
    model.recycle(fb.gradients());
    Map<Modality, Double> collapse = new EnumMap<>(Modality.class);
    double sum = 0;
    int monitored = 0;
    Map<String, INDArray> hookOutputs = new LinkedHashMap<>();
    for (View view : model.views()) {
      for (String output : model.monitoredOutputs()) {
        INDArray z = fb.outputs().get(output + view.key());
        double c = CollapseIndicator.of(z);
        collapse.merge(view.modality(), c / viewsPerModality.get(view.modality()), Double::sum);
        sum += c;
        monitored++;
      }
    }
    for (String output : method.stepOutputs()) {
      for (View view : model.views()) {
        hookOutputs.put(output + view.key(), fb.outputs().get(output + view.key()));
      }
    }
    long done = optimizer.step();
    try {
      method.afterStep(new Method.StepDone(done, sampleIndices, hookOutputs));
    } finally {
      fb.outputs().values().forEach(INDArray::close);
    }
    return new StepResult(done, fb.terms(), fb.total(), monitored == 0 ? Double.NaN : sum / monitored, collapse,
        lrs);
  }

  /** Re-initialises the method's module {@code prefix}: new weights from {@code random}, zero Adam moments. */
  public void reinitialise(String prefix, crisscross.pipeline.random.SampleRandom random) {
    optimizer.resetMoments(model.reinitialise(prefix, random));
  }

  /** Parameters, buffers and optimiser moments in PyTorch's layout (the checkpoint format), and the step. */
  public TrainingState state() {
    OptimizerState o = optimizer.state();
    return new TrainingState(model.state(), new OptimizerState(o.step(), model.toPytorchLayout(o.firstMoments()),
        model.toPytorchLayout(o.secondMoments())));
  }

  public void restore(TrainingState state) {
    model.restore(state.model());
    OptimizerState o = state.optimizer();
    optimizer.restore(new OptimizerState(o.step(), model.toGraphLayout(o.firstMoments()),
        model.toGraphLayout(o.secondMoments())));
  }

  @Override
  public void close() {
    model.close();
  }

  private static long[] shape(int batch, long[] view) {
    long[] shape = new long[view.length + 1];
    shape[0] = batch;
    System.arraycopy(view, 0, shape, 1, view.length);
    return shape;
  }
}
