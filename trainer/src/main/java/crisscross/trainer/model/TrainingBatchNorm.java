package crisscross.trainer.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * Training-mode batch normalisation over the last (channel) axis, optionally fused with the ReLU after it, as a
 * {@link JavaKernelOp} ({@link ChannelBatchNorm} has the arithmetic and the reason). Inputs x, gamma, beta; outputs
 * y, the batch mean and the biased batch variance (for the running statistics). The gradient is the full
 * training-mode one, through the batch statistics; the statistics outputs themselves carry no gradient (they only
 * feed the running averages).
 */
public class TrainingBatchNorm extends JavaKernelOp {
  private double epsilon;
  private boolean relu;

  /** For SameDiff's reflective cloning. */
  public TrainingBatchNorm() {}

  public TrainingBatchNorm(SameDiff sameDiff, SDVariable x, SDVariable gamma, SDVariable beta, double epsilon,
      boolean relu) {
    super(sameDiff, new SDVariable[] {x, gamma, beta});
    this.epsilon = epsilon;
    this.relu = relu;
    addIArgument(relu ? 1 : 0);
    addTArgument(epsilon);
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
  public int getNumOutputs() {
    return 3;
  }

  @Override
  public void configureFromArguments() {
    relu = !iArguments.isEmpty() && iArguments.get(0) != 0;
    epsilon = tArguments.isEmpty() ? 0 : tArguments.get(0);
  }

  @Override
  public Map<String, Object> propertiesForFunction() {
    return Map.of("epsilon", epsilon, "relu", relu);
  }

  @Override
  public List<DataType> calculateOutputDataTypes(List<DataType> inputTypes) {
    return List.of(inputTypes.get(0), inputTypes.get(0), inputTypes.get(0));
  }

  @Override
  protected List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
    INDArray x = inputs.get(0);
    long[] channels = {x.size(x.rank() - 1)};
    return List.of(LongShapeDescriptor.fromShape(x.shape(), x.dataType()),
        LongShapeDescriptor.fromShape(channels, x.dataType()), LongShapeDescriptor.fromShape(channels, x.dataType()));
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
  public static class Gradient extends JavaKernelOp {
    private double epsilon;
    private boolean relu;

    public Gradient() {}

    Gradient(SameDiff sameDiff, SDVariable[] inputs, double epsilon, boolean relu) {
      super(sameDiff, inputs);
      this.epsilon = epsilon;
      this.relu = relu;
      addIArgument(relu ? 1 : 0);
      addTArgument(epsilon);
    }

    @Override
    public String opName() {
      return "crisscross_batchnorm_train_bp";
    }

    @Override
    public int getNumOutputs() {
      return 3;
    }

    @Override
    public void configureFromArguments() {
      relu = !iArguments.isEmpty() && iArguments.get(0) != 0;
      epsilon = tArguments.isEmpty() ? 0 : tArguments.get(0);
    }

    @Override
    public Map<String, Object> propertiesForFunction() {
      return Map.of("epsilon", epsilon, "relu", relu);
    }

    @Override
    public List<DataType> calculateOutputDataTypes(List<DataType> inputTypes) {
      return List.of(inputTypes.get(0), inputTypes.get(0), inputTypes.get(0));
    }

    @Override
    protected List<LongShapeDescriptor> outputShapes(List<INDArray> inputs) {
      INDArray x = inputs.get(0);
      long[] channels = {x.size(x.rank() - 1)};
      return List.of(LongShapeDescriptor.fromShape(x.shape(), x.dataType()),
          LongShapeDescriptor.fromShape(channels, x.dataType()),
          LongShapeDescriptor.fromShape(channels, x.dataType()));
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
