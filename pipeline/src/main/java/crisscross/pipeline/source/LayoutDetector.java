package crisscross.pipeline.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recognises a layout by the files each one is distributed with. More than one match is an error that names the
 * evidence, so the user sets {@code data.layout} rather than getting a silent guess.
 */
final class LayoutDetector {
  private LayoutDetector() {}

  static Layout detect(DataTree tree, Optional<String> manifestFile) {
    if (manifestFile.isPresent()) {
      return Layout.MANIFEST;
    }
    Map<Layout, List<String>> evidence = evidence(tree);
    if (evidence.size() > 1) {
      StringBuilder message = new StringBuilder("data.layout = auto: ").append(tree.describe())
          .append(" fits several layouts:");
      evidence.forEach((layout, files) -> message.append(' ').append(layout.configName()).append(" (")
          .append(String.join(", ", files.subList(0, Math.min(2, files.size())))).append(')'));
      throw new DatasetError(message.append("; set data.layout to the one meant").toString());
    }
    return evidence.isEmpty() ? Layout.DIRECTORY : evidence.keySet().iterator().next();
  }

  /** For each layout whose marker files are present, those files. */
  static Map<Layout, List<String>> evidence(DataTree tree) {
    Map<Layout, List<String>> evidence = new LinkedHashMap<>();
    put(evidence, Layout.ESC50, Esc50Layout.metaFiles(tree));
    put(evidence, Layout.UCF101, Ucf101Layout.classIndexes(tree));
    put(evidence, Layout.HMDB51, Hmdb51Layout.splitFiles(tree));
    put(evidence, Layout.KINETICS, KineticsLayout.segmentLists(tree));
    put(evidence, Layout.AUDIOSET, AudioSetLayout.segmentLists(tree));
    put(evidence, Layout.DCASE, DcaseLayout.labelLists(tree));
    put(evidence, Layout.MANIFEST, Layouts.find(tree, 1, ManifestLayout.DEFAULT_NAMES::contains));
    return evidence;
  }

  private static void put(Map<Layout, List<String>> evidence, Layout layout, List<String> files) {
    if (!files.isEmpty()) {
      evidence.put(layout, new ArrayList<>(files));
    }
  }
}
