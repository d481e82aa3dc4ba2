package crisscross.evaluation.run;

/**
 * A dataset named on the command line, {@code NAME=PATH} ({@code esc50=/data/ESC-50}).
 *
 * @param root a directory, a manifest, or {@code s3://bucket/prefix}
 */
public record DatasetSpec(DatasetKind kind, String root) {
  public DatasetSpec {
    if (root == null || root.isBlank()) {
      throw new IllegalArgumentException("dataset " + kind.id() + " needs a path");
    }
  }

  /** Parses {@code NAME=PATH}. */
  public static DatasetSpec parse(String argument) {
    int eq = argument.indexOf('=');
    if (eq <= 0 || eq == argument.length() - 1) {
      throw new IllegalArgumentException("expected NAME=PATH (e.g. esc50=/data/ESC-50), got '" + argument
          + "'; names: " + DatasetKind.names());
    }
    return new DatasetSpec(DatasetKind.byName(argument.substring(0, eq)), argument.substring(eq + 1).trim());
  }

  public String title() {
    return kind.title();
  }
}
