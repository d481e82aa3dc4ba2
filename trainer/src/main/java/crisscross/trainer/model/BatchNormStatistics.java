package crisscross.trainer.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * PyTorch's running-statistics update of a training-mode BN application: running = (1 - momentum) running +
 * momentum batch, with the unbiased batch variance (n / (n - 1)) for {@code running_var}; momentum 0.1.
 */
public final class BatchNormStatistics {
  public static final double MOMENTUM = 0.1;

  private BatchNormStatistics() {}

  /**
   * PyTorch's initial buffers of BN layers (by name, with their channel counts): {@code running_mean} 0,
   * {@code running_var} 1, {@code num_batches_tracked} an int64 0, in creation order.
   */
  public static Map<String, INDArray> initialBuffers(Map<String, Integer> layers,
      DataType dataType) {
    Map<String, INDArray> buffers = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> bn : layers.entrySet()) {
      buffers.put(bn.getKey() + ".running_mean", Nd4j.zeros(dataType, bn.getValue()));
      buffers.put(bn.getKey() + ".running_var", Nd4j.ones(dataType, bn.getValue()));
      buffers.put(bn.getKey() + ".num_batches_tracked",
          Nd4j.scalar(DataType.LONG, 0L));
    }
    return buffers;
  }

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

  /**
   * The update for every training-mode BN application of a graph, in graph order, from their batch statistics
   * concatenated as [mean, variance] pairs ({@link GraphBuilder#batchNormApplications()}), for a batch of
   * {@code batch} samples. Buffers are named {@code <layer>.running_mean}, {@code <layer>.running_var} and, where
   * present, {@code <layer>.num_batches_tracked} (incremented).
   */
  public static void updateAll(List<GraphBuilder.BatchNormApplication> applications, INDArray statistics, long batch,
      Map<String, INDArray> buffers) {
    long offset = 0;
    for (GraphBuilder.BatchNormApplication a : applications) {
      int channels = a.channels();
      INDArray mean = statistics.get(NDArrayIndex.interval(offset, offset + channels));
      INDArray variance = statistics.get(NDArrayIndex.interval(offset + channels, offset + 2L * channels));
      offset += 2L * channels;
      update(buffers.get(a.layer() + ".running_mean"), buffers.get(a.layer() + ".running_var"), mean, variance,
          batch * a.valuesPerSample());
      INDArray tracked = buffers.get(a.layer() + ".num_batches_tracked");
      if (tracked != null) {
        tracked.putScalar(0, tracked.getLong(0) + 1);
      }
    }
  }
}
