package crisscross.pipeline.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * AudioSet as distributed (Gemmeke et al. 2017): segment CSVs ({@code balanced_train_segments.csv},
 * {@code unbalanced_train_segments.csv}, {@code eval_segments.csv}) of lines
 * {@code YTID, start_seconds, end_seconds, "label,label"} under a {@code # YTID, ...} comment header. Clips may be
 * named {@code <YTID>_<start>...}, {@code Y<YTID>...} or {@code <YTID>.<ext>}. The label is the first positive
 * label, as its display name when {@code class_labels_indices.csv} is present (then also the class order).
 * The split comes from the CSV's name (eval = test); segments never downloaded are counted as missing.
 */
final class AudioSetLayout {
  private static final int YTID_LENGTH = 11;

  private AudioSetLayout() {}

  static List<String> segmentLists(DataTree tree) {
    return Layouts.find(tree, 2, f -> f.toLowerCase(Locale.ROOT).endsWith(".csv") && isSegmentList(tree, f));
  }

  private static boolean isSegmentList(DataTree tree, String file) {
    for (String line : Layouts.lines(Layouts.head(tree, file))) {
      if (!line.startsWith("#")) {
        return false;
      }
      if (line.replace(" ", "").toLowerCase(Locale.ROOT).startsWith("#ytid,start_seconds")) {
        return true;
      }
    }
    return false;
  }

  private record Segment(String list, int line, String youtubeId, double start, List<String> labels) {}

  static Catalog read(DataTree tree, DataSettings settings) {
    List<String> lists = segmentLists(tree);
    if (lists.isEmpty()) {
      throw new DatasetError("AudioSet layout: no segment CSV ('# YTID, start_seconds, end_seconds, "
          + "positive_labels') under " + tree.describe());
    }
    Map<String, String> names = new HashMap<>();
    List<String> classOrder = readClassIndices(tree, names);
    List<Segment> segments = new ArrayList<>();
    Set<String> wanted = new HashSet<>();
    for (String list : lists) {
      Layouts.readLines(tree, list, (number, text) -> {
        if (text.isBlank() || text.startsWith("#")) {
          return;
        }
        List<String> cells = Csv.split(text);
        if (cells.size() < 4 || cells.get(0).isEmpty()) {
          throw Layouts.at(tree, list, number, "expected 'YTID, start_seconds, end_seconds, \"labels\"'");
        }
        double start;
        try {
          start = Double.parseDouble(cells.get(1));
        } catch (NumberFormatException e) {
          throw Layouts.at(tree, list, number, "start_seconds '" + cells.get(1) + "' is not a number");
        }
        List<String> labels = new ArrayList<>();
        for (String label : cells.get(3).split(",")) {
          if (!label.isBlank()) {
            labels.add(names.getOrDefault(label.strip(), label.strip()));
          }
        }
        segments.add(new Segment(list, number, cells.get(0), start, labels));
        wanted.add(cells.get(0));
      });
    }
    Map<String, List<String>> clipsById = clipsByYoutubeId(Layouts.mediaFiles(tree, settings), wanted);
    Catalog.Builder catalog = new Catalog.Builder(Layout.AUDIOSET).classOrder(classOrder);
    for (Segment segment : segments) {
      List<String> clips = clipsById.getOrDefault(segment.youtubeId(), List.of());
      if (clips.isEmpty()) {
        catalog.missing(segment.youtubeId(), tree.describe(segment.list()) + ", line " + segment.line());
        continue;
      }
      String startTag = "_" + (long) segment.start();
      String clip = clips.stream().filter(c -> RelativePaths.stem(c).contains(startTag)).findFirst()
          .orElse(clips.get(0));
      catalog.add(clip, segment.labels().stream().findFirst(), Layouts.splitFromFileName(segment.list()),
          segment.youtubeId());
    }
    return catalog.build();
  }

  /**
   * Media files by the YouTube id their name starts with ({@code <id>...} or {@code Y<id>...}); only ids that
   * some segment lists are kept, which settles names that fit both readings.
   */
  static Map<String, List<String>> clipsByYoutubeId(List<String> media, Set<String> wanted) {
    Map<String, List<String>> clips = new LinkedHashMap<>();
    for (String file : media) {
      String stem = RelativePaths.stem(file);
      for (int offset = 0; offset <= 1; offset++) {
        if (offset == 1 && !stem.startsWith("Y")) {
          continue;
        }
        if (stem.length() < offset + YTID_LENGTH) {
          continue;
        }
        String id = stem.substring(offset, offset + YTID_LENGTH);
        boolean ends = stem.length() == offset + YTID_LENGTH || "_.".indexOf(stem.charAt(offset + YTID_LENGTH)) >= 0;
        if (ends && wanted.contains(id)) {
          clips.computeIfAbsent(id, k -> new ArrayList<>()).add(file);
          break;
        }
      }
    }
    return clips;
  }

  /** {@code index,mid,display_name}: fills mid to display name and returns the names in index order. */
  private static List<String> readClassIndices(DataTree tree, Map<String, String> names) {
    List<String> files = Layouts.find(tree, 2, f -> RelativePaths.name(f).equals("class_labels_indices.csv"));
    if (files.isEmpty()) {
      return List.of();
    }
    String file = files.get(0);
    Map<Integer, String[]> byIndex = new HashMap<>();
    int[] columns = new int[3];
    Layouts.readLines(tree, file, (number, text) -> {
      if (number == 1) {
        List<String> header = Layouts.columns(text);
        columns[0] = header.indexOf("index");
        columns[1] = header.indexOf("mid");
        columns[2] = header.indexOf("display_name");
        if (columns[0] < 0 || columns[1] < 0 || columns[2] < 0) {
          throw Layouts.at(tree, file, 1, "expected the header 'index,mid,display_name'");
        }
        return;
      }
      if (text.isBlank()) {
        return;
      }
      List<String> cells = Csv.split(text);
      try {
        int index = Integer.parseInt(Layouts.cell(cells, columns[0]));
        String[] midAndName = {Layouts.cell(cells, columns[1]), Layouts.cell(cells, columns[2])};
        if (byIndex.put(index, midAndName) != null) {
          throw Layouts.at(tree, file, number, "index " + index + " appears twice");
        }
      } catch (NumberFormatException e) {
        throw Layouts.at(tree, file, number, "index is not an integer");
      }
    });
    Map<String, Integer> uses = new HashMap<>();
    byIndex.values().forEach(m -> uses.merge(m[1], 1, Integer::sum));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < byIndex.size(); i++) {
      String[] midAndName = byIndex.get(i);
      if (midAndName == null) {
        throw new DatasetError(tree.describe(file) + ": indices must run 0.." + (byIndex.size() - 1)
            + "; " + i + " is missing");
      }
      // A display name shared by two classes would merge them; the MID keeps them apart.
      String name = uses.get(midAndName[1]) > 1 ? midAndName[1] + " (" + midAndName[0] + ")" : midAndName[1];
      names.put(midAndName[0], name);
      order.add(name);
    }
    return order;
  }
}
