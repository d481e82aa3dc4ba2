package crisscross.app;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a {@code crisscross compare} was asked to do, as its state file records it: a second run on the same output
 * folder continues the comparison only when it asks for exactly the same.
 *
 * @param methods registered method names, in the order given
 * @param data the pretraining data ({@code --data}), absolute unless an {@code s3://} prefix
 * @param evalData the evaluation dataset as {@code NAME=PATH} ({@code --eval-data}), the path absolute likewise
 * @param maxSteps {@code --max-steps}, or -1 when not given
 * @param configs {@code --config} arguments, in order
 * @param overrides {@code --set} arguments, in order
 */
record ComparePlan(List<String> methods, String data, String evalData, long maxSteps, List<String> configs,
    List<String> overrides) {
  /** {@code --set} keys that compare sets itself for every method. */
  static final List<String> OWN_KEYS = List.of("method", "data.root", "checkpoint.dir");

  ComparePlan {
    methods = List.copyOf(methods);
    configs = List.copyOf(configs);
    overrides = List.copyOf(overrides);
  }

  /**
   * The methods of {@code --methods}, each one of {@code known} (case-insensitive), at least one, none twice; an
   * {@link IllegalArgumentException} names the unknown method and the known ones.
   */
  static List<String> methods(List<String> requested, Set<String> known) {
    Set<String> methods = new LinkedHashSet<>();
    for (String name : requested) {
      String method = name.trim().toLowerCase(Locale.ROOT);
      if (method.isEmpty()) {
        continue;
      }
      if (!known.contains(method)) {
        throw new IllegalArgumentException("--methods: unknown method '" + name.trim() + "'; known: "
            + String.join(", ", known));
      }
      if (!methods.add(method)) {
        throw new IllegalArgumentException("--methods: " + method + " is named twice");
      }
    }
    if (methods.isEmpty()) {
      throw new IllegalArgumentException("--methods: name at least one method; known: " + String.join(", ", known));
    }
    return List.copyOf(methods);
  }

  /** Refuses {@code --set} of a key compare sets for each method itself, naming the option to use instead. */
  static void refuseOwnKeys(List<String> overrides) {
    for (String assignment : overrides) {
      int eq = assignment.indexOf('=');
      String key = (eq < 0 ? assignment : assignment.substring(0, eq)).trim();
      if (OWN_KEYS.contains(key)) {
        throw new IllegalArgumentException("--set " + key + ": compare sets " + key + " for each method itself ("
            + switch (key) {
              case "method" -> "name the methods with --methods";
              case "data.root" -> "give the pretraining data with --data";
              default -> "each method's checkpoints stay in its run directory";
            } + ")");
      }
    }
  }

  /** The options that differ from {@code earlier}'s, each as {@code --option (before: x; now: y)}. */
  List<String> differences(ComparePlan earlier) {
    List<String> differences = new ArrayList<>();
    differ(differences, "--methods", String.join(",", earlier.methods), String.join(",", methods));
    differ(differences, "--data", earlier.data, data);
    differ(differences, "--eval-data", earlier.evalData, evalData);
    differ(differences, "--max-steps", budget(earlier.maxSteps), budget(maxSteps));
    differ(differences, "--config", String.join(" ", earlier.configs), String.join(" ", configs));
    differ(differences, "--set", String.join(" ", earlier.overrides), String.join(" ", overrides));
    return differences;
  }

  private static String budget(long maxSteps) {
    return maxSteps < 0 ? "not given" : Long.toString(maxSteps);
  }

  private static void differ(List<String> differences, String option, String before, String now) {
    if (!before.equals(now)) {
      differences.add(option + " (before: " + (before.isEmpty() ? "none" : before) + "; now: "
          + (now.isEmpty() ? "none" : now) + ")");
    }
  }
}
