package crisscross.pipeline.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HMDB51 as distributed (Kuehne et al. 2011): videos in class folders and, per class and split N (1-3,
 * {@code data.fold}), {@code <class>_test_splitN.txt} with one "clip.avi mark" per line: 1 train, 2 test, 0 not
 * used in that split (left out).
 */
final class Hmdb51Layout {
  static final Pattern SPLIT_FILE = Pattern.compile("(?:.*/)?(.+)_test_split([1-3])\\.txt");

  private Hmdb51Layout() {}

  static List<String> splitFiles(DataTree tree) {
    return Layouts.find(tree, 3, f -> SPLIT_FILE.matcher(f).matches());
  }

  static Catalog read(DataTree tree, DataSettings settings) {
    int fold = settings.fold();
    if (fold < 1 || fold > 3) {
      throw new DatasetError("data.fold = " + fold + ", but HMDB51 has splits 1, 2 and 3");
    }
    List<String> lists = new ArrayList<>();
    TreeSet<String> classes = new TreeSet<>();
    for (String file : splitFiles(tree)) {
      Matcher m = SPLIT_FILE.matcher(file);
      if (m.matches() && Integer.parseInt(m.group(2)) == fold) {
        lists.add(file);
        if (!classes.add(m.group(1))) {
          throw new DatasetError("HMDB51 layout: two split files for class '" + m.group(1) + "' and split " + fold
              + " under " + tree.describe());
        }
      }
    }
    if (lists.isEmpty()) {
      throw new DatasetError("HMDB51 layout: no <class>_test_split" + fold + ".txt files under " + tree.describe());
    }
    FileIndex media = new FileIndex(Layouts.mediaFiles(tree, settings));
    Catalog.Builder catalog = new Catalog.Builder(Layout.HMDB51).classOrder(List.copyOf(classes));
    for (String list : lists) {
      Matcher m = SPLIT_FILE.matcher(list);
      m.matches();
      String label = m.group(1);
      Layouts.readLines(tree, list, (number, text) -> {
        String line = text.strip();
        if (line.isEmpty()) {
          return;
        }
        String[] parts = line.split("\\s+");
        if (parts.length != 2 || !parts[1].matches("[012]")) {
          throw Layouts.at(tree, list, number, "expected '<clip> <0|1|2>', got '" + line + "'");
        }
        if (parts[1].equals("0")) {
          return;
        }
        List<String> candidates = media.byFolderAndName(label + "/" + parts[0]);
        if (candidates.isEmpty()) {
          candidates = media.byName(parts[0]);
        }
        if (candidates.isEmpty()) {
          catalog.missing(label + "/" + parts[0], tree.describe(list) + ", line " + number);
          return;
        }
        catalog.add(candidates.get(0), Optional.of(label), parts[1].equals("1") ? "train" : "test",
            candidates.get(0));
      });
    }
    return catalog.build();
  }
}
