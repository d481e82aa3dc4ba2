package crisscross.pipeline.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** Helpers shared by the layout readers. */
final class Layouts {
  private Layouts() {}

  /** Receives one line of a text file with its 1-based number. */
  @FunctionalInterface
  interface LineHandler {
    void line(int number, String text);
  }

  /** Reads a text file line by line; an I/O error becomes a {@link DatasetError} naming the file. */
  static void readLines(DataTree tree, String relative, LineHandler handler) {
    try (BufferedReader reader = tree.open(relative)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        handler.line(number, number == 1 ? Csv.stripBom(line) : line);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof DatasetError error) {
        throw error;
      }
      throw new DatasetError("cannot read " + tree.describe(relative) + ": " + e.getMessage(), e);
    }
  }

  /** The first line of a text file (BOM removed), or "" if it is empty or unreadable as text. */
  static String firstLine(DataTree tree, String relative) {
    return lines(head(tree, relative)).stream().findFirst().orElse("");
  }

  /** The start of a file, enough for its header and a comment block. */
  static String head(DataTree tree, String relative) {
    try {
      return Csv.stripBom(tree.head(relative, 4096));
    } catch (IOException | RuntimeException e) {
      throw new DatasetError("cannot read " + tree.describe(relative) + ": " + e.getMessage(), e);
    }
  }

  static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\r?\n")) {
      lines.add(line);
    }
    return lines;
  }

  /** Header cells lower-cased, for column lookup. */
  static List<String> columns(String headerLine) {
    List<String> columns = new ArrayList<>();
    for (String cell : Csv.split(headerLine)) {
      columns.add(cell.toLowerCase(Locale.ROOT));
    }
    return columns;
  }

  /** Canonical split names: train, val, test; others lower-cased as they are. */
  static String normalizeSplit(String raw) {
    String split = raw.strip().toLowerCase(Locale.ROOT);
    return switch (split) {
      case "training" -> "train";
      case "validate", "validation", "valid", "dev" -> "val";
      case "testing", "eval", "evaluation", "evaluate" -> "test";
      default -> split;
    };
  }

  /**
   * The split a list file's name implies ({@code eval_segments.csv} = test, {@code validate.csv} = val), or ""
   * when it implies none. Whole words are tried first, so "eval" is not read as "val".
   */
  static String splitFromFileName(String path) {
    String name = RelativePaths.stem(path).toLowerCase(Locale.ROOT);
    for (String word : name.split("[^a-z]+")) {
      String split = normalizeSplit(word);
      if (split.equals("train") || split.equals("val") || split.equals("test")) {
        return split;
      }
    }
    if (name.contains("train")) {
      return "train";
    }
    if (name.contains("test") || name.contains("eval")) {
      return "test";
    }
    return name.contains("val") ? "val" : "";
  }

  /** Files of the tree matching a predicate, at most {@code maxDepth} segments deep. */
  static List<String> find(DataTree tree, int maxDepth, Predicate<String> matches) {
    List<String> found = new ArrayList<>();
    for (String file : tree.files()) {
      if (RelativePaths.depth(file) <= maxDepth && matches.test(file)) {
        found.add(file);
      }
    }
    return found;
  }

  static List<String> mediaFiles(DataTree tree, DataSettings settings) {
    List<String> media = new ArrayList<>();
    for (String file : tree.files()) {
      if (settings.isMedia(file)) {
        media.add(file);
      }
    }
    return media;
  }

  static DatasetError at(DataTree tree, String relative, int line, String problem) {
    return new DatasetError(tree.describe(relative) + ", line " + line + ": " + problem);
  }

  static int column(List<String> columns, String name) {
    return columns.indexOf(name);
  }

  static String cell(List<String> cells, int column) {
    return column >= 0 && column < cells.size() ? cells.get(column) : "";
  }
}
