package crisscross.pipeline.source;

import java.util.Optional;

/**
 * One sample of a dataset, before any bytes are read.
 *
 * @param index position in the dataset's canonical order (sorted by {@code id}); the seed of its random draws
 * @param id stable identifier, unique within the dataset (the path or key relative to the dataset root)
 * @param location where the media lives: an absolute local path or an {@code s3://bucket/key} URI
 * @param label class name, if the dataset has labels
 * @param split "train", "test", "val" or "" when the layout defines none
 * @param group recordings that must stay on one side of any split (ESC-50 {@code src_file}); defaults to id
 */
public record SampleRef(int index, String id, String location, Optional<String> label, String split,
    String group) {
  public SampleRef {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("sample id must not be empty");
    }
    label = label == null ? Optional.empty() : label;
    split = split == null ? "" : split;
    group = group == null || group.isEmpty() ? id : group;
  }

  public boolean isRemote() {
    return location.startsWith("s3://");
  }

  public SampleRef withIndex(int newIndex) {
    return new SampleRef(newIndex, id, location, label, split, group);
  }
}
