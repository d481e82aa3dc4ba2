package crisscross.trainer.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything the optimiser carries between steps, as plain data for checkpoints (e.g. Kryo: write the step, then
 * each map as name, dtype, shape and values): the number of completed steps (Adam's t and the schedule position)
 * and Adam's first and second moments per parameter name. Arrays are copies, detached from the optimiser.
 */
public record OptimizerState(long step, Map<String, INDArray> firstMoments, Map<String, INDArray> secondMoments) {
  public OptimizerState {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    firstMoments = Collections.unmodifiableMap(new LinkedHashMap<>(firstMoments));
    secondMoments = Collections.unmodifiableMap(new LinkedHashMap<>(secondMoments));
  }
}
