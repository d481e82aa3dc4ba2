package crisscross.trainer.checkpoint;

import crisscross.pipeline.storage.ObjectStore;
import crisscross.pipeline.storage.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoints under an object-storage prefix ({@code s3://bucket/prefix} or any {@link ObjectStore}): each
 * checkpoint is staged locally exactly as {@link LocalCheckpointStore} writes it, its files are uploaded, and its
 * {@code manifest.json} is uploaded last. The manifest is the commit point: a checkpoint without one was cut short
 * and is invisible; one whose files do not match it is damaged and skipped on load.
 */
public final class ObjectCheckpointStore implements CheckpointStore {
  private static final Pattern MANIFEST_KEY = Pattern.compile("(step-\\d{12})/manifest\\.json");

  private final ObjectStore objects;
  private final int keep;
  private final Path staging;
  private final LocalCheckpointStore stagingStore;

  /**
   * @param staging a local directory for staging uploads and downloads (emptied as it goes)
   * @param failEveryNthWrite fault drill, as {@link LocalCheckpointStore}
   */
  public ObjectCheckpointStore(ObjectStore objects, int keep, Path staging, long failEveryNthWrite) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1");
    }
    this.objects = objects;
    this.keep = keep;
    this.staging = staging;
    this.stagingStore = new LocalCheckpointStore(staging, 1, failEveryNthWrite);
  }

  @Override
  public String location() {
    return objects.describe();
  }

  @Override
  public CheckpointManifest write(Checkpoint checkpoint) throws IOException {
    CheckpointManifest manifest = stagingStore.write(checkpoint);
    Path dir = staging.resolve(manifest.name());
    try {
      for (String file : manifest.files().keySet()) {
        objects.putFile(manifest.name() + "/" + file, dir.resolve(file));
      }
      objects.putFile(manifest.name() + "/" + LocalCheckpointStore.MANIFEST_FILE,
          dir.resolve(LocalCheckpointStore.MANIFEST_FILE));
    } catch (RuntimeException e) {
      throw new IOException("cannot upload checkpoint " + manifest.name() + " to " + location() + ": "
          + e.getMessage(), e);
    } finally {
      LocalCheckpointStore.deleteRecursively(dir);
    }
    prune();
    return manifest;
  }

  @Override
  public List<String> names() throws IOException {
    TreeSet<String> names = new TreeSet<>(Comparator.reverseOrder());
    try {
      for (StoredObject object : objects.list("step-")) {
        Matcher matcher = MANIFEST_KEY.matcher(object.key());
        if (matcher.matches()) {
          names.add(matcher.group(1));
        }
      }
    } catch (RuntimeException e) {
      throw new IOException("cannot list checkpoints in " + location() + ": " + e.getMessage(), e);
    }
    return List.copyOf(names);
  }

  @Override
  public Verification verify(String name) {
    try {
      download(name);
      return stagingStore.verify(name);
    } catch (IOException | RuntimeException e) {
      return Verification.damaged("cannot download: " + e.getMessage());
    } finally {
      clean(name);
    }
  }

  @Override
  public CheckpointManifest manifest(String name) throws IOException {
    try {
      return CheckpointManifest.parse(objects.get(name + "/" + LocalCheckpointStore.MANIFEST_FILE));
    } catch (RuntimeException e) {
      throw new IOException("cannot read the manifest of " + name + " in " + location() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Checkpoint read(String name) throws IOException {
    try {
      download(name);
      return stagingStore.read(name);
    } finally {
      clean(name);
    }
  }

  private void download(String name) throws IOException {
    CheckpointManifest manifest = manifest(name);
    Path dir = staging.resolve(name);
    Files.createDirectories(dir);
    for (String file : manifest.files().keySet()) {
      try {
        objects.download(name + "/" + file, dir.resolve(file));
      } catch (RuntimeException e) {
        throw new IOException(file + ": " + e.getMessage(), e);
      }
    }
    Files.write(dir.resolve(LocalCheckpointStore.MANIFEST_FILE),
        objects.get(name + "/" + LocalCheckpointStore.MANIFEST_FILE));
  }

  private void clean(String name) {
    try {
      LocalCheckpointStore.deleteRecursively(staging.resolve(name));
    } catch (IOException | UncheckedIOException e) {
      // Staging leftovers are removed by the next write; nothing a caller could do about it now.
    }
  }

  private void prune() throws IOException {
    List<String> all = names();
    for (int i = keep; i < all.size(); i++) {
      String name = all.get(i);
      // Manifest first: a checkpoint half-deleted must never look complete.
      objects.delete(name + "/" + LocalCheckpointStore.MANIFEST_FILE);
      List<String> keys = new ArrayList<>();
      for (StoredObject object : objects.list(name + "/")) {
        keys.add(object.key());
      }
      keys.forEach(objects::delete);
    }
  }

  /** Staging directories left by a crash are safe to remove. */
  static void removeStaging(Path staging) throws IOException {
    if (Files.isDirectory(staging)) {
      try (Stream<Path> entries = Files.list(staging)) {
        for (Path p : entries.toList()) {
          LocalCheckpointStore.deleteRecursively(p);
        }
      }
    }
  }
}
