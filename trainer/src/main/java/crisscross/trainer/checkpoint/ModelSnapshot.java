package crisscross.trainer.checkpoint;

import java.util.ArrayList;

/**
 * The tensors of a run at one step: model parameters, batch-norm buffers, optimiser state (moments, per tensor step
 * counts) and the method's own state (queues, cluster assignments; empty for stateless methods), each list in a
 * fixed name order.
 */
public record ModelSnapshot(ArrayList<TensorBlob> parameters, ArrayList<TensorBlob> buffers,
    ArrayList<TensorBlob> optimiser, ArrayList<TensorBlob> method) {
  public ModelSnapshot {
    method = method == null ? new ArrayList<>() : method;
  }

  /** A snapshot of a stateless method. */
  public ModelSnapshot(ArrayList<TensorBlob> parameters, ArrayList<TensorBlob> buffers,
      ArrayList<TensorBlob> optimiser) {
    this(parameters, buffers, optimiser, new ArrayList<>());
  }
}
