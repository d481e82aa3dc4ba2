package crisscross.trainer.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training-mode batch normalisation over the last (channel) axis, optionally fused with the ReLU after it, as a
 * {@link JavaKernelOp} ({@link ChannelBatchNorm} has the arithmetic and the reason). Inputs x, gamma, beta; outputs
 * y, the batch mean and the biased batch variance (for the running statistics). The gradient is the full
 * training-mode one, through the batch statistics; the statistics outputs themselves carry no gradient (they only
 * feed the running averages).
 */
public class TrainingBatchNorm extends ChannelBatchNormOp {
  /** For SameDiff's reflective cloning. */
  public TrainingBatchNorm() {}

  public TrainingBatchNorm(SameDiff sameDiff, SDVariable x, SDVariable gamma, SDVariable beta, double epsilon,
      boolean relu) {
    super(sameDiff, new SDVariable[] {x, gamma, beta}, epsilon, relu);
  }

  /** Makes graph clones use this class and its gradient; idempotent. */
  static void register() {
    OpClasses.register(new TrainingBatchNorm());
    OpClasses.register(new Gradient());
  }

  @Override
  public String opName() {
    return "crisscross_batchnorm_train";
  }

  @Override
  protected void compute(List<INDArray> in, List<INDArray> out) {
    ChannelBatchNorm.forward(in.get(0), in.get(1), in.get(2), epsilon, relu, out.get(0), out.get(1), out.get(2));
  }

  @Override
  public List<SDVariable> doDiff(List<SDVariable> gradients) {
    SDVariable[] args = args();
    SDVariable[] outputs = outputVariables();
    List<SDVariable> inputs = new ArrayList<>(List.of(args[0], args[1], outputs[1], outputs[2]));
    if (relu) {
      inputs.add(outputs[0]);
    }
    inputs.add(gradients.get(0));
    return Arrays.asList(new Gradient(sameDiff, inputs.toArray(SDVariable[]::new), epsilon, relu).outputVariables());
  }

  /** Inputs x, gamma, mean, variance, [y when fused with ReLU], dL/dy; outputs dL/dx, dL/dgamma, dL/dbeta. */
  public static class Gradient extends ChannelBatchNormOp {
    public Gradient() {}

    Gradient(SameDiff sameDiff, SDVariable[] inputs, double epsilon, boolean relu) {
      super(sameDiff, inputs, epsilon, relu);
    }

    @Override
    public String opName() {
      return "crisscross_batchnorm_train_bp";
    }

    @Override
    protected void compute(List<INDArray> in, List<INDArray> out) {
      INDArray y = relu ? in.get(4) : null;
      INDArray dy = in.get(in.size() - 1);
      ChannelBatchNorm.backward(in.get(0), in.get(1), in.get(2), in.get(3), y, dy, epsilon, relu, out.get(0),
          out.get(1), out.get(2));
    }
  }
}
