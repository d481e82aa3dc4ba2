package crisscross.trainer.actor;

import crisscross.pipeline.stream.Batch;
import crisscross.pipeline.stream.EpochOrders;
import crisscross.trainer.checkpoint.CheckpointStore;
import crisscross.trainer.host.NativeKernels;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Everything a run's actors need, built once by the launcher.
 *
 * @param method the method trained ({@code crisscross}, ...)
 * @param objective the method's variant ({@code sync+async}, ...)
 * @param epochs total epochs of the run
 * @param stepsPerEpoch optimiser steps in one epoch (for ETA and schedules)
 * @param maxSteps stop after this many steps (0 = run all epochs)
 * @param checkpointEvery write a checkpoint every N steps (and at every epoch end and on stop)
 * @param epochOrders where the trainer publishes the epochs' orders when the method chooses them (the same object
 *     the batch streams wait on), or null when the pipeline uses the seeded shuffle
 */
public record RunSpec(String method, String objective, long runSeed, int epochs, long stepsPerEpoch, long maxSteps,
    int checkpointEvery, int logEvery, Provenance provenance, TrainingEngine.Factory engines, BatchStreams streams,
    CheckpointStore store, RestartPolicy restarts, CheckpointRetry checkpointRetry, StepWatchdog.Policy stepTimeout,
    Faults faults, RunBoard board, EpochOrders epochOrders) {

  static final String MAX_STEPS_REASON = "reached trainer.max-steps";

  /** Whether a run standing after {@code step} steps may train no further step. */
  boolean reachedMaxSteps(long step) {
    return maxSteps > 0 && step >= maxSteps;
  }

  /** Why a run standing after {@code step} steps stops; the supervisor reads its prefix as {@code MAX_STEPS}. */
  String maxStepsReason(long step) {
    return MAX_STEPS_REASON + " = " + maxSteps + (step > maxSteps ? " (the run already stands at step " + step + ")"
        : "");
  }

  /** What every checkpoint records about where it came from. */
  public record Provenance(String effectiveConfig, String configHash, String dataManifestHash,
      String codeVersion, NativeKernels kernels) {}

  /** The batch stream from a given (epoch, position); its kill switch ends it. */
  @FunctionalInterface
  public interface BatchStreams {
    Source<Batch, UniqueKillSwitch> from(int epoch, long position);
  }

  /** Trainer restarts: backoff between attempts, at most {@code maxRestarts} without a healthy {@code window}. */
  public record RestartPolicy(int maxRestarts, Duration window, Duration minBackoff, Duration maxBackoff) {}

  /**
   * What the trainer does when a checkpoint cannot be written (disk full, storage down): training goes on, and the
   * current state is written again after a backoff doubling from {@code minBackoff} to {@code maxBackoff}, rather
   * than only at the next cadence; after {@code maxConsecutiveFailures} failed writes in a row the run stops, naming
   * the newest good checkpoint, since everything trained after it would be lost on any crash.
   */
  public record CheckpointRetry(int maxConsecutiveFailures, Duration minBackoff, Duration maxBackoff) {
    /** The wait after the {@code failures}-th failure in a row (1 = the first). */
    public Duration backoff(int failures) {
      return new Backoff(minBackoff, maxBackoff).after(failures);
    }
  }

  /**
   * Fault drills. {@code trainerCrashEvery}: the trainer throws before every Nth step, once per step number (so
   * a restarted trainer gets past it).
   */
  public record Faults(long trainerCrashEvery, Set<Long> crashedAtSteps) {
    public static Faults none() {
      return new Faults(0, ConcurrentHashMap.newKeySet());
    }

    public static Faults crashEvery(long steps) {
      return new Faults(steps, ConcurrentHashMap.newKeySet());
    }

    boolean shouldCrashBefore(long step) {
      return trainerCrashEvery > 0 && step > 0 && step % trainerCrashEvery == 0 && crashedAtSteps.add(step);
    }
  }

  /** Thrown by the crash drill; the trainer restarts as after any failure. */
  public static final class InjectedCrash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedCrash(long step) {
      super("injected trainer crash before step " + step + " (faults.trainer-crash-every)");
    }
  }
}
