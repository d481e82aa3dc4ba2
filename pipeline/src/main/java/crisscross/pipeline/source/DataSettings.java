package crisscross.pipeline.source;

import crisscross.pipeline.config.Settings;
import crisscross.pipeline.storage.S3Location;
import crisscross.pipeline.storage.S3Settings;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code data.*} keys, validated.
 *
 * @param root a directory, a manifest file (.csv/.jsonl), or {@code s3://bucket/prefix} (possibly a manifest
 *     object); relative local paths are taken from the working directory; may be empty when no dataset is read
 * @param layout how the files are laid out, or {@link Layout#AUTO}
 * @param split train | test | val | all
 * @param fold UCF101/HMDB51 split number (1-3), ESC-50 fold held out as test (0 = none), DCASE fold lists
 * @param extensions lower-case file name endings (without the dot) taken as media when walking a tree
 * @param spoolDir where objects fetched from storage are written while decoded
 * @param s3 object storage access
 */
public record DataSettings(String root, Layout layout, String split, int fold, Set<String> extensions,
    Path spoolDir, S3Settings s3) {

  public static final Set<String> SPLITS = Set.of("train", "test", "val", "all");

  public DataSettings {
    extensions = Set.copyOf(extensions);
  }

  /** {@code data.root} as configured (trimmed): a directory, a manifest or an s3:// prefix; parsed here only. */
  public static String root(Settings settings) {
    return settings.string("data.root").trim();
  }

  public static DataSettings from(Settings settings) {
    String root = root(settings);
    if (S3Location.isS3(root)) {
      try {
        S3Location.parse(root);
      } catch (IllegalArgumentException e) {
        throw settings.invalid("data.root", e.getMessage());
      }
    }
    Layout layout = Layout.fromConfigName(settings.choice("data.layout", Layout.configNames()));
    String split = settings.choice("data.split", SPLITS);
    int fold = settings.integer("data.fold", 0, 10);
    Set<String> extensions = new LinkedHashSet<>();
    for (String extension : settings.strings("data.extensions")) {
      String clean = extension.trim().toLowerCase(Locale.ROOT);
      clean = clean.startsWith(".") ? clean.substring(1) : clean;
      if (clean.isEmpty() || clean.contains("/")) {
        throw settings.invalid("data.extensions", "'" + extension + "' is not a file name ending");
      }
      extensions.add(clean);
    }
    if (extensions.isEmpty()) {
      throw settings.invalid("data.extensions", "must list at least one file name ending");
    }
    String spool = settings.string("data.spool-dir").trim();
    Path spoolDir = spool.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(spool);
    return new DataSettings(root, layout, split, fold, extensions, spoolDir, S3Settings.from(settings));
  }

  /** The same settings reading another root (e.g. an evaluation dataset next to the pretraining one). */
  public DataSettings withRoot(String newRoot) {
    return new DataSettings(newRoot, layout, split, fold, extensions, spoolDir, s3);
  }

  public DataSettings withLayout(Layout newLayout) {
    return new DataSettings(root, newLayout, split, fold, extensions, spoolDir, s3);
  }

  public DataSettings withSplit(String newSplit) {
    if (!SPLITS.contains(newSplit)) {
      throw new IllegalArgumentException("split must be one of " + SPLITS + ": " + newSplit);
    }
    return new DataSettings(root, layout, newSplit, fold, extensions, spoolDir, s3);
  }

  public DataSettings withFold(int newFold) {
    return new DataSettings(root, layout, split, newFold, extensions, spoolDir, s3);
  }

  public boolean isRemote() {
    return S3Location.isS3(root);
  }

  /** Whether a file name ends in one of {@link #extensions}. */
  public boolean isMedia(String path) {
    int dot = path.lastIndexOf('.');
    int slash = path.lastIndexOf('/');
    return dot > slash + 1 && extensions.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
