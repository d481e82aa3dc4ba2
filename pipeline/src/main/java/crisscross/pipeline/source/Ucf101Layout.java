package crisscross.pipeline.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * UCF101 as distributed (Soomro et al. 2012): videos in class folders ({@code UCF-101/<Class>/v_<Class>_gGG_cCC.avi})
 * and the split files in {@code ucfTrainTestlist/}: {@code classInd.txt} ("1 ApplyEyeMakeup", the class order),
 * {@code trainlist0N.txt} ("Class/v_..._g08_c01.avi 1") and {@code testlist0N.txt}, N = {@code data.fold} (1-3).
 * The group of a clip is its class and group number: the official splits keep a group on one side.
 */
final class Ucf101Layout {
  static final String CLASS_INDEX = "ucfTrainTestlist/classInd.txt";
  private static final Pattern GROUP = Pattern.compile("_g(\\d+)_c\\d+", Pattern.CASE_INSENSITIVE);

  private Ucf101Layout() {}

  static List<String> classIndexes(DataTree tree) {
    return Layouts.find(tree, 3, f -> f.equals(CLASS_INDEX) || f.endsWith("/" + CLASS_INDEX));
  }

  static Catalog read(DataTree tree, DataSettings settings) {
    List<String> indexes = classIndexes(tree);
    if (indexes.size() != 1) {
      throw new DatasetError("UCF101 layout: expected one " + CLASS_INDEX + " under " + tree.describe()
          + ", found " + (indexes.isEmpty() ? "none" : indexes));
    }
    int fold = settings.fold();
    if (fold < 1 || fold > 3) {
      throw new DatasetError("data.fold = " + fold + ", but UCF101 has splits 1, 2 and 3");
    }
    String classIndex = indexes.get(0);
    String listFolder = RelativePaths.parent(classIndex);
    List<String> classOrder = readClassIndex(tree, classIndex);
    Map<String, String> classByLowerName = new HashMap<>();
    for (String name : classOrder) {
      classByLowerName.put(name.toLowerCase(Locale.ROOT), name);
    }
    FileIndex media = new FileIndex(Layouts.mediaFiles(tree, settings));
    Catalog.Builder catalog = new Catalog.Builder(Layout.UCF101).classOrder(classOrder);
    for (String split : List.of("train", "test")) {
      String list = RelativePaths.join(listFolder, split + "list0" + fold + ".txt");
      if (!tree.files().contains(list)) {
        throw new DatasetError("UCF101 layout: " + tree.describe(list) + " is missing (data.fold = " + fold + ")");
      }
      Layouts.readLines(tree, list, (number, text) -> {
        String line = text.strip();
        if (line.isEmpty()) {
          return;
        }
        String listed = line.split("\\s+")[0].replace('\\', '/');
        String className = RelativePaths.parent(listed);
        String label = classByLowerName.get(className.toLowerCase(Locale.ROOT));
        if (className.isEmpty() || label == null) {
          throw Layouts.at(tree, list, number, "'" + listed + "' is not in a class folder listed in "
              + tree.describe(classIndex));
        }
        List<String> candidates = media.byFolderAndName(listed);
        if (candidates.isEmpty()) {
          catalog.missing(listed, tree.describe(list) + ", line " + number);
          return;
        }
        Matcher group = GROUP.matcher(RelativePaths.name(listed));
        catalog.add(candidates.get(0), Optional.of(label), split,
            group.find() ? label + "_g" + group.group(1) : candidates.get(0));
      });
    }
    return catalog.build();
  }

  private static List<String> readClassIndex(DataTree tree, String classIndex) {
    Map<Integer, String> byNumber = new HashMap<>();
    Layouts.readLines(tree, classIndex, (number, text) -> {
      String line = text.strip();
      if (line.isEmpty()) {
        return;
      }
      String[] parts = line.split("\\s+");
      try {
        if (parts.length != 2 || byNumber.put(Integer.parseInt(parts[0]), parts[1]) != null) {
          throw Layouts.at(tree, classIndex, number, "expected '<number> <ClassName>' with unique numbers");
        }
      } catch (NumberFormatException e) {
        throw Layouts.at(tree, classIndex, number, "expected '<number> <ClassName>', got '" + line + "'");
      }
    });
    List<String> order = new ArrayList<>();
    for (int i = 1; i <= byNumber.size(); i++) {
      String name = byNumber.get(i);
      if (name == null) {
        throw new DatasetError(tree.describe(classIndex) + ": class numbers must run 1.." + byNumber.size()
            + " without gaps; " + i + " is missing");
      }
      order.add(name);
    }
    return order;
  }
}
