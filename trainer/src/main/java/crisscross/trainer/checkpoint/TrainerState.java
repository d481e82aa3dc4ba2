package crisscross.trainer.checkpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Where a run stands, besides its tensors: enough to continue it bit-identically, and to prove what it consumed.
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
 * @param consumedVisits visits of the epoch orders consumed so far (trained or skipped), over the whole run
 * @param consumptionDigest a hash chained over every consumed batch's span, sample indices and skipped positions,
 *     in order: two runs consumed the same visits in the same order iff their digests are equal
 */
public record TrainerState(long step, int epoch, long positionInEpoch, long samplesTrained, long runSeed,
    HashMap<String, Long> randomStates, ArrayList<String> termNames, ArrayList<MetricPoint> history,
    HashMap<String, Long> skippedByReason, long consumedVisits, long consumptionDigest) {

  public static TrainerState initial(long runSeed, List<String> termNames) {
    return new TrainerState(0, 0, 0, 0, runSeed, new HashMap<>(), new ArrayList<>(termNames), new ArrayList<>(),
        new HashMap<>(), 0, 0);
  }

  /** The state after consuming one more span of an epoch's order. */
  public TrainerState advanced(long newStep, int newEpoch, long newPosition, long trainedSamples,
      HashMap<String, Long> skipped, long visits, long digest) {
    return new TrainerState(newStep, newEpoch, newPosition, samplesTrained + trainedSamples, runSeed,
        randomStates, termNames, history, skipped, consumedVisits + visits, digest);
  }

  /** A deep copy whose history is {@code recent}, for a checkpoint. */
  public TrainerState withHistory(List<MetricPoint> recent) {
    return new TrainerState(step, epoch, positionInEpoch, samplesTrained, runSeed, new HashMap<>(randomStates),
        new ArrayList<>(termNames), new ArrayList<>(recent), new HashMap<>(skippedByReason), consumedVisits,
        consumptionDigest);
  }
}
