package crisscross.trainer.monitor;

import java.util.concurrent.CompletionStage;

/** The control actions operators may take through the monitor (token required). */
public interface RunControl {
  /** Writes a checkpoint after the current step; completes with a description of it. */
  CompletionStage<String> requestCheckpoint();

  /** Finishes the current step, writes a checkpoint and stops the run; completes when accepted. */
  CompletionStage<String> requestStop();
}
