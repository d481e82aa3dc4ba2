package crisscross.evaluation.finetune;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PyTorch's {@code torch.optim.SGD} with momentum, no dampening and no Nesterov term (Appendix E.2, Table S11):
 * {@code d = g + wd * p}; {@code v = d} on a parameter's first step, then {@code v = momentum * v + d};
 * {@code p -= lr * v}. Parameters are updated in place; the velocities live here.
 */
public final class SgdMomentum implements AutoCloseable {
  private final double momentum;
  private final double weightDecay;
  private final Map<String, INDArray> velocity = new HashMap<>();

  public SgdMomentum(double momentum, double weightDecay) {
    if (momentum < 0 || weightDecay < 0) {
      throw new IllegalArgumentException("momentum and weight decay must be >= 0: " + momentum + ", " + weightDecay);
    }
    this.momentum = momentum;
    this.weightDecay = weightDecay;
  }

  /** One update of every parameter that has a gradient; a parameter without one is an error. */
  public void step(Map<String, INDArray> parameters, Map<String, INDArray> gradients, double lr) {
    for (Map.Entry<String, INDArray> e : parameters.entrySet()) {
      INDArray gradient = gradients.get(e.getKey());
      if (gradient == null) {
        throw new IllegalArgumentException("no gradient for parameter " + e.getKey());
      }
      INDArray p = e.getValue();
      INDArray d = gradient.castTo(p.dataType()).dup();
      if (weightDecay != 0) {
        d.addi(p.mul(weightDecay));
      }
      if (momentum != 0) {
        INDArray v = velocity.get(e.getKey());
        if (v == null) {
          v = d.dup();
          velocity.put(e.getKey(), v);
        } else {
          v.muli(momentum).addi(d);
        }
        d.assign(v);
      }
      p.subi(d.muli(lr));
      d.close();
    }
  }

  @Override
  public void close() {
    velocity.values().forEach(INDArray::close);
    velocity.clear();
  }
}
