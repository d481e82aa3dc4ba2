package crisscross.trainer.actor;

import crisscross.pipeline.stream.Batch;
import crisscross.trainer.checkpoint.ModelSnapshot;
import crisscross.trainer.checkpoint.TensorBlob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the model where the test is about the run, not the maths: its "parameters" are a hash chain of
 * every batch it trained on (ids and view values, in order) plus a visit count per sample. Two runs end with the
 * same parameters iff they trained on the same batches in the same order.
 */
final class BatchDigestEngine implements TrainingEngine {
  static final AtomicInteger OPEN = new AtomicInteger();
  static final java.util.List<String> LOG = java.util.Collections.synchronizedList(new ArrayList<>());
  /** The step (1-based) that never returns until interrupted, as a native deadlock would; 0 = none. */
  static volatile long hangAtStep;
  /** How many times that step hangs (each engine that reaches it takes one); the next ones return. */
  static final AtomicInteger HANGS_LEFT = new AtomicInteger();
  private static final java.util.Set<Thread> HUNG = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Interrupts the hung steps, which then fail (the trainers free their engines) so the actor system can stop. */
  static void releaseHungSteps() {
    HUNG.forEach(Thread::interrupt);
  }

  private final int datasetSize;
  private final long nanFromStep;
  private final long stepMillis;
  private long digest = 17;
  private long[] visits;
  private long steps;
  private boolean closed;
  /** Whether this engine chooses its epochs' samples, as XDC's cluster-balanced sampling does. */
  boolean choosesOrders;
  private int preparedEpoch = -1;
  /** Visit counts when the prepared epoch began: the state its order follows from, checkpointed as XDC's labels are. */
  private long[] orderBasis = new long[0];
  private long orderBasisEpoch = -1;

  /** @param nanFromStep from this step on every loss is NaN (0 = never), as a diverging model would report */
  BatchDigestEngine(int datasetSize, long nanFromStep, long stepMillis) {
    this.datasetSize = datasetSize;
    this.nanFromStep = nanFromStep;
    this.stepMillis = stepMillis;
    this.visits = new long[datasetSize];
    OPEN.incrementAndGet();
  }

  @Override
  public List<String> termNames() {
    return List.of("intra", "sync", "async");
  }

  @Override
  public void prepareEpoch(int epoch) {
    preparedEpoch = epoch;
    if (orderBasisEpoch != epoch) {
      orderBasis = visits.clone();
      orderBasisEpoch = epoch;
    }
    LOG.add("prepare:" + epoch);
  }

  /**
   * A state-dependent order with repeats: the half of the dataset least visited before the epoch (ties by index),
   * each sample twice, so that a restored engine must give the same order from its restored state.
   */
  @Override
  public Optional<int[]> epochOrder(int epoch, long epochSize) {
    if (!choosesOrders) {
      return Optional.empty();
    }
    if (epoch != preparedEpoch) {
      throw new IllegalStateException("epoch " + epoch + " was not prepared");
    }
    Integer[] byVisits = new Integer[datasetSize];
    for (int i = 0; i < datasetSize; i++) {
      byVisits[i] = i;
    }
    Arrays.sort(byVisits, Comparator.<Integer>comparingLong(i -> orderBasis[i]).thenComparingInt(i -> i));
    int[] order = new int[(int) epochSize];
    for (int p = 0; p < order.length; p++) {
      order[p] = byVisits[(p / 2) % (datasetSize / 2)];
    }
    return Optional.of(order);
  }

  @Override
  public StepReport train(Batch batch) {
    if (hangAtStep > 0 && steps + 1 == hangAtStep && HANGS_LEFT.getAndDecrement() > 0) {
      HUNG.add(Thread.currentThread());
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("the hung step was interrupted");
      } finally {
        HUNG.remove(Thread.currentThread());
      }
    }
    if (stepMillis > 0) {
      try {
        Thread.sleep(stepMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      digest = digest * 1_000_003L + batch.sampleIds()[i].hashCode();
      visits[batch.sampleIndices()[i]]++;
    }
    digest = digest * 31 + Arrays.hashCode(batch.video(1)) + 7L * Arrays.hashCode(batch.audio(2));
    steps++;
    LOG.add(steps + ":" + batch.epoch() + "@" + batch.startPosition() + "-" + batch.endPosition() + "#" + digest);
    double loss = nanFromStep > 0 && steps >= nanFromStep ? Double.NaN : -1 + 1.0 / (1 + steps);
    return new StepReport(loss, new double[] {loss, loss / 2, loss / 3}, 0.05, 2e-4, 2e-3,
        java.util.Map.of("engine_steps", (double) steps));
  }

  long[] visits() {
    return visits.clone();
  }

  @Override
  public ModelSnapshot snapshot() {
    return new ModelSnapshot(
        new ArrayList<>(List.of(TensorBlob.ofLongs("digest", new long[] {1}, new long[] {digest}),
            TensorBlob.ofLongs("visits", new long[] {datasetSize}, visits.clone()))),
        new ArrayList<>(List.of(TensorBlob.ofLongs("order-basis", new long[] {orderBasis.length}, orderBasis.clone()),
            TensorBlob.ofLongs("order-basis-epoch", new long[] {1}, new long[] {orderBasisEpoch}))), new ArrayList<>(List.of(TensorBlob.ofLongs("steps", new long[] {1}, new long[] {steps}))));
  }

  @Override
  public void restore(ModelSnapshot snapshot) {
    digest = snapshot.parameters().get(0).longs()[0];
    visits = snapshot.parameters().get(1).longs();
    steps = snapshot.optimiser().get(0).longs()[0];
    orderBasis = snapshot.buffers().get(0).longs();
    orderBasisEpoch = snapshot.buffers().get(1).longs()[0];
    LOG.add("restore@" + steps + "#" + digest);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      OPEN.decrementAndGet();
    }
  }
}
