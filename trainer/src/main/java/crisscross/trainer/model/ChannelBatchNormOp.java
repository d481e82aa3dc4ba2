package crisscross.trainer.model;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * What {@link TrainingBatchNorm} and its gradient share: epsilon and the fused-ReLU flag (kept in the op arguments
 * for SameDiff's graph clone), and three outputs shaped like x, [C] and [C].
 */
abstract class ChannelBatchNormOp extends JavaKernelOp {
  protected double epsilon;
  protected boolean relu;

  ChannelBatchNormOp() {}

  ChannelBatchNormOp(SameDiff sameDiff, SDVariable[] inputs, double epsilon, boolean relu) {
    super(sameDiff, inputs);
    this.epsilon = epsilon;
    this.relu = relu;
    addIArgument(relu ? 1 : 0);
    addTArgument(epsilon);
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
}
