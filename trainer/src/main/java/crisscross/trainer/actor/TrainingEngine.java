package crisscross.trainer.actor;

import crisscross.pipeline.stream.Batch;
import crisscross.trainer.checkpoint.ModelSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a trainer actor owns: a model, its method and optimiser, advanced one batch at a time. Not
 * thread-safe; holds native memory until {@link #close()}.
 */
public interface TrainingEngine extends AutoCloseable {
  /** Names of the loss terms {@link #train} reports, in order. */
  List<String> termNames();

  /** One optimiser step on a batch of at least {@link #minimumBatch()} samples. */
  StepReport train(Batch batch);

  /**
   * Readies the engine for {@code epoch} before its first batch is drawn: the method's before-epoch work (XDC
   * clusters here). Called at every start for the epoch the trainer stands in and after the last batch of each
   * epoch for the next; a second call for the same epoch does nothing.
   */
  default void prepareEpoch(int epoch) {}

  /**
   * The dataset indices the prepared {@code epoch} visits, when the method chooses them (XDC's cluster-balanced
   * epochs); empty for the run's seeded shuffle. A function of the engine's state, so a restored engine gives the
   * same order.
   */
  default Optional<int[]> epochOrder(int epoch, long epochSize) {
    return Optional.empty();
  }

  /** Smallest batch a step accepts (batch normalisation needs two samples). */
  default int minimumBatch() {
    return 2;
  }

  /** Parameters, batch-norm buffers and optimiser state, copied out of native memory. */
  ModelSnapshot snapshot();

  /** Replaces all state with a snapshot; the next step continues bit-identically. */
  void restore(ModelSnapshot snapshot);

  /** Frees native memory. Idempotent. */
  @Override
  void close();

  /** Creates a fresh engine: deterministic initial weights from the run seed. */
  @FunctionalInterface
  interface Factory {
    TrainingEngine create();
  }

  /**
   * One step's numbers.
   *
   * @param terms loss terms in the order of {@link #termNames()}
   * @param collapse std of the l2-normalised projections per dimension (SimSiam's collapse indicator)
   * @param diagnostics the method's own health signals by name (XDC: clustering round, NMIs, cluster sizes)
   */
  record StepReport(double total, double[] terms, double collapse, double encoderLr, double predictorLr,
      Map<String, Double> diagnostics) {
    public StepReport {
      diagnostics = Map.copyOf(diagnostics);
    }

    public StepReport(double total, double[] terms, double collapse, double encoderLr, double predictorLr) {
      this(total, terms, collapse, encoderLr, predictorLr, Map.of());
    }
  }
}
