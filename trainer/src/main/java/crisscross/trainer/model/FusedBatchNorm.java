package crisscross.trainer.model;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.imports.converters.DifferentialFunctionClassHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/**
 * libnd4j's fused {@code batchnorm} op with a gradient that works in SameDiff 1.0.0-M2.1.
 *
 * <p>Why: the stock {@code BatchNorm} op loses its axis when SameDiff clones the graph to build the gradient
 * function (the clone is rebuilt from the op name and its properties, and {@code jaxis} is not among them), so
 * backprop throws "axis must be specified". This class keeps the axis in its integer arguments and rebuilds it
 * in {@link #configureFromArguments()}; {@link #register()} makes SameDiff's clone pick this class for the op
 * name {@code batchnorm}.
 *
 * <p>Gradient: libnd4j's {@code batchnorm_bp} returns the full training-mode input gradient (it treats mean
 * and variance as the batch statistics of the input) and zero for the mean and variance inputs, so the batch
 * statistics ({@link BatchMoments}) contribute nothing more and need no stop-gradient op
 * ({@code FusedBatchNormTest} checks against finite differences, the reference check against PyTorch).
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
  public static synchronized void register() {
    try {
      DifferentialFunctionClassHolder holder = DifferentialFunctionClassHolder.getInstance();
      Field field = DifferentialFunctionClassHolder.class.getDeclaredField("customOpHashToClass");
      field.setAccessible(true);
      @SuppressWarnings("unchecked")
      Map<Long, Class<?>> classes = (Map<Long, Class<?>>) field.get(holder);
      classes.put(new FusedBatchNorm().opHash(), FusedBatchNorm.class);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot register the fused batch-norm op with this ND4J version", e);
    }
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

  @Override
  public List<SDVariable> doDiff(List<SDVariable> gradients) {
    SDVariable[] in = args();
    SDVariable[] bpInputs = {in[0], in[1], in[2], in[3], in[4], gradients.get(0)};
    return Arrays.asList(new Gradient(sameDiff, bpInputs, epsilon, axis).outputVariables());
  }

  /** libnd4j's {@code batchnorm_bp}: gradients for x, mean, variance, gamma, beta. */
  public static class Gradient extends DynamicCustomOp {
    public Gradient() {}

    public Gradient(SameDiff sameDiff, SDVariable[] inputs, double epsilon, int axis) {
      super(null, sameDiff, inputs, false);
      addIArgument(1, 1, axis);
      addTArgument(epsilon);
    }

    @Override
    public String opName() {
      return "batchnorm_bp";
    }

    @Override
    public int getNumOutputs() {
      return 5;
    }

    @Override
    public List<DataType> calculateOutputDataTypes(List<DataType> inputTypes) {
      return List.of(inputTypes.get(0), inputTypes.get(1), inputTypes.get(2), inputTypes.get(3),
          inputTypes.get(4));
    }
  }
}
