package crisscross.pipeline.source;

import crisscross.pipeline.storage.S3Location;
import crisscross.pipeline.storage.S3Storage;
import crisscross.pipeline.storage.StoredObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A dataset root under {@code s3://bucket/prefix}: one paginated listing, text files read from the bucket. */
final class S3DataTree implements DataTree {
  private final S3Storage storage;
  private final S3Location root;
  private final Path spoolDir;
  private List<String> files;

  S3DataTree(S3Storage storage, S3Location root, Path spoolDir) {
    this.storage = storage;
    this.root = new S3Location(root.bucket(), stripSlash(root.key()));
    this.spoolDir = spoolDir;
  }

  private static String stripSlash(String key) {
    return key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
  }

  @Override
  public String describe() {
    return root.toString();
  }

  @Override
  public String describe(String relative) {
    return location(relative);
  }

  @Override
  public synchronized List<String> files() {
    if (files == null) {
      String prefix = root.directoryPrefix();
      List<String> found = new ArrayList<>();
      for (StoredObject object : storage.list(new S3Location(root.bucket(), prefix))) {
        String relative = object.key().substring(prefix.length());
        // Keys ending in '/' are the "folder" markers some tools create; empty segments name nothing.
        if (!relative.isEmpty() && !relative.endsWith("/") && !relative.contains("//")
            && !RelativePaths.isHidden(relative)) {
          found.add(relative);
        }
      }
      Collections.sort(found);
      files = Collections.unmodifiableList(found);
    }
    return files;
  }

  @Override
  public String location(String relative) {
    return root.resolve(relative).toString();
  }

  @Override
  public BufferedReader open(String relative) throws IOException {
    Files.createDirectories(spoolDir);
    Path copy = Files.createTempFile(spoolDir, "crisscross-list-", ".txt");
    try {
      storage.download(root.resolve(relative), copy);
      Reader reader = new InputStreamReader(Files.newInputStream(copy), StandardCharsets.UTF_8);
      return new BufferedReader(reader) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            Files.deleteIfExists(copy);
          }
        }
      };
    } catch (RuntimeException | IOException e) {
      Files.deleteIfExists(copy);
      throw e;
    }
  }

  @Override
  public String head(String relative, int maxBytes) {
    return new String(storage.getFirstBytes(root.resolve(relative), maxBytes), StandardCharsets.UTF_8);
  }

  @Override
  public String resolveEntry(String entry) {
    String relativeText;
    if (S3Location.isS3(entry)) {
      S3Location location;
      try {
        location = S3Location.parse(entry);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage());
      }
      String prefix = root.directoryPrefix();
      if (!location.bucket().equals(root.bucket()) || !location.key().startsWith(prefix)) {
        throw new IllegalArgumentException("'" + entry + "' is outside the dataset root " + root);
      }
      relativeText = location.key().substring(prefix.length());
    } else if (entry.startsWith("/")) {
      throw new IllegalArgumentException("absolute path '" + entry + "' is outside the dataset root " + root);
    } else {
      relativeText = entry;
    }
    return RelativePaths.normalize(relativeText).orElseThrow(() -> new IllegalArgumentException(
        "path '" + entry + "' escapes the dataset root " + root + " (through '..')"));
  }
}
