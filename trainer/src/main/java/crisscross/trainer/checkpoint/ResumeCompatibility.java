package crisscross.trainer.checkpoint;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.LegacyKeys;
import crisscross.trainer.host.NativeKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Whether a run may continue from a checkpoint under the current configuration. Keys that only change how the
 * run is operated (step limits, logging, monitoring, checkpoint cadence, parallelism, drills, where the data and
 * checkpoints live, credentials) may differ; every key that changes what is computed must be equal, and the data
 * must be the same (manifest hash).
 */
public final class ResumeCompatibility {
  /** Key prefixes that may change between a run and its resumption. */
  static final List<String> OPERATIONAL_PREFIXES = List.of("trainer.max-steps", "trainer.log-every",
      "trainer.max-restarts", "trainer.restart-", "monitor.", "checkpoint.", "faults.", "pipeline.workers",
      "pipeline.buffer-batches", "pipeline.decode-timeout", "data.root", "data.s3.", "data.spool-dir");

  private ResumeCompatibility() {}

  /**
   * Keys (full paths) whose values differ and matter, sorted; empty when the run may resume. The stored
   * configuration is read as this version reads configurations: legacy keys in their current form, keys added since
   * at their defaults (which reproduce what the earlier version computed).
   */
  public static List<String> differingKeys(String checkpointConfigJson, Config current) {
    return differingKeys(checkpointConfigJson, current, java.util.Set.of());
  }

  /**
   * As {@link #differingKeys(String, Config)}, ignoring the option blocks of methods the run does not train
   * ({@code inactiveBlocks}, e.g. {@code xdc} for a CrissCross run): they cannot change what it computes, and a
   * checkpoint written before such a block existed must still resume. The selected method itself is compared
   * ({@code method}).
   */
  public static List<String> differingKeys(String checkpointConfigJson, Config current,
      java.util.Set<String> inactiveBlocks) {
    Config stored = LegacyKeys.migrate(ConfigFactory.parseString(checkpointConfigJson), false)
        .withFallback(ConfigLoader.reference()).resolve();
    TreeSet<String> keys = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : stored.entrySet()) {
      keys.add(e.getKey());
    }
    for (Map.Entry<String, ConfigValue> e : current.entrySet()) {
      keys.add(e.getKey());
    }
    List<String> differing = new ArrayList<>();
    for (String key : keys) {
      if (operational(key) || inactiveBlocks.contains(key.substring(0, Math.max(0, key.indexOf('.'))))) {
        continue;
      }
      Object before = stored.hasPathOrNull(key) ? stored.getValue(key).unwrapped() : null;
      Object now = current.hasPathOrNull(key) ? current.getValue(key).unwrapped() : null;
      if (before == null ? now != null : !equal(before, now)) {
        differing.add(key + " (checkpoint: " + render(before) + ", now: " + render(now) + ")");
      }
    }
    return differing;
  }

  /**
   * The one warning line for a run that continues from checkpoint {@code name} on native code other than the one
   * that computed it ({@code recorded}; null for checkpoints that predate the record), or empty when the two compute
   * the same bits. Such a run is valid, only not bit-identical to an uninterrupted run on the first machine.
   */
  public static Optional<String> kernelChange(String name, NativeKernels recorded, NativeKernels current) {
    if (recorded == null) {
      return Optional.of("resuming from checkpoint " + name + ", which does not record the native kernels that "
          + "computed it; continuing on " + current.describe() + " (results may differ in the last bits from an "
          + "uninterrupted run)");
    }
    List<String> differences = recorded.differencesFrom(current);
    if (differences.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("resuming from checkpoint " + name + " on other native kernels (" + String.join("; ",
        differences) + "): the run continues correctly but not bit-identically to an uninterrupted run; start and "
        + "resume with the same ./crisscross --kernel-isa to make them agree");
  }

  private static boolean equal(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return a.equals(b);
  }

  private static boolean operational(String key) {
    for (String prefix : OPERATIONAL_PREFIXES) {
      if (key.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static String render(Object value) {
    return value == null ? "absent" : value.toString();
  }
}
