package crisscross.trainer.model;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.imports.converters.DifferentialFunctionClassHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/**
 * libnd4j's {@code moments} op (mean and biased variance over the given axes, in one pass over the data) in a
 * form that survives SameDiff 1.0.0-M2.1's graph cloning: the stock {@code Moments} class and the legacy
 * {@code variance} op lose their axes or their bias-correction flag when the gradient function clones the graph,
 * so the training step would normalise with different statistics than the forward pass. This class keeps the
 * axes in its integer arguments and is registered for the op name like {@link FusedBatchNorm}. Used only for the
 * batch statistics of a BN layer, whose gradient {@link FusedBatchNorm} already folds into the input gradient,
 * so its own gradient is zero.
 */
public class BatchMoments extends DynamicCustomOp {
  public BatchMoments() {}

  public BatchMoments(SameDiff sameDiff, SDVariable input, int... axes) {
    super(null, sameDiff, new SDVariable[] {input}, false);
    addIArgument(axes);
  }

  /** Makes every graph clone use this class for {@code moments}; idempotent. */
  public static synchronized void register() {
    try {
      Field field = DifferentialFunctionClassHolder.class.getDeclaredField("customOpHashToClass");
      field.setAccessible(true);
      @SuppressWarnings("unchecked")
      Map<Long, Class<?>> classes = (Map<Long, Class<?>>) field.get(DifferentialFunctionClassHolder.getInstance());
      classes.put(new BatchMoments().opHash(), BatchMoments.class);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot register the moments op with this ND4J version", e);
    }
  }

  @Override
  public String opName() {
    return "moments";
  }

  @Override
  public int getNumOutputs() {
    return 2;
  }

  @Override
  public void setPropertiesForFunction(Map<String, Object> properties) {
    // Everything lives in the op arguments, which the clone restores.
  }

  @Override
  public Map<String, Object> propertiesForFunction() {
    return Map.of();
  }

  @Override
  public List<DataType> calculateOutputDataTypes(List<DataType> inputTypes) {
    return List.of(inputTypes.get(0), inputTypes.get(0));
  }

  @Override
  public List<SDVariable> doDiff(List<SDVariable> gradients) {
    // SameDiff 1.0.0-M2.1 needs an array here (null is rejected); the true contribution is zero by construction.
    // A scalar zero, broadcast by the add that sums x's gradients, instead of a zero array of x's size per step.
    return List.of(sameDiff.constant(org.nd4j.linalg.factory.Nd4j.scalar(arg().dataType(), 0)));
  }
}
