package crisscross.pipeline.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * An {@link ObjectStore} in a local directory. Writes go to a hidden temporary file in the target's directory,
 * are forced to disk, then renamed over the target, so a crash leaves the old object or the new one.
 */
final class LocalObjectStore implements ObjectStore {
  private static final String TEMP_PREFIX = ".tmp-";

  private final Path root;

  LocalObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public String describe() {
    return root.toString();
  }

  private Path at(String key) {
    return root.resolve(ObjectStore.checkKey(key));
  }

  @Override
  public void put(String key, byte[] bytes) {
    Path target = at(key);
    publish(target, temp -> Files.write(temp, bytes));
  }

  @Override
  public void putFile(String key, Path file) {
    Path target = at(key);
    publish(target, temp -> Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING));
  }

  private interface Writer {
    void write(Path temp) throws IOException;
  }

  private void publish(Path target, Writer writer) {
    Path temp = null;
    try {
      Files.createDirectories(target.getParent());
      temp = Files.createTempFile(target.getParent(), TEMP_PREFIX, ".part");
      writer.write(temp);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new StorageException("cannot write " + target + ": " + e.getMessage(), 1, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // The rename succeeded or the write already failed and was reported; a stray hidden file is harmless.
        }
      }
    }
  }

  @Override
  public byte[] get(String key) {
    Path path = at(key);
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(path + " does not exist", 1, e);
    } catch (IOException e) {
      throw new StorageException("cannot read " + path + ": " + e.getMessage(), 1, e);
    }
  }

  @Override
  public long download(String key, Path target) {
    Path path = at(key);
    try {
      Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
      return Files.size(target);
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(path + " does not exist", 1, e);
    } catch (IOException e) {
      throw new StorageException("cannot copy " + path + " to " + target + ": " + e.getMessage(), 1, e);
    }
  }

  @Override
  public List<StoredObject> list(String prefix) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<StoredObject> objects = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String key = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        if (key.startsWith(prefix) && !file.getFileName().toString().startsWith(TEMP_PREFIX)) {
          objects.add(new StoredObject(key, Files.size(file)));
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw new StorageException("cannot list " + root + ": " + e.getMessage(), 1, e);
    }
    objects.sort(Comparator.comparing(StoredObject::key));
    return objects;
  }

  @Override
  public void delete(String key) {
    Path path = at(key);
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new StorageException("cannot delete " + path + ": " + e.getMessage(), 1, e);
    }
  }

  @Override
  public void close() {}
}
