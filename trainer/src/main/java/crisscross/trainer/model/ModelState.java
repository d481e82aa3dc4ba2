package crisscross.trainer.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The model's weights as plain data for checkpoints: parameters and BN buffers ({@code running_mean},
 * {@code running_var}, {@code num_batches_tracked} as an int64 scalar) by PyTorch name and in PyTorch layout.
 * Arrays are copies, detached from the model.
 */
public record ModelState(Map<String, INDArray> parameters, Map<String, INDArray> buffers) {
  public ModelState {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    buffers = Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
  }
}
