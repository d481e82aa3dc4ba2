package crisscross.trainer.actor;

import crisscross.trainer.checkpoint.CheckpointManifest;
import crisscross.trainer.checkpoint.TrainerState;
import java.util.Optional;

/**
 * How a run ended.
 *
 * @param finalState where the trainer stood (empty when it failed before reporting)
 * @param checkpoint the checkpoint written at the end, or the last good one when the run failed
 */
public record RunOutcome(Status status, String message, Optional<TrainerState> finalState,
    Optional<CheckpointManifest> checkpoint, long restarts) {

  public enum Status {
    /** Every epoch was trained. */
    COMPLETED,
    /** Stopped at {@code trainer.max-steps}. */
    MAX_STEPS,
    /** Stopped on request (signal or monitor) after a final checkpoint. */
    STOPPED,
    /** The trainer kept failing; the run gave up. */
    FAILED
  }

  public boolean succeeded() {
    return status != Status.FAILED;
  }
}
