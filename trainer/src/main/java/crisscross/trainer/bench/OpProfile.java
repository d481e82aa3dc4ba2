package crisscross.trainer.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** A SameDiff listener that sums wall time per op type (conv3d, conv3dnew_bp, batchnorm_bp, ...). */
public final class OpProfile extends BaseListener {
  private final Map<String, long[]> byOp = new TreeMap<>();
  private long started;

  @Override
  public boolean isActive(Operation operation) {
    return true;
  }

  @Override
  public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext context) {
    started = System.nanoTime();
  }

  @Override
  public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext context,
      INDArray[] outputs) {
    long elapsed = System.nanoTime() - started;
    long[] entry = byOp.computeIfAbsent(op.getOp().opName(), k -> new long[2]);
    entry[0] += elapsed;
    entry[1]++;
  }

  public void reset() {
    byOp.clear();
  }

  /** Seconds per op type, largest first, divided by {@code steps}. */
  public Map<String, Double> secondsPerStep(int steps) {
    Map<String, Double> out = new LinkedHashMap<>();
    byOp.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .forEach(e -> out.put(e.getKey(), e.getValue()[0] / 1e9 / steps));
    return out;
  }
}
