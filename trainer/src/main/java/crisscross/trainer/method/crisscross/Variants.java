package crisscross.trainer.method.crisscross;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Every loss of Table 1 by its row name (key {@code crisscross.loss}), each a list of {@link LossGroup}s. */
public final class Variants {
  private static final Map<String, List<LossGroup>> LOSSES = new LinkedHashMap<>();

  static {
    LOSSES.put("v1v2", List.of(LossGroup.V1V2));
    LOSSES.put("a1a2", List.of(LossGroup.A1A2));
    LOSSES.put("intra", List.of(LossGroup.INTRA));
    LOSSES.put("sync", List.of(LossGroup.SYNC));
    LOSSES.put("async", List.of(LossGroup.ASYNC));
    LOSSES.put("sync+intra", List.of(LossGroup.SYNC, LossGroup.INTRA));
    LOSSES.put("sync+async", List.of(LossGroup.SYNC, LossGroup.ASYNC));
    LOSSES.put("async+intra", List.of(LossGroup.ASYNC, LossGroup.INTRA));
    LOSSES.put("v1v2+sync+async", List.of(LossGroup.V1V2, LossGroup.SYNC, LossGroup.ASYNC));
    LOSSES.put("a1a2+sync+async", List.of(LossGroup.A1A2, LossGroup.SYNC, LossGroup.ASYNC));
    LOSSES.put("crisscross", List.of(LossGroup.INTRA, LossGroup.SYNC, LossGroup.ASYNC));
  }

  private Variants() {}

  /** The loss groups of row {@code name} (case-insensitive); the error lists the known rows. */
  public static List<LossGroup> loss(String name) {
    List<LossGroup> groups = LOSSES.get(name.trim().toLowerCase(Locale.ROOT));
    if (groups == null) {
      throw new IllegalArgumentException("unknown CrissCross loss '" + name + "'; known: " + names());
    }
    return groups;
  }

  public static Set<String> names() {
    return LOSSES.keySet();
  }
}
