package crisscross.trainer.model;

import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.config.ExecutionResult;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.FrameIter;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;

/**
 * SameDiff's execution session plus {@link JavaKernelOp}s: such an op's outputs are sized and allocated like any
 * custom op's, then computed in Java instead of by libnd4j; every other op runs as before.
 */
public final class KernelSession extends InferenceSession {
  private static final ThreadLocal<Boolean> PREPARING = ThreadLocal.withInitial(() -> Boolean.FALSE);

  public KernelSession(SameDiff sameDiff) {
    super(sameDiff);
  }

  /**
   * The calling thread's session of {@code graph}'s gradient function (created as SameDiff would on the first
   * gradient computation, if it does not exist yet), made a {@code KernelSession} with memory manager
   * {@code memory} (null: SameDiff's default). Call before each gradient computation on a thread: SameDiff keeps
   * one session per thread.
   */
  public static KernelSession forGradients(SameDiff graph, SessionMemMgr memory) {
    if (graph.getFunction("grad") == null) {
      graph.createGradFunction();
    }
    return install(graph.getFunction("grad"), memory);
  }

  /**
   * Makes the calling thread's session of {@code graph} itself (forward passes: {@code output}) a
   * {@code KernelSession} with memory manager {@code memory} (null: SameDiff's default).
   */
  public static KernelSession install(SameDiff graph, SessionMemMgr memory) {
    Map<Long, InferenceSession> sessions = graph.getSessions();
    long thread = Thread.currentThread().getId();
    InferenceSession current = sessions.get(thread);
    if (current instanceof KernelSession kernels && (memory == null || kernels.getMmgr() == memory)) {
      return kernels;
    }
    KernelSession session = new KernelSession(graph);
    if (memory != null) {
      SessionMemMgr unused = session.getMmgr();
      session.setMmgr(memory);
      unused.close();
    }
    sessions.put(thread, session);
    if (current != null && current.getMmgr() != memory) {
      current.getMmgr().close();
    }
    return session;
  }

  /** Whether the calling thread is inside a KernelSession's op preparation (where Java ops may be sized). */
  static boolean isPreparingOp() {
    return PREPARING.get();
  }

  @Override
  public Pair<SameDiffOp, OpContext> getAndParameterizeOp(String opName, FrameIter frameIter, Set<VarId> opInputs,
      Set<VarId> allIterInputs, Set<String> constAndPhInputs, Map<String, INDArray> placeholderValues,
      Set<String> allReqVariables, Map<String, SDValue> otherPlaceholders) {
    PREPARING.set(Boolean.TRUE);
    try {
      return super.getAndParameterizeOp(opName, frameIter, opInputs, allIterInputs, constAndPhInputs,
          placeholderValues, allReqVariables, otherPlaceholders);
    } finally {
      PREPARING.set(Boolean.FALSE);
    }
  }

  @Override
  public ExecutionResult doExec(DifferentialFunction op, OpContext opContext, FrameIter outputFrameIter,
      Set<VarId> opInputs, Set<VarId> allIterInputs, Set<String> constAndPhInputs,
      Map<String, SDValue> otherPlaceHolders) {
    if (op instanceof JavaKernelOp kernel) {
      kernel.compute(opContext.getInputArrays(), opContext.getOutputArrays());
      return ExecutionResult.createFrom(op, opContext);
    }
    return super.doExec(op, opContext, outputFrameIter, opInputs, allIterInputs, constAndPhInputs,
        otherPlaceHolders);
  }
}
