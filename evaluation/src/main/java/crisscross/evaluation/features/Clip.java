package crisscross.evaluation.features;

/**
 * Where one row of {@link ClipFeatures} comes from.
 *
 * @param sampleId the sample (video or recording) the clip was cut from
 * @param clipIndex the clip's number within its sample (0-based); with {@code sampleId} it identifies the row
 * @param label index into the features' class names
 * @param group recordings that must stay on one side of any split (ESC-50 {@code src_file}); the sample id when
 *     the dataset defines none
 * @param split "train", "test", "val" or ""
 */
public record Clip(String sampleId, int clipIndex, int label, String group, String split) {
  public Clip {
    if (sampleId == null || sampleId.isEmpty()) {
      throw new IllegalArgumentException("clip sample id must not be empty");
    }
    if (clipIndex < 0) {
      throw new IllegalArgumentException("clip index must be >= 0, got " + clipIndex + " for " + sampleId);
    }
    group = group == null || group.isEmpty() ? sampleId : group;
    split = split == null ? "" : split;
  }
}
