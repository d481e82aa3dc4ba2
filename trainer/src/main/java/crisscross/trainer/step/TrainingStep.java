package crisscross.trainer.step;

import crisscross.trainer.model.CrissCrossModel;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.View;
import crisscross.trainer.objective.CollapseIndicator;
import crisscross.trainer.objective.Objective;
import crisscross.trainer.optim.LarcAdam;
import crisscross.trainer.optim.LrSchedule;
import crisscross.trainer.optim.OptimSettings;
import crisscross.trainer.optim.OptimizerState;
import crisscross.trainer.optim.ParameterGroup;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One CrissCross training step: forward passes of every view, the objective's loss, backward, LARC+Adam update
 * at the scheduled learning rates (Table S10), BN running statistics, collapse indicator. The step counter
 * advances by one per call and drives the schedule; {@link #state()} / {@link #restore} carry it.
 */
public final class TrainingStep implements AutoCloseable {
  private final CrissCrossModel model;
  private final LarcAdam optimizer;
  private final LrSchedule schedule;
  private final long stepsPerEpoch;

  /**
   * @param stepsPerEpoch iterations per epoch, for the per-iteration warmup and cosine schedule
   */
  public TrainingStep(CrissCrossModel model, OptimSettings optim, long stepsPerEpoch) {
    this.model = model;
    this.optimizer = new LarcAdam(optim);
    this.schedule = new LrSchedule(optim, stepsPerEpoch);
    this.stepsPerEpoch = stepsPerEpoch;
  }

  /** A fresh model for {@code objective} with weights drawn from {@code seed}, and its optimiser. */
  public static TrainingStep create(ModelSettings settings, Objective objective, OptimSettings optim,
      long stepsPerEpoch, long seed) {
    return new TrainingStep(CrissCrossModel.create(settings, objective, seed), optim, stepsPerEpoch);
  }

  public CrissCrossModel model() {
    return model;
  }

  public long stepsPerEpoch() {
    return stepsPerEpoch;
  }

  /** Steps completed. */
  public long step() {
    return optimizer.step();
  }

  /**
   * One step on a batch given as flat arrays in C order: video views [batch,3,T,H,W], audio views [batch,1,F,T].
   * Views of a modality the objective does not use may be null (audio-only datasets train {@code a1a2}).
   */
  public StepResult run(float[] v1, float[] v2, float[] a1, float[] a2, int batch) {
    ModelSettings s = model.settings();
    Map<View, INDArray> inputs = new EnumMap<>(View.class);
    float[][] arrays = {v1, v2, a1, a2};
    for (View view : View.values()) {
      if (!model.modalities().contains(view.modality())) {
        continue;
      }
      float[] data = arrays[view.ordinal()];
      long[] shape = shape(batch, s.viewShape(view.modality()));
      long expected = (long) batch * s.viewSize(view.modality());
      if (data == null || data.length != expected) {
        throw new IllegalArgumentException("view " + view.key() + " needs " + expected + " values (batch " + batch
            + " x " + java.util.Arrays.toString(s.viewShape(view.modality())) + "), got "
            + (data == null ? "none" : data.length));
      }
      inputs.put(view, Nd4j.create(data, shape, 'c').castTo(s.dataType()));
    }
    try {
      return run(inputs);
    } finally {
      inputs.values().forEach(INDArray::close);
    }
  }

  /** One step on arrays already shaped per view. */
  public StepResult run(Map<View, INDArray> inputs) {
    long iteration = optimizer.step();
    Map<ParameterGroup, Double> lrs = new EnumMap<>(ParameterGroup.class);
    for (ParameterGroup group : ParameterGroup.values()) {
      lrs.put(group, schedule.lr(group, iteration));
    }
    CrissCrossModel.ForwardBackward fb = model.forwardBackward(inputs, false);
    Map<String, Double> byName = new LinkedHashMap<>();
    for (String name : model.parameters().keySet()) {
      byName.put(name, lrs.get(ParameterGroup.of(name)));
    }
    optimizer.update(model.graphParameters(), fb.gradients(), byName::get, false);
    model.recycle(fb.gradients());
    Map<Modality, Double> collapse = new EnumMap<>(Modality.class);
    double sum = 0;
    for (Map.Entry<View, INDArray> z : fb.z().entrySet()) {
      double c = CollapseIndicator.of(z.getValue());
      collapse.merge(z.getKey().modality(), c / 2, Double::sum);
      sum += c;
      z.getValue().close();
    }
    Map<ParameterGroup, Double> used = new EnumMap<>(ParameterGroup.class);
    for (ParameterGroup group : ParameterGroup.values()) {
      boolean video = group == ParameterGroup.VIDEO_ENCODER || group == ParameterGroup.VIDEO_PREDICTOR;
      if (model.modalities().contains(video ? Modality.VIDEO : Modality.AUDIO)) {
        used.put(group, lrs.get(group));
      }
    }
    return new StepResult(optimizer.step(), fb.terms(), fb.total(), sum / fb.z().size(), collapse, used);
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
