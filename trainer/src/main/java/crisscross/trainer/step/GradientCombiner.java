package crisscross.trainer.step;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one place where a step's gradients meet before the optimiser. A single trainer keeps its own ({@link #LOCAL});
 * data-parallel replicas replace this with an exchange that leaves every replica holding the same combined
 * gradients, so each applies the same update.
 */
@FunctionalInterface
public interface GradientCombiner {
  /**
   * Replaces {@code gradients} (by parameter name, graph layout, dense) in place with the combination over every
   * replica's gradients of optimiser step {@code step} (0-based).
   */
  void combine(long step, Map<String, INDArray> gradients);

  /** One replica: its gradients are the step's. */
  GradientCombiner LOCAL = (step, gradients) -> {};
}
