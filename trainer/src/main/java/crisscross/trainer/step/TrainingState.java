package crisscross.trainer.step;

import crisscross.trainer.model.ModelState;
import crisscross.trainer.optim.OptimizerState;

/**
 * Everything needed to continue training bit-identically: parameters and BN buffers, Adam moments and the step
 * counter (which is also the schedule position). Plain data; a checkpoint writer serialises the maps of both
 * parts (name, dtype, shape, values) and the step.
 */
public record TrainingState(ModelState model, OptimizerState optimizer) {
  public long step() {
    return optimizer.step();
  }
}
