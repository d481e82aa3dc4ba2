package crisscross.pipeline.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A list of samples: CSV with a header naming {@code path} (or {@code key}), optionally {@code label},
 * {@code split} and {@code group}; or JSONL with one object per line carrying the same fields. Paths are relative
 * to the manifest's folder, or absolute inside it; an entry that escapes it ({@code ..}, an absolute path
 * elsewhere, a symbolic link leading out) is refused with the manifest's name and line. Listed files that do not
 * exist are counted as missing, as for the published layouts.
 */
final class ManifestLayout {
  static final List<String> DEFAULT_NAMES = List.of("manifest.csv", "manifest.jsonl");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestLayout() {}

  static boolean isManifestName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".csv") || lower.endsWith(".jsonl");
  }

  /** The manifest to read: the file the root named, else {@code manifest.csv|jsonl} at the top of the tree. */
  static String locate(DataTree tree, Optional<String> named) {
    if (named.isPresent()) {
      return named.get();
    }
    List<String> found = Layouts.find(tree, 1, f -> DEFAULT_NAMES.contains(f));
    if (found.size() != 1) {
      throw new DatasetError("data.layout = manifest: " + tree.describe() + (found.isEmpty()
          ? " has no manifest.csv or manifest.jsonl; point data.root at the manifest file"
          : " has both manifest.csv and manifest.jsonl; point data.root at the one to read"));
    }
    return found.get(0);
  }

  static Catalog read(DataTree tree, DataSettings settings, Optional<String> named) {
    String manifest = locate(tree, named);
    FileIndex files = new FileIndex(tree.files());
    Catalog.Builder catalog = new Catalog.Builder(Layout.MANIFEST);
    Map<String, Integer> seen = new HashMap<>();
    EntrySink sink = (line, path, label, split, group) -> {
      if (path.isBlank()) {
        throw Layouts.at(tree, manifest, line, "empty path");
      }
      String id;
      try {
        id = tree.resolveEntry(path.strip());
      } catch (IllegalArgumentException e) {
        throw Layouts.at(tree, manifest, line, e.getMessage());
      }
      Integer earlier = seen.putIfAbsent(id, line);
      if (earlier != null) {
        throw Layouts.at(tree, manifest, line, "'" + id + "' is listed again (first at line " + earlier + ")");
      }
      if (id.equals(manifest)) {
        throw Layouts.at(tree, manifest, line, "the manifest lists itself");
      }
      if (!files.contains(id)) {
        catalog.missing(id, tree.describe(manifest) + ", line " + line);
        return;
      }
      catalog.add(id, Optional.ofNullable(label), split == null ? "" : Layouts.normalizeSplit(split),
          group == null || group.isBlank() ? id : group.strip());
    };
    if (manifest.toLowerCase(Locale.ROOT).endsWith(".jsonl")) {
      readJsonLines(tree, manifest, sink);
    } else {
      readCsv(tree, manifest, sink);
    }
    return catalog.build();
  }

  @FunctionalInterface
  private interface EntrySink {
    void entry(int line, String path, String label, String split, String group);
  }

  private static void readCsv(DataTree tree, String manifest, EntrySink sink) {
    int[] columns = new int[4];
    Layouts.readLines(tree, manifest, (number, text) -> {
      if (number == 1) {
        List<String> header = Layouts.columns(text);
        columns[0] = header.contains("path") ? header.indexOf("path") : header.indexOf("key");
        if (columns[0] < 0 || (header.contains("path") && header.contains("key"))) {
          throw Layouts.at(tree, manifest, 1, "the header must name exactly one of 'path' or 'key' (found "
              + header + ")");
        }
        columns[1] = header.indexOf("label");
        columns[2] = header.indexOf("split");
        columns[3] = header.indexOf("group");
        return;
      }
      if (text.isBlank()) {
        return;
      }
      List<String> cells = Csv.split(text);
      sink.entry(number, Layouts.cell(cells, columns[0]), Layouts.cell(cells, columns[1]),
          Layouts.cell(cells, columns[2]), Layouts.cell(cells, columns[3]));
    });
  }

  private static void readJsonLines(DataTree tree, String manifest, EntrySink sink) {
    Layouts.readLines(tree, manifest, (number, text) -> {
      if (text.isBlank()) {
        return;
      }
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw Layouts.at(tree, manifest, number, "not a JSON object: " + e.getOriginalMessage());
      }
      if (node == null || !node.isObject()) {
        throw Layouts.at(tree, manifest, number, "not a JSON object");
      }
      String path = text(node, "path");
      String key = text(node, "key");
      if ((path == null) == (key == null)) {
        throw Layouts.at(tree, manifest, number, "needs exactly one of \"path\" or \"key\"");
      }
      sink.entry(number, path != null ? path : key, text(node, "label"), text(node, "split"), text(node, "group"));
    });
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }
}
