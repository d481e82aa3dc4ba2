package crisscross.pipeline.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DCASE-style sound classification sets (Stowell et al. 2015 and later challenges). Labels come from a label list
 * ({@code meta.txt}, {@code labels.csv}...: one {@code filename<TAB or comma>label} per line, an optional header),
 * or, without one, from file names prefixed with their class ({@code bus01.wav}, {@code dog_bark_003.wav}: the
 * name less its trailing number). When {@code fold<N>_train} and {@code fold<N>_evaluate} (or {@code _test})
 * lists exist for N = {@code data.fold}, they define the train and test splits; otherwise there are no splits.
 */
final class DcaseLayout {
  private static final Pattern LABEL_LIST =
      Pattern.compile("(?:.*/)?(meta|labels?|annotations?)\\.(txt|csv|tsv)", Pattern.CASE_INSENSITIVE);
  private static final Pattern FOLD_LIST =
      Pattern.compile("(?:.*/)?fold(\\d+)_(train|test|evaluate)\\.(txt|csv|tsv)", Pattern.CASE_INSENSITIVE);
  private static final Pattern TRAILING_NUMBER = Pattern.compile("^(.*?)[\\s_.-]*\\d+$");
  private static final Set<String> HEADER_WORDS =
      Set.of("filename", "file", "file_name", "fname", "path", "audio_filename", "name");

  private DcaseLayout() {}

  static List<String> labelLists(DataTree tree) {
    return Layouts.find(tree, 2, f -> LABEL_LIST.matcher(f).matches());
  }

  private record Listed(int line, String name, String label) {}

  static Catalog read(DataTree tree, DataSettings settings) {
    List<String> media = Layouts.mediaFiles(tree, settings);
    FileIndex index = new FileIndex(media);
    Map<String, String> labels = new HashMap<>();
    List<String> lists = labelLists(tree);
    if (lists.size() > 1) {
      throw new DatasetError("DCASE layout: several label lists under " + tree.describe() + ": " + lists);
    }
    Catalog.Builder catalog = new Catalog.Builder(Layout.DCASE);
    for (String list : lists) {
      for (Listed listed : readList(tree, list)) {
        Optional<String> file = resolve(index, list, listed.name());
        if (file.isEmpty()) {
          catalog.missing(listed.name(), tree.describe(list) + ", line " + listed.line());
        } else if (!listed.label().isEmpty()) {
          labels.put(file.get(), listed.label());
        }
      }
    }
    Map<String, String> splits = foldSplits(tree, settings.fold(), index, labels);
    List<String> files = splits.isEmpty() ? (lists.isEmpty() ? media : new ArrayList<>(labels.keySet()))
        : new ArrayList<>(splits.keySet());
    for (String file : files) {
      String label = labels.get(file);
      if (label == null && lists.isEmpty()) {
        label = classPrefix(RelativePaths.stem(file));
      }
      catalog.add(file, Optional.ofNullable(label), splits.getOrDefault(file, ""), file);
    }
    return catalog.build();
  }

  /** The class a file name starts with: the name less its trailing number and separator. */
  static String classPrefix(String stem) {
    Matcher m = TRAILING_NUMBER.matcher(stem);
    return m.matches() && !m.group(1).isEmpty() ? m.group(1) : stem;
  }

  private static List<Listed> readList(DataTree tree, String list) {
    List<Listed> listed = new ArrayList<>();
    Layouts.readLines(tree, list, (number, text) -> {
      if (text.isBlank()) {
        return;
      }
      List<String> cells = text.indexOf('\t') >= 0 ? List.of(text.split("\t", -1)) : Csv.split(text);
      String name = cells.get(0).strip();
      if (number == 1 && HEADER_WORDS.contains(name.toLowerCase(Locale.ROOT))) {
        return;
      }
      listed.add(new Listed(number, name, cells.size() > 1 ? cells.get(1).strip() : ""));
    });
    return listed;
  }

  /** A listed name: relative to the list's folder, to the root, or a file name found anywhere. */
  private static Optional<String> resolve(FileIndex index, String list, String name) {
    String clean = name.replace('\\', '/');
    return RelativePaths.normalize(RelativePaths.join(RelativePaths.parent(list), clean)).flatMap(index::path)
        .or(() -> RelativePaths.normalize(clean).flatMap(index::path))
        .or(() -> index.byName(RelativePaths.name(clean)).stream().findFirst());
  }

  /** File to split from the {@code fold<N>_*} lists, empty when there are none for this fold. */
  private static Map<String, String> foldSplits(DataTree tree, int fold, FileIndex index,
      Map<String, String> labels) {
    Map<String, String> splits = new HashMap<>();
    for (String list : Layouts.find(tree, 3, f -> FOLD_LIST.matcher(f).matches())) {
      Matcher m = FOLD_LIST.matcher(list);
      m.matches();
      if (Integer.parseInt(m.group(1)) != fold) {
        continue;
      }
      String split = m.group(2).equalsIgnoreCase("train") ? "train" : "test";
      for (Listed listed : readList(tree, list)) {
        Optional<String> file = resolve(index, list, listed.name());
        if (file.isEmpty()) {
          throw Layouts.at(tree, list, listed.line(), "'" + listed.name() + "' is not among the media files");
        }
        String earlier = splits.put(file.get(), split);
        if (earlier != null && !earlier.equals(split)) {
          throw Layouts.at(tree, list, listed.line(), "'" + listed.name() + "' is in both train and test of fold "
              + fold);
        }
        if (!listed.label().isEmpty()) {
          labels.putIfAbsent(file.get(), listed.label());
        }
      }
    }
    return splits;
  }
}
