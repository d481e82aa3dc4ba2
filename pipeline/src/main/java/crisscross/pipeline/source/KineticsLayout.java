package crisscross.pipeline.source;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Kinetics-400 and Kinetics-Sound as distributed: either class folders ({@code train/<class>/*.mp4}, read as a
 * {@link DirectoryLayout}), or the official CSVs {@code label,youtube_id,time_start,time_end,split} (the test CSV
 * may lack {@code label}) with clips named {@code <youtube_id>_<start:06d>_<end:06d>.<ext>} anywhere under the
 * root. Segments whose clip was never downloaded (YouTube removals) are counted as missing, not fatal. The group
 * of a clip is its YouTube id.
 */
final class KineticsLayout {
  private KineticsLayout() {}

  /** CSVs at most two levels down ({@code train.csv}, {@code annotations/val.csv}) with the official columns. */
  static List<String> segmentLists(DataTree tree) {
    return Layouts.find(tree, 2, f -> f.toLowerCase(Locale.ROOT).endsWith(".csv") && isSegmentHeader(
        Layouts.columns(Layouts.firstLine(tree, f))));
  }

  private static boolean isSegmentHeader(List<String> columns) {
    return columns.contains("youtube_id") && columns.contains("time_start") && columns.contains("time_end");
  }

  static Catalog read(DataTree tree, DataSettings settings) {
    List<String> lists = segmentLists(tree);
    if (lists.isEmpty()) {
      return DirectoryLayout.read(tree, settings, Layout.KINETICS);
    }
    FileIndex media = new FileIndex(Layouts.mediaFiles(tree, settings));
    Catalog.Builder catalog = new Catalog.Builder(Layout.KINETICS);
    for (String list : lists) {
      String splitFromName = Layouts.splitFromFileName(list);
      int[] columns = new int[5];
      Layouts.readLines(tree, list, (number, text) -> {
        if (number == 1) {
          List<String> header = Layouts.columns(text);
          columns[0] = header.indexOf("label");
          columns[1] = header.indexOf("youtube_id");
          columns[2] = header.indexOf("time_start");
          columns[3] = header.indexOf("time_end");
          columns[4] = header.indexOf("split");
          return;
        }
        if (text.isBlank()) {
          return;
        }
        List<String> cells = Csv.split(text);
        String youtubeId = Layouts.cell(cells, columns[1]);
        if (youtubeId.isEmpty()) {
          throw Layouts.at(tree, list, number, "empty youtube_id");
        }
        long start = seconds(tree, list, number, Layouts.cell(cells, columns[2]));
        long end = seconds(tree, list, number, Layouts.cell(cells, columns[3]));
        String stem = String.format(Locale.ROOT, "%s_%06d_%06d", youtubeId, start, end);
        List<String> candidates = media.byStem(stem);
        if (candidates.isEmpty()) {
          catalog.missing(stem, tree.describe(list) + ", line " + number);
          return;
        }
        String splitCell = Layouts.cell(cells, columns[4]);
        String split = splitCell.isEmpty() ? splitFromName : Layouts.normalizeSplit(splitCell);
        catalog.add(candidates.get(0), Optional.of(Layouts.cell(cells, columns[0])), split, youtubeId);
      });
    }
    return catalog.build();
  }

  private static long seconds(DataTree tree, String list, int line, String text) {
    try {
      double value = Double.parseDouble(text);
      if (value < 0 || value != Math.rint(value)) {
        throw Layouts.at(tree, list, line, "time '" + text + "' is not a whole number of seconds");
      }
      return (long) value;
    } catch (NumberFormatException e) {
      throw Layouts.at(tree, list, line, "time '" + text + "' is not a number");
    }
  }
}
