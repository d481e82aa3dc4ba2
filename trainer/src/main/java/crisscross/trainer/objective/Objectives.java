package crisscross.trainer.objective;

import crisscross.pipeline.config.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Registry of objectives by configuration name (key {@code objective}): every row of Table 1. */
public final class Objectives {
  private static final Map<String, Supplier<Objective>> REGISTRY = new LinkedHashMap<>();

  static {
    simSiam("v1v2", LossGroup.V1V2);
    simSiam("a1a2", LossGroup.A1A2);
    simSiam("intra", LossGroup.INTRA);
    simSiam("sync", LossGroup.SYNC);
    simSiam("async", LossGroup.ASYNC);
    simSiam("sync+intra", LossGroup.SYNC, LossGroup.INTRA);
    simSiam("sync+async", LossGroup.SYNC, LossGroup.ASYNC);
    simSiam("async+intra", LossGroup.ASYNC, LossGroup.INTRA);
    simSiam("v1v2+sync+async", LossGroup.V1V2, LossGroup.SYNC, LossGroup.ASYNC);
    simSiam("a1a2+sync+async", LossGroup.A1A2, LossGroup.SYNC, LossGroup.ASYNC);
    simSiam("crisscross", LossGroup.INTRA, LossGroup.SYNC, LossGroup.ASYNC);
  }

  private Objectives() {}

  /** The objective registered under {@code name} (case-insensitive); the error lists the known names. */
  public static Objective byName(String name) {
    Supplier<Objective> supplier = REGISTRY.get(name.trim().toLowerCase(Locale.ROOT));
    if (supplier == null) {
      throw new IllegalArgumentException("unknown objective '" + name + "'; known: " + names());
    }
    return supplier.get();
  }

  /** Reads the top-level key {@code objective}. */
  public static Objective from(Settings settings) {
    return byName(settings.choice("objective", names()));
  }

  public static Set<String> names() {
    return REGISTRY.keySet();
  }

  private static void simSiam(String name, LossGroup... groups) {
    REGISTRY.put(name, () -> new SimSiamObjective(name, List.of(groups)));
  }
}
