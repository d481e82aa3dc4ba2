package crisscross.trainer.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch's running-statistics update of a training-mode BN application: running = (1 - momentum) running +
 * momentum batch, with the unbiased batch variance (n / (n - 1)) for {@code running_var}; momentum 0.1.
 */
public final class BatchNormStatistics {
  public static final double MOMENTUM = 0.1;

  private BatchNormStatistics() {}

  /**
   * Updates {@code runningMean} and {@code runningVar} in place.
   *
   * @param batchVariance biased variance of the batch
   * @param count values per channel the batch statistics were computed over (n >= 2)
   */
  public static void update(INDArray runningMean, INDArray runningVar, INDArray batchMean, INDArray batchVariance,
      long count) {
    if (count < 2) {
      throw new IllegalArgumentException("batch normalisation in training mode needs more than one value per "
          + "channel, got " + count);
    }
    double unbiased = (double) count / (count - 1);
    runningMean.muli(1 - MOMENTUM).addi(batchMean.castTo(runningMean.dataType()).mul(MOMENTUM));
    runningVar.muli(1 - MOMENTUM).addi(batchVariance.castTo(runningVar.dataType()).mul(MOMENTUM * unbiased));
  }
}
