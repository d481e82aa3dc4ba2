package crisscross.trainer.model;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.imports.converters.DifferentialFunctionClassHolder;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/**
 * Registers this package's op classes with SameDiff 1.0.0-M2.1's op-class table, so that the graph clone SameDiff
 * makes for the gradient function (a serialise-deserialise round trip keyed by op hash and name) instantiates them
 * rather than the stock class of the same op name, or fails on an op name libnd4j does not know.
 */
final class OpClasses {
  /** The hash SameDiff's serialiser writes for a custom op libnd4j does not know. */
  private static final long UNKNOWN_OP_HASH = 0L;

  private OpClasses() {}

  /** Maps {@code prototype}'s op name to its class; idempotent. */
  static synchronized void register(DynamicCustomOp prototype) {
    DifferentialFunctionClassHolder holder = DifferentialFunctionClassHolder.getInstance();
    if (prototype instanceof JavaKernelOp) {
      // Ops sharing a hash are told apart by name in this second table, which the deserialiser consults first.
      Map<Long, Map<String, Class<?>>> byHashAndName = field(holder, "customOpHashToClasses");
      byHashAndName.computeIfAbsent(UNKNOWN_OP_HASH, h -> new HashMap<>()).put(prototype.opName(),
          prototype.getClass());
    } else {
      Map<Long, Class<?>> byHash = field(holder, "customOpHashToClass");
      byHash.put(prototype.opHash(), prototype.getClass());
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T field(DifferentialFunctionClassHolder holder, String name) {
    try {
      Field field = DifferentialFunctionClassHolder.class.getDeclaredField(name);
      field.setAccessible(true);
      return (T) field.get(holder);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot register ops with this ND4J version (no field " + name + ")", e);
    }
  }
}
