package crisscross.trainer.model;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/**
 * libnd4j's fused {@code batchnorm} op, used for inference-mode BN (running statistics); training-mode BN is
 * {@link TrainingBatchNorm}.
 *
 * <p>Why not the stock {@code BatchNorm} class: it loses its axis when SameDiff clones a graph (the clone is
 * rebuilt from the op name and its properties, and {@code jaxis} is not among them). This class keeps the axis in
 * its integer arguments and rebuilds it in {@link #configureFromArguments()}; {@link #register()} makes SameDiff's
 * clone pick this class for the op name {@code batchnorm}.
 */
public class FusedBatchNorm extends DynamicCustomOp {
  private int axis;
  private double epsilon;

  /** For SameDiff's reflective cloning. */
  public FusedBatchNorm() {}

  /** {@code inputs}: x, mean, variance, gamma, beta; normalises along {@code axis} (the channel axis). */
  public FusedBatchNorm(SameDiff sameDiff, SDVariable[] inputs, double epsilon, int axis) {
    super(null, sameDiff, inputs, false);
    this.axis = axis;
    this.epsilon = epsilon;
    addIArgument(1, 1, axis);
    addTArgument(epsilon);
  }

  /** Makes every graph clone use this class for {@code batchnorm}; idempotent, called by the graph builder. */
  public static void register() {
    OpClasses.register(new FusedBatchNorm());
  }

  @Override
  public String opName() {
    return "batchnorm";
  }

  @Override
  public void configureFromArguments() {
    if (iArguments.size() >= 3) {
      axis = iArguments.get(2).intValue();
    }
    if (!tArguments.isEmpty()) {
      epsilon = tArguments.get(0);
    }
  }

  @Override
  public void setPropertiesForFunction(Map<String, Object> properties) {
    // The clone restores everything from the op arguments (configureFromArguments).
  }

  @Override
  public Map<String, Object> propertiesForFunction() {
    return Map.of("axis", axis, "epsilon", epsilon);
  }

  @Override
  public List<DataType> calculateOutputDataTypes(List<DataType> inputTypes) {
    return List.of(inputTypes.get(0));
  }
}
