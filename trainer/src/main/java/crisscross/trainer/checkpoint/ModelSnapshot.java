package crisscross.trainer.checkpoint;

import java.util.ArrayList;

/**
 * The tensors of a run at one step: model parameters, batch-norm buffers and optimiser state (moments, per
 * tensor step counts), each list in a fixed name order.
 */
public record ModelSnapshot(ArrayList<TensorBlob> parameters, ArrayList<TensorBlob> buffers,
    ArrayList<TensorBlob> optimiser) {}
