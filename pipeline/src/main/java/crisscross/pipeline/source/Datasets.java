package crisscross.pipeline.source;

import crisscross.pipeline.config.ConfigError;
import crisscross.pipeline.storage.S3Location;
import crisscross.pipeline.storage.S3Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a dataset as configured by {@code data.*}: finds the root (directory, manifest file, {@code s3://}
 * prefix or manifest object), detects or applies the layout, selects the split, and orders the samples
 * canonically (sorted by id; an id is the file's path relative to the root).
 *
 * <p>When the layout defines no splits (a plain folder, a manifest without a {@code split} column),
 * {@code data.split} selects every sample. When it does, samples without a split are only in {@code all}.
 */
public final class Datasets {
  private static final Logger LOG = LoggerFactory.getLogger(Datasets.class);

  private Datasets() {}

  /** Opens the dataset, creating (and closing) an S3 client when the root is in a bucket. */
  public static Dataset open(DataSettings settings) {
    if (settings.isRemote()) {
      try (S3Storage storage = S3Storage.open(settings.s3())) {
        return open(settings, storage);
      }
    }
    return open(settings, null);
  }

  /** Opens the dataset with a given S3 client ({@code null} allowed for local roots). */
  public static Dataset open(DataSettings settings, S3Storage storage) {
    String root = settings.root();
    if (root.isEmpty()) {
      throw new ConfigError("configuration key 'data.root' is empty; set it to a directory, a manifest "
          + "(.csv or .jsonl) or s3://bucket/prefix");
    }
    DataTree tree;
    Optional<String> manifestFile = Optional.empty();
    if (S3Location.isS3(root)) {
      if (storage == null) {
        throw new IllegalArgumentException("an S3 client is needed to open " + root);
      }
      S3Location location = S3Location.parse(root);
      if (ManifestLayout.isManifestName(location.name())) {
        tree = new S3DataTree(storage, location.parent(), settings.spoolDir());
        manifestFile = Optional.of(location.name());
        if (!tree.files().contains(manifestFile.get())) {
          throw new DatasetError("data.root: manifest " + root + " does not exist");
        }
      } else {
        tree = new S3DataTree(storage, location, settings.spoolDir());
      }
    } else {
      Path path = Path.of(root).toAbsolutePath().normalize();
      if (Files.isRegularFile(path)) {
        if (!ManifestLayout.isManifestName(path.getFileName().toString())) {
          throw new DatasetError("data.root: " + path + " is a file but not a manifest (.csv or .jsonl)");
        }
        tree = new LocalDataTree(path.getParent());
        manifestFile = Optional.of(path.getFileName().toString());
      } else if (Files.isDirectory(path)) {
        tree = new LocalDataTree(path);
      } else {
        throw new DatasetError("data.root: " + path + " does not exist");
      }
    }
    Layout layout = settings.layout() == Layout.AUTO ? LayoutDetector.detect(tree, manifestFile)
        : settings.layout();
    if (manifestFile.isPresent() && layout != Layout.MANIFEST) {
      throw new DatasetError("data.root names the file " + root + ", which only data.layout = manifest (or auto) "
          + "reads; point data.root at the dataset's folder for the " + layout.configName() + " layout");
    }
    Catalog catalog = read(layout, tree, settings, manifestFile);
    Dataset dataset = assemble(root, layout, settings.split(), tree, catalog);
    LOG.info("{}", dataset.summary());
    return dataset;
  }

  private static Catalog read(Layout layout, DataTree tree, DataSettings settings, Optional<String> manifest) {
    return switch (layout) {
      case DIRECTORY -> DirectoryLayout.read(tree, settings, Layout.DIRECTORY);
      case MANIFEST -> ManifestLayout.read(tree, settings, manifest);
      case KINETICS -> KineticsLayout.read(tree, settings);
      case UCF101 -> Ucf101Layout.read(tree, settings);
      case HMDB51 -> Hmdb51Layout.read(tree, settings);
      case ESC50 -> Esc50Layout.read(tree, settings);
      case DCASE -> DcaseLayout.read(tree, settings);
      case AUDIOSET -> AudioSetLayout.read(tree, settings);
      case AUTO -> throw new IllegalStateException("layout must be resolved before reading");
    };
  }

  /** Selects the split, orders by id, numbers the samples and hashes the list. */
  static Dataset assemble(String root, Layout layout, String split, DataTree tree, Catalog catalog) {
    List<Catalog.Entry> entries = new ArrayList<>(catalog.entries());
    entries.sort(Comparator.comparing(Catalog.Entry::id));
    List<Catalog.Entry> unique = new ArrayList<>();
    int duplicates = 0;
    for (Catalog.Entry entry : entries) {
      if (!unique.isEmpty() && unique.get(unique.size() - 1).id().equals(entry.id())) {
        duplicates++;
      } else {
        unique.add(entry);
      }
    }
    if (duplicates > 0) {
      LOG.warn("{}: {} files are listed more than once; each is kept once (its first listing)", root, duplicates);
    }
    List<String> classNames = classNames(unique, catalog.classOrder(), root);
    boolean hasSplits = unique.stream().anyMatch(e -> !e.split().isEmpty());
    List<SampleRef> samples = new ArrayList<>();
    for (Catalog.Entry entry : unique) {
      if (split.equals("all") || !hasSplits || entry.split().equals(split)) {
        samples.add(new SampleRef(samples.size(), entry.id(), tree.location(entry.id()), entry.label(),
            entry.split(), entry.group()));
      }
    }
    if (samples.isEmpty()) {
      Set<String> present = new TreeSet<>();
      unique.forEach(e -> present.add(e.split().isEmpty() ? "(none)" : e.split()));
      throw new DatasetError(unique.isEmpty()
          ? layout.configName() + " dataset " + root + " has no samples" + (catalog.missing() > 0
              ? " (" + catalog.missing() + " listed files are missing: is data.root the folder holding them?)" : "")
          : "data.split = " + split + " selects none of the " + unique.size() + " samples of " + root
              + "; splits present: " + present + (layout == Layout.ESC50 ? " (data.fold chooses the test fold)" : ""));
    }
    return new Dataset(root, layout, split, samples, classNames, Dataset.hashOf(samples), catalog.missing());
  }

  private static List<String> classNames(List<Catalog.Entry> entries, List<String> officialOrder, String root) {
    Set<String> labels = new TreeSet<>();
    entries.forEach(e -> e.label().ifPresent(labels::add));
    if (officialOrder.isEmpty()) {
      return List.copyOf(labels);
    }
    if (new HashSet<>(officialOrder).size() != officialOrder.size()) {
      throw new DatasetError(root + ": the class list names a class twice");
    }
    LinkedHashSet<String> names = new LinkedHashSet<>(officialOrder);
    List<String> unlisted = labels.stream().filter(l -> !names.contains(l)).toList();
    if (!unlisted.isEmpty()) {
      LOG.warn("{}: labels {} are not in the dataset's class list; they are numbered after it", root, unlisted);
      names.addAll(unlisted);
    }
    return List.copyOf(names);
  }
}
