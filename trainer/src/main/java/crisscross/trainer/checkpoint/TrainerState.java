package crisscross.trainer.checkpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run stands, besides its tensors: enough to continue it bit-identically.
 *
 * @param step optimiser steps taken
 * @param epoch current epoch (0-based)
 * @param positionInEpoch samples of the epoch's order already consumed (trained on or skipped)
 * @param samplesTrained samples that went into optimiser steps, over the whole run
 * @param runSeed seed of every random draw (epoch order, views, augmentation)
 * @param randomStates states of the stateful generators a run keeps (fault injection, ...), by purpose
 * @param termNames names of the loss terms recorded in {@link #history()}
 * @param history recent metric points, oldest first
 * @param skippedByReason samples skipped so far, by {@code SkipReason} label
 */
public record TrainerState(long step, int epoch, long positionInEpoch, long samplesTrained, long runSeed,
    HashMap<String, Long> randomStates, ArrayList<String> termNames, ArrayList<MetricPoint> history,
    HashMap<String, Long> skippedByReason) {

  public static TrainerState initial(long runSeed, List<String> termNames) {
    return new TrainerState(0, 0, 0, 0, runSeed, new HashMap<>(), new ArrayList<>(termNames), new ArrayList<>(),
        new HashMap<>());
  }

  /** Copies the mutable collections so a state handed to the checkpoint writer is never changed under it. */
  public TrainerState snapshot() {
    return new TrainerState(step, epoch, positionInEpoch, samplesTrained, runSeed, new HashMap<>(randomStates),
        new ArrayList<>(termNames), new ArrayList<>(history), new HashMap<>(skippedByReason));
  }

  public Map<String, Long> skipped() {
    return skippedByReason;
  }
}
