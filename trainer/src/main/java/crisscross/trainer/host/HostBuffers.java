package crisscross.trainer.host;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native buffer of a dense C-order array as a Java buffer indexed like the array's elements, and the
 * host/device bookkeeping around reading and writing it (no-ops on the CPU backend; a GPU backend copies).
 */
public final class HostBuffers {
  private HostBuffers() {}

  /** Whether {@code a} is a dense C-order array starting at its buffer's first element. */
  public static boolean isDense(INDArray a) {
    if (a.offset() != 0 || a.data().length() < a.length()) {
      return false;
    }
    long expected = 1;
    for (int d = a.rank() - 1; d >= 0; d--) {
      if (a.size(d) != 1 && a.stride(d) != expected) {
        return false;
      }
      expected *= a.size(d);
    }
    return true;
  }

  /** @throws IllegalArgumentException naming {@code user} unless {@code a} {@link #isDense is dense} */
  public static void requireDense(INDArray a, String user) {
    if (!isDense(a)) {
      throw new IllegalArgumentException(user + " needs dense C-order arrays, got shape "
          + java.util.Arrays.toString(a.shape()) + " strides " + java.util.Arrays.toString(a.stride()) + " offset "
          + a.offset() + " over a buffer of " + a.data().length());
    }
  }

  public static FloatBuffer floats(INDArray a) {
    return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  public static DoubleBuffer doubles(INDArray a) {
    return a.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
  }

  /** Makes the host copies current before they are read. */
  public static void onHost(INDArray... arrays) {
    for (INDArray a : arrays) {
      Nd4j.getAffinityManager().ensureLocation(a, AffinityManager.Location.HOST);
    }
  }

  /** Marks arrays written through their host buffers, so a GPU backend refreshes its device copies. */
  public static void written(INDArray... arrays) {
    for (INDArray a : arrays) {
      if (a != null) {
        Nd4j.getAffinityManager().tagLocation(a, AffinityManager.Location.HOST);
      }
    }
  }
}
