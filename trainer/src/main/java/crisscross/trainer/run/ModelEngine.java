package crisscross.trainer.run;

import crisscross.pipeline.stream.Batch;
import crisscross.trainer.actor.TrainingEngine;
import crisscross.trainer.checkpoint.ModelSnapshot;
import crisscross.trainer.checkpoint.TensorBlob;
import crisscross.trainer.method.Method;
import crisscross.trainer.model.ModelState;
import crisscross.trainer.optim.OptimizerState;
import crisscross.trainer.optim.ParameterGroup;
import crisscross.trainer.step.StepResult;
import crisscross.trainer.step.TrainingState;
import crisscross.trainer.step.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A method's training step behind the trainer actor's {@link TrainingEngine} interface: batches in, loss terms
 * out, and all state (parameters, BN buffers, Adam moments and step, the method's own tensors) as checkpoint blobs.
 */
public final class ModelEngine implements TrainingEngine {
  static final String FIRST_MOMENT = "adam.m.";
  static final String SECOND_MOMENT = "adam.v.";
  static final String STEP = "adam.step";

  private final TrainingStep step;
  private final List<String> termNames;
  private boolean closed;
  /** The epoch whose before-epoch hook has run (-1: none since creation or the last restore). */
  private int epochStarted = -1;

  public ModelEngine(TrainingStep step) {
    this.step = step;
    this.termNames = List.copyOf(step.method().termLabels());
  }

  @Override
  public List<String> termNames() {
    return termNames;
  }

  @Override
  public void prepareEpoch(int epoch) {
    if (epoch != epochStarted) {
      step.method().beforeEpoch(new Method.EpochStart(epoch, step.model().backbones(), step::reinitialise));
      epochStarted = epoch;
    }
  }

  @Override
  public Optional<int[]> epochOrder(int epoch, long epochSize) {
    if (epoch != epochStarted) {
      throw new IllegalStateException("the order of epoch " + epoch + " is asked before the epoch was prepared");
    }
    return step.method().choosesEpochOrder() ? Optional.of(step.method().epochOrder(epoch, epochSize))
        : Optional.empty();
  }

  @Override
  public StepReport train(Batch batch) {
    prepareEpoch(batch.epoch());
    StepResult result = step.run(batch);
    double[] terms = new double[termNames.size()];
    for (int i = 0; i < terms.length; i++) {
      terms[i] = result.terms().getOrDefault(termNames.get(i), Double.NaN);
    }
    return new StepReport(result.total(), terms, result.collapse(), rate(result.learningRates(), false),
        rate(result.learningRates(), true), step.method().diagnostics());
  }

  /** The rate of the first scheduled (encoder) or constant (predictor) group, NaN when there is none. */
  private double rate(Map<ParameterGroup, Double> rates, boolean constant) {
    for (ParameterGroup group : step.groups()) {
      if (group.isConstant() == constant) {
        return rates.get(group);
      }
    }
    return Double.NaN;
  }

  @Override
  public ModelSnapshot snapshot() {
    TrainingState state = step.state();
    ArrayList<TensorBlob> optimiser = Tensors.toBlobs(FIRST_MOMENT, state.optimizer().firstMoments());
    optimiser.addAll(Tensors.toBlobs(SECOND_MOMENT, state.optimizer().secondMoments()));
    optimiser.add(TensorBlob.ofLongs(STEP, new long[] {1}, new long[] {state.optimizer().step()}));
    return new ModelSnapshot(Tensors.toBlobs("", state.model().parameters()),
        Tensors.toBlobs("", state.model().buffers()), optimiser, new ArrayList<>(step.method().state()));
  }

  @Override
  public void restore(ModelSnapshot snapshot) {
    long optimiserStep = -1;
    for (TensorBlob blob : snapshot.optimiser()) {
      if (blob.name().equals(STEP)) {
        optimiserStep = blob.longs()[0];
      }
    }
    if (optimiserStep < 0) {
      throw new IllegalArgumentException("the checkpoint holds no optimiser step (" + STEP + ")");
    }
    Map<String, INDArray> parameters = Tensors.toArrays("", snapshot.parameters());
    Map<String, INDArray> buffers = Tensors.toArrays("", snapshot.buffers());
    OptimizerState optimizer = new OptimizerState(optimiserStep,
        Tensors.toArrays(FIRST_MOMENT, snapshot.optimiser()), Tensors.toArrays(SECOND_MOMENT, snapshot.optimiser()));
    try {
      step.restore(new TrainingState(new ModelState(parameters, buffers), optimizer));
      step.method().restore(snapshot.method());
      epochStarted = -1;
    } finally {
      // The restored values were copied into the model's own arrays; free the staging copies now.
      closeAll(parameters);
      closeAll(buffers);
      closeAll(optimizer.firstMoments());
      closeAll(optimizer.secondMoments());
    }
  }

  private static void closeAll(Map<String, INDArray> arrays) {
    for (INDArray array : arrays.values()) {
      if (array.closeable()) {
        array.close();
      }
    }
  }

  public TrainingStep trainingStep() {
    return step;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      step.close();
      Nd4j.getMemoryManager().invokeGc();
    }
  }
}
