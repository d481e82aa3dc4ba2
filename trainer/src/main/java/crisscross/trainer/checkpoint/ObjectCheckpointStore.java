package crisscross.trainer.checkpoint;

import crisscross.pipeline.storage.ObjectStore;
import crisscross.pipeline.storage.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoints under an object-storage prefix ({@code s3://bucket/prefix} or any {@link ObjectStore}): each
 * checkpoint is staged locally exactly as {@link LocalCheckpointStore} writes it, its files are uploaded, and its
 * {@code manifest.json} is uploaded last. The manifest is the commit point: a checkpoint without one was cut short
 * and is invisible; one whose files do not match it is damaged and skipped on load. A write counts as done only
 * once what the store holds has been read back and matches (each upload confirmed by the store, then the
 * manifest's bytes and every file's listed size); otherwise the manifest is withdrawn and the write fails.
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
    String manifestKey = manifest.name() + "/" + LocalCheckpointStore.MANIFEST_FILE;
    try {
      for (String file : manifest.files().keySet()) {
        objects.putFile(manifest.name() + "/" + file, dir.resolve(file));
      }
      byte[] manifestJson = Files.readAllBytes(dir.resolve(LocalCheckpointStore.MANIFEST_FILE));
      objects.putFile(manifestKey, dir.resolve(LocalCheckpointStore.MANIFEST_FILE));
      Optional<String> problem = storedProblem(manifest, manifestJson);
      if (problem.isPresent()) {
        // Uncommit it: a checkpoint the store does not hold as written must not be offered on resume.
        objects.delete(manifestKey);
        throw new IOException("checkpoint " + manifest.name() + " was not stored as written in " + location() + ": "
            + problem.get());
      }
    } catch (RuntimeException e) {
      throw new IOException("cannot upload checkpoint " + manifest.name() + " to " + location() + ": "
          + e.getMessage(), e);
    } finally {
      LocalCheckpointStore.deleteRecursively(dir);
    }
    prune();
    return manifest;
  }

  /**
   * What the store holds for a checkpoint just uploaded, read back: the manifest byte for byte and every file's
   * size as listed. Empty when it is all there as written.
   */
  private Optional<String> storedProblem(CheckpointManifest manifest, byte[] manifestJson) {
    byte[] storedManifest = objects.get(manifest.name() + "/" + LocalCheckpointStore.MANIFEST_FILE);
    if (!Arrays.equals(storedManifest, manifestJson)) {
      return Optional.of(LocalCheckpointStore.MANIFEST_FILE + " reads back as " + storedManifest.length
          + " bytes that differ from the " + manifestJson.length + " written");
    }
    Map<String, Long> listed = new HashMap<>();
    for (StoredObject object : objects.list(manifest.name() + "/")) {
      listed.put(object.key().substring(manifest.name().length() + 1), object.size());
    }
    for (Map.Entry<String, CheckpointManifest.FileEntry> file : manifest.files().entrySet()) {
      Long size = listed.get(file.getKey());
      if (size == null) {
        return Optional.of(file.getKey() + " is not listed after its upload");
      }
      if (size != file.getValue().bytes()) {
        return Optional.of(file.getKey() + " is stored as " + size + " bytes, " + file.getValue().bytes()
            + " were written");
      }
    }
    return Optional.empty();
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

  @Override
  public void discard(String name) throws IOException {
    if (!MANIFEST_KEY.matcher(name + "/" + LocalCheckpointStore.MANIFEST_FILE).matches()) {
      throw new IllegalArgumentException("not a checkpoint name: '" + name + "'");
    }
    try {
      // Manifest first: a checkpoint half-deleted must never look complete.
      objects.delete(name + "/" + LocalCheckpointStore.MANIFEST_FILE);
      List<String> keys = new ArrayList<>();
      for (StoredObject object : objects.list(name + "/")) {
        keys.add(object.key());
      }
      keys.forEach(objects::delete);
    } catch (RuntimeException e) {
      throw new IOException("cannot delete checkpoint " + name + " in " + location() + ": " + e.getMessage(), e);
    }
  }

  private void prune() throws IOException {
    List<String> all = names();
    for (int i = keep; i < all.size(); i++) {
      discard(all.get(i));
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
