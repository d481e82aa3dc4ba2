package crisscross.pipeline.source;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** Pure helpers on '/'-separated paths relative to a dataset root. */
final class RelativePaths {
  private RelativePaths() {}

  /**
   * Resolves {@code .}, {@code ..} and repeated separators; empty when the path climbs above the root or names
   * the root itself.
   */
  static Optional<String> normalize(String path) {
    Deque<String> kept = new ArrayDeque<>();
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (kept.isEmpty()) {
          return Optional.empty();
        }
        kept.removeLast();
      } else {
        kept.addLast(segment);
      }
    }
    return kept.isEmpty() ? Optional.empty() : Optional.of(String.join("/", kept));
  }

  /** Number of segments: {@code a.mp4} is 1, {@code train/a.mp4} is 2. */
  static int depth(String path) {
    int depth = 1;
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '/') {
        depth++;
      }
    }
    return depth;
  }

  /** The last segment. */
  static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The last segment without its extension. */
  static String stem(String path) {
    String name = name(path);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** Everything before the last segment ("" at the top). */
  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** {@code parent + "/" + child}, or {@code child} when the parent is the top. */
  static String join(String parent, String child) {
    return parent.isEmpty() ? child : parent + "/" + child;
  }

  /** The first segment. */
  static String first(String path) {
    int slash = path.indexOf('/');
    return slash < 0 ? path : path.substring(0, slash);
  }

  /** Hidden files and folders (".DS_Store", macOS "._clip.mp4" forks, ".git") are never dataset content. */
  static boolean isHidden(String path) {
    for (String segment : path.split("/")) {
      if (segment.startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
