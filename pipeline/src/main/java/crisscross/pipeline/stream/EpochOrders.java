package crisscross.pipeline.stream;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hand-off of epoch orders from the trainer to the pipeline, for methods that choose which samples an epoch
 * visits from the state of training (XDC's cluster-balanced epochs need the epoch's pseudo-labels). The stream of
 * {@link BatchSource} waits, without blocking a thread, for an epoch's plan before it reads that epoch's first sample;
 * the trainer publishes the plan once it has prepared the epoch. Publishing again (a restarted trainer) must give the
 * same plan: the order is a function of the checkpointed state, so anything else is a bug worth stopping for.
 *
 * <p>Thread-safe: the trainer publishes from its actor, the stream reads from its own threads.
 */
public final class EpochOrders {
  /** Plans older than this many epochs before the newest published one are dropped. */
  private static final int KEPT_EPOCHS = 2;

  private final long runSeed;
  private final int datasetSize;
  private final long epochSize;
  private final Map<Integer, CompletableFuture<EpochPlan>> plans = new ConcurrentHashMap<>();

  public EpochOrders(long runSeed, int datasetSize, long epochSize) {
    if (epochSize > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("an epoch whose order a method chooses holds at most " + Integer.MAX_VALUE
          + " visits, not " + epochSize);
    }
    this.runSeed = runSeed;
    this.datasetSize = datasetSize;
    this.epochSize = epochSize;
  }

  public long epochSize() {
    return epochSize;
  }

  /** The plan of {@code epoch}, completed when the trainer publishes it. */
  public CompletionStage<EpochPlan> plan(int epoch) {
    return future(epoch);
  }

  /** The epoch visits {@code order} (dataset indices, repeats allowed, {@link #epochSize()} of them). */
  public void publish(int epoch, int[] order) {
    if (order.length != epochSize) {
      throw new IllegalArgumentException("epoch " + epoch + ": a chosen order of " + order.length
          + " visits for an epoch of " + epochSize);
    }
    complete(EpochPlan.ofOrder(epoch, datasetSize, order));
  }

  /** The epoch visits the run's seeded shuffle, as when no method chooses. */
  public void publishDefault(int epoch) {
    complete(new EpochPlan(runSeed, epoch, datasetSize, epochSize));
  }

  private void complete(EpochPlan plan) {
    CompletableFuture<EpochPlan> future = future(plan.epoch());
    if (!future.complete(plan) && !future.join().sameVisits(plan)) {
      throw new IllegalStateException("epoch " + plan.epoch() + " was published twice with different orders: "
          + "the order must follow from the checkpointed state alone");
    }
    plans.keySet().removeIf(epoch -> epoch < plan.epoch() - KEPT_EPOCHS);
  }

  private CompletableFuture<EpochPlan> future(int epoch) {
    return plans.computeIfAbsent(epoch, e -> new CompletableFuture<>());
  }
}
