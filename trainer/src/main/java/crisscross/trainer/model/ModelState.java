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

  /** Copies values by name into {@code target}'s arrays; each must be present with the target's shape. */
  static void copyInto(Map<String, INDArray> target, Map<String, INDArray> source, String what) {
    for (Map.Entry<String, INDArray> e : target.entrySet()) {
      INDArray value = source.get(e.getKey());
      if (value == null) {
        throw new IllegalArgumentException("state has no " + what + " " + e.getKey());
      }
      if (value.length() != e.getValue().length()
          || (value.rank() > 0 && !java.util.Arrays.equals(value.shape(), e.getValue().shape()))) {
        throw new IllegalArgumentException(what + " " + e.getKey() + ": expected shape "
            + java.util.Arrays.toString(e.getValue().shape()) + ", got " + java.util.Arrays.toString(value.shape()));
      }
      e.getValue().assign(value.reshape(e.getValue().shape()).castTo(e.getValue().dataType()));
    }
  }

}
