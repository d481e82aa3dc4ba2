package crisscross.pipeline.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An {@link ObjectStore} under {@code s3://bucket/prefix}. */
final class S3ObjectStore implements ObjectStore {
  private final S3Storage storage;
  private final S3Location root;
  private final boolean ownsStorage;

  S3ObjectStore(S3Storage storage, S3Location root, boolean ownsStorage) {
    this.storage = storage;
    this.root = root;
    this.ownsStorage = ownsStorage;
  }

  @Override
  public String describe() {
    return root.toString();
  }

  private S3Location at(String key) {
    return root.resolve(ObjectStore.checkKey(key));
  }

  @Override
  public void put(String key, byte[] bytes) {
    storage.put(at(key), bytes);
  }

  @Override
  public void putFile(String key, Path file) {
    storage.putFile(at(key), file);
  }

  @Override
  public byte[] get(String key) {
    return storage.get(at(key));
  }

  @Override
  public long download(String key, Path target) {
    return storage.download(at(key), target);
  }

  @Override
  public List<StoredObject> list(String prefix) {
    String base = root.directoryPrefix();
    List<StoredObject> objects = new ArrayList<>();
    for (StoredObject object : storage.list(new S3Location(root.bucket(), base + prefix))) {
      objects.add(new StoredObject(object.key().substring(base.length()), object.size()));
    }
    return objects;
  }

  @Override
  public void delete(String key) {
    storage.delete(at(key));
  }

  @Override
  public void close() {
    if (ownsStorage) {
      storage.close();
    }
  }
}
