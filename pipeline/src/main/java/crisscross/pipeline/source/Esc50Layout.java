package crisscross.pipeline.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * ESC-50 as distributed (Piczak 2015): {@code meta/esc50.csv} with
 * {@code filename,fold,target,category,esc10,src_file,take} and the clips in {@code audio/}. The fold equal to
 * {@code data.fold} is the test split, the others train ({@code data.fold = 0}: all train). Classes are ordered by
 * {@code target}; the group is {@code src_file}, since clips cut from one recording must stay on one side.
 */
final class Esc50Layout {
  static final String META = "meta/esc50.csv";

  private Esc50Layout() {}

  static List<String> metaFiles(DataTree tree) {
    return Layouts.find(tree, 3, f -> f.equals(META) || f.endsWith("/" + META));
  }

  static Catalog read(DataTree tree, DataSettings settings) {
    List<String> metas = metaFiles(tree);
    if (metas.size() != 1) {
      throw new DatasetError("ESC-50 layout: expected one " + META + " under " + tree.describe() + ", found "
          + (metas.isEmpty() ? "none" : metas));
    }
    int heldOut = settings.fold();
    if (heldOut > 5) {
      throw new DatasetError("data.fold = " + heldOut + ", but ESC-50 has folds 1-5 (0 = no test fold)");
    }
    String meta = metas.get(0);
    String audioFolder = RelativePaths.join(RelativePaths.parent(RelativePaths.parent(meta)), "audio");
    FileIndex media = new FileIndex(Layouts.mediaFiles(tree, settings));
    Catalog.Builder catalog = new Catalog.Builder(Layout.ESC50);
    TreeMap<Integer, String> classByTarget = new TreeMap<>();
    int[] columns = new int[5];
    Layouts.readLines(tree, meta, (number, text) -> {
      if (number == 1) {
        List<String> header = Layouts.columns(text);
        String[] required = {"filename", "fold", "target", "category"};
        for (int i = 0; i < required.length; i++) {
          columns[i] = header.indexOf(required[i]);
          if (columns[i] < 0) {
            throw Layouts.at(tree, meta, 1, "missing column '" + required[i] + "' (header " + header + ")");
          }
        }
        columns[4] = header.indexOf("src_file");
        return;
      }
      if (text.isBlank()) {
        return;
      }
      List<String> cells = Csv.split(text);
      String filename = Layouts.cell(cells, columns[0]);
      int fold = integer(tree, meta, number, "fold", Layouts.cell(cells, columns[1]));
      int target = integer(tree, meta, number, "target", Layouts.cell(cells, columns[2]));
      String category = Layouts.cell(cells, columns[3]);
      String previous = classByTarget.putIfAbsent(target, category);
      if (previous != null && !previous.equals(category)) {
        throw Layouts.at(tree, meta, number, "target " + target + " is '" + category + "' here but '" + previous
            + "' earlier");
      }
      Optional<String> file = media.path(RelativePaths.join(audioFolder, filename))
          .or(() -> media.byName(filename).stream().findFirst());
      if (file.isEmpty()) {
        catalog.missing(filename, tree.describe(meta) + ", line " + number);
        return;
      }
      String srcFile = Layouts.cell(cells, columns[4]);
      catalog.add(file.get(), Optional.of(category), heldOut != 0 && fold == heldOut ? "test" : "train",
          srcFile.isEmpty() ? file.get() : srcFile);
    });
    if (classByTarget.values().stream().distinct().count() != classByTarget.size()) {
      throw new DatasetError(tree.describe(meta) + ": one category has several targets");
    }
    return catalog.classOrder(new ArrayList<>(classByTarget.values())).build();
  }

  private static int integer(DataTree tree, String meta, int line, String column, String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw Layouts.at(tree, meta, line, column + " '" + text + "' is not an integer");
    }
  }
}
