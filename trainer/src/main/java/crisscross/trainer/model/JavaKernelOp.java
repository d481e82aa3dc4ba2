package crisscross.trainer.model;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;

/**
 * A graph op computed in Java instead of by a libnd4j kernel. SameDiff 1.0.0-M2.1 has no way to add a native
 * kernel, so such ops run only in a {@link KernelSession}, which sizes their outputs with {@link #outputShapes},
 * allocates them from its memory manager and calls {@link #compute}. Subclasses keep every setting in the op's
 * integer and floating-point arguments (restored in {@link #configureFromArguments()}) so SameDiff's graph clone
 * rebuilds them, and register their class ({@link OpClasses}).
 */
public abstract class JavaKernelOp extends DynamicCustomOp {
  /** For SameDiff's reflective cloning. */
  protected JavaKernelOp() {}

  protected JavaKernelOp(SameDiff sameDiff, SDVariable[] inputs) {
    super(null, sameDiff, inputs, false);
  }

  /** Shapes and types of the outputs for these inputs. */
  protected abstract List<LongShapeDescriptor> outputShapes(List<INDArray> inputs);

  /** Writes every element of the outputs (allocated per {@link #outputShapes}, not zeroed). */
  protected abstract void compute(List<INDArray> inputs, List<INDArray> outputs);

  @Override
  public List<LongShapeDescriptor> calculateOutputShape(OpContext context) {
    if (!KernelSession.isPreparingOp()) {
      throw new IllegalStateException("op " + opName() + " (" + getOwnName() + ") is computed in Java and runs only "
          + "in a " + KernelSession.class.getSimpleName() + ": install one with KernelSession.forGradients before "
          + "executing a training graph");
    }
    return outputShapes(context.getInputArrays());
  }

  /** One output unless a subclass says otherwise (libnd4j has no descriptor to ask). */
  @Override
  public int getNumOutputs() {
    return 1;
  }

  /** libnd4j does not know the op, so its hash (the key of SameDiff's op-class table) is computed here. */
  @Override
  public long opHash() {
    return org.nd4j.linalg.util.HashUtil.getLongHash(opName());
  }

  @Override
  public void setPropertiesForFunction(Map<String, Object> properties) {
    // Everything lives in the op arguments, which the clone restores.
  }
}
