package crisscross.pipeline.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Looks up the media files a list names: by relative path, by file name, by name without extension, or by the
 * last two segments ({@code Class/clip.avi}, case-insensitive) wherever the tree keeps them. Candidates come in
 * sorted order, so the choice among duplicates is deterministic.
 */
final class FileIndex {
  private final Set<String> paths;
  private final Map<String, List<String>> byName = new HashMap<>();
  private final Map<String, List<String>> byStem = new HashMap<>();
  private final Map<String, List<String>> byTail = new HashMap<>();

  FileIndex(List<String> files) {
    this.paths = new HashSet<>(files);
    for (String file : files) {
      byName.computeIfAbsent(RelativePaths.name(file), k -> new ArrayList<>()).add(file);
      byStem.computeIfAbsent(RelativePaths.stem(file), k -> new ArrayList<>()).add(file);
      byTail.computeIfAbsent(tail(file), k -> new ArrayList<>()).add(file);
    }
  }

  private static String tail(String path) {
    String parent = RelativePaths.parent(path);
    String tail = parent.isEmpty() ? RelativePaths.name(path)
        : RelativePaths.name(parent) + "/" + RelativePaths.name(path);
    return tail.toLowerCase(Locale.ROOT);
  }

  boolean contains(String path) {
    return paths.contains(path);
  }

  Optional<String> path(String path) {
    return paths.contains(path) ? Optional.of(path) : Optional.empty();
  }

  List<String> byName(String name) {
    return byName.getOrDefault(name, List.of());
  }

  List<String> byStem(String stem) {
    return byStem.getOrDefault(stem, List.of());
  }

  /** Files whose last two segments are {@code folder/name}, compared without case. */
  List<String> byFolderAndName(String folderAndName) {
    return byTail.getOrDefault(folderAndName.toLowerCase(Locale.ROOT), List.of());
  }

  Set<String> stems() {
    return byStem.keySet();
  }
}
