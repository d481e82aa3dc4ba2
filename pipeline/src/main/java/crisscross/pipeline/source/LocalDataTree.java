package crisscross.pipeline.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dataset root on a local file system. The walk follows symbolic links, as datasets are often assembled from
 * links to bigger disks; manifest entries, which may come from elsewhere, are held to the root's real path.
 */
final class LocalDataTree implements DataTree {
  private static final Logger LOG = LoggerFactory.getLogger(LocalDataTree.class);

  private final Path root;
  private final Path realRoot;
  private List<String> files;

  LocalDataTree(Path root) {
    this.root = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(this.root)) {
      throw new DatasetError("data.root: " + this.root + " is not a directory");
    }
    try {
      this.realRoot = this.root.toRealPath();
    } catch (IOException e) {
      throw new DatasetError("data.root: cannot resolve " + this.root + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return root.toString();
  }

  @Override
  public String describe(String relative) {
    return root.resolve(relative).toString();
  }

  @Override
  public synchronized List<String> files() {
    if (files == null) {
      files = Collections.unmodifiableList(walk());
    }
    return files;
  }

  private List<String> walk() {
    List<String> found = new ArrayList<>();
    try {
      Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return !dir.equals(root) && dir.getFileName().toString().startsWith(".")
                  ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              String relative = relativeName(file);
              if (attrs.isRegularFile() && !RelativePaths.isHidden(relative)) {
                found.add(relative);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof FileSystemLoopException) {
                LOG.warn("{}: symbolic link loop, not followed", file);
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw new DatasetError("cannot list " + root + ": " + e.getMessage(), e);
    }
    Collections.sort(found);
    return found;
  }

  private String relativeName(Path file) {
    return root.relativize(file).toString().replace(root.getFileSystem().getSeparator(), "/");
  }

  @Override
  public String location(String relative) {
    return root.resolve(relative).toString();
  }

  @Override
  public BufferedReader open(String relative) throws IOException {
    return Files.newBufferedReader(root.resolve(relative), StandardCharsets.UTF_8);
  }

  @Override
  public String head(String relative, int maxBytes) throws IOException {
    try (InputStream in = Files.newInputStream(root.resolve(relative))) {
      return new String(in.readNBytes(maxBytes), StandardCharsets.UTF_8);
    }
  }

  @Override
  public String resolveEntry(String entry) {
    Path given;
    try {
      given = Path.of(entry);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("'" + entry + "' is not a valid path");
    }
    String relative;
    if (given.isAbsolute()) {
      Path normalized = given.normalize();
      Path base = normalized.startsWith(root) ? root : normalized.startsWith(realRoot) ? realRoot : null;
      if (base == null || normalized.equals(base)) {
        throw new IllegalArgumentException("absolute path '" + entry + "' is outside the dataset root " + root);
      }
      relative = base.relativize(normalized).toString().replace(root.getFileSystem().getSeparator(), "/");
    } else {
      relative = RelativePaths.normalize(entry.replace(root.getFileSystem().getSeparator(), "/"))
          .orElseThrow(() -> new IllegalArgumentException(
              "path '" + entry + "' escapes the dataset root " + root + " (through '..')"));
    }
    Path file = root.resolve(relative);
    if (Files.exists(file)) {
      Path real;
      try {
        real = file.toRealPath();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot resolve '" + entry + "': " + e.getMessage());
      }
      if (!real.startsWith(realRoot)) {
        throw new IllegalArgumentException("path '" + entry + "' is a symbolic link to " + real
            + ", outside the dataset root " + realRoot);
      }
    }
    return relative;
  }
}
