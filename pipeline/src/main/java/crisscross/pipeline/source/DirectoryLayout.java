package crisscross.pipeline.source;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A tree of media files. When every file sits inside a first-level folder named like a split ({@code train},
 * {@code val}, {@code test}...), that folder is the split. Below it (or from the top when there are no split
 * folders), when every file of the split sits inside a folder and the tree has at least two such folders, the
 * folder name is the label: {@code <class>/clip.mp4} or {@code train/<class>/clip.mp4} as Kinetics is often
 * unpacked.
 */
final class DirectoryLayout {
  private static final Set<String> SPLIT_FOLDERS =
      Set.of("train", "training", "val", "valid", "validate", "validation", "test", "testing");

  private DirectoryLayout() {}

  static Catalog read(DataTree tree, DataSettings settings, Layout layout) {
    List<String> media = Layouts.mediaFiles(tree, settings);
    if (media.isEmpty()) {
      throw new DatasetError("no media files (" + String.join(", ", settings.extensions().stream().sorted().toList())
          + ") under " + tree.describe() + "; see data.extensions and data.root");
    }
    boolean splitFolders = media.stream().allMatch(
        f -> RelativePaths.depth(f) >= 2 && SPLIT_FOLDERS.contains(RelativePaths.first(f).toLowerCase()));
    // Decided per split: Kinetics' test folder is often flat (no labels) beside class folders for train.
    Set<String> classFolders = new HashSet<>();
    Set<String> flatSplits = new HashSet<>();
    for (String file : media) {
      String split = splitFolders ? RelativePaths.first(file) : "";
      String below = splitFolders ? file.substring(file.indexOf('/') + 1) : file;
      if (RelativePaths.depth(below) >= 2) {
        classFolders.add(RelativePaths.first(below));
      } else {
        flatSplits.add(split);
      }
    }
    Catalog.Builder catalog = new Catalog.Builder(layout);
    for (String file : media) {
      String split = splitFolders ? RelativePaths.first(file) : "";
      String below = splitFolders ? file.substring(file.indexOf('/') + 1) : file;
      boolean labelled = !flatSplits.contains(split) && classFolders.size() >= 2;
      Optional<String> label = labelled ? Optional.of(RelativePaths.first(below)) : Optional.empty();
      catalog.add(file, label, splitFolders ? Layouts.normalizeSplit(split) : "", file);
    }
    return catalog.build();
  }
}
