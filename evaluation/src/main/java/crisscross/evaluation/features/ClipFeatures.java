package crisscross.evaluation.features;

import crisscross.pipeline.source.SampleRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Frozen clip-level features: one row per clip, each with its sample, label, group and split (Appendix E.1
 * extracts several clips per sample, e.g. 25 augmented training clips and 10 uniformly spaced test clips of
 * UCF101). All rows share one dimension and one list of class names, so train and test features built with the
 * same names can be compared label for label.
 *
 * <p>The rows are held by reference and must not be modified after construction; every transformation returns
 * new rows.
 */
public final class ClipFeatures {
  private final List<String> classNames;
  private final List<Clip> clips;
  private final float[][] rows;
  private final int dimension;
  private final SampleIndex samples;

  private ClipFeatures(List<String> classNames, List<Clip> clips, float[][] rows) {
    this.classNames = List.copyOf(classNames);
    this.clips = List.copyOf(clips);
    this.rows = rows;
    if (clips.size() != rows.length) {
      throw new IllegalArgumentException(clips.size() + " clips but " + rows.length + " feature rows");
    }
    if (new HashSet<>(classNames).size() != classNames.size()) {
      throw new IllegalArgumentException("class names are not unique: " + classNames);
    }
    this.dimension = rows.length == 0 ? 0 : rows[0].length;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < rows.length; i++) {
      Clip clip = clips.get(i);
      if (rows[i].length != dimension) {
        throw new IllegalArgumentException("clip " + clip.clipIndex() + " of sample '" + clip.sampleId() + "' has "
            + rows[i].length + " features, the first clip has " + dimension);
      }
      if (clip.label() < 0 || clip.label() >= classNames.size()) {
        throw new IllegalArgumentException("sample '" + clip.sampleId() + "' has label index " + clip.label()
            + ", outside the " + classNames.size() + " class names");
      }
      if (!seen.add(clip.sampleId() + "\u0000" + clip.clipIndex())) {
        throw new IllegalArgumentException("clip " + clip.clipIndex() + " of sample '" + clip.sampleId()
            + "' appears twice");
      }
      for (float v : rows[i]) {
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException("clip " + clip.clipIndex() + " of sample '" + clip.sampleId()
              + "' has a non-finite feature value " + v);
        }
      }
    }
    this.samples = SampleIndex.of(this.clips);
  }

  /** Features of the given clips; {@code rows[i]} belongs to {@code clips.get(i)}. */
  public static ClipFeatures of(List<String> classNames, List<Clip> clips, float[][] rows) {
    return new ClipFeatures(classNames, clips, rows);
  }

  /** Collects rows one clip at a time, as a feature extractor produces them. */
  public static Builder builder(List<String> classNames) {
    return new Builder(classNames);
  }

  public int size() {
    return rows.length;
  }

  public int dimension() {
    return dimension;
  }

  public List<String> classNames() {
    return classNames;
  }

  public List<Clip> clips() {
    return clips;
  }

  public Clip clip(int row) {
    return clips.get(row);
  }

  /** The features of one clip (not a copy: do not modify). */
  public float[] row(int row) {
    return rows[row];
  }

  /** All rows (not a copy: do not modify). */
  public float[][] rows() {
    return rows;
  }

  public int[] labels() {
    int[] labels = new int[rows.length];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = clips.get(i).label();
    }
    return labels;
  }

  /** Which rows belong to which sample. */
  public SampleIndex samples() {
    return samples;
  }

  /** The rows of one split ("train", "test", ...), in their current order. */
  public ClipFeatures split(String split) {
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < clips.size(); i++) {
      if (clips.get(i).split().equals(split)) {
        keep.add(i);
      }
    }
    return select(keep.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The given rows, in the given order. */
  public ClipFeatures select(int[] rowIndices) {
    List<Clip> selectedClips = new ArrayList<>(rowIndices.length);
    float[][] selectedRows = new float[rowIndices.length][];
    for (int i = 0; i < rowIndices.length; i++) {
      selectedClips.add(clips.get(rowIndices[i]));
      selectedRows[i] = rows[rowIndices[i]];
    }
    return new ClipFeatures(classNames, selectedClips, selectedRows);
  }

  /** Every clip of the given samples (numbers of {@link #samples()}), sample by sample. */
  public ClipFeatures selectSamples(int[] sampleNumbers) {
    List<Integer> keep = new ArrayList<>();
    for (int sample : sampleNumbers) {
      for (int row : samples.clipsOf(sample)) {
        keep.add(row);
      }
    }
    return select(keep.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * Every clip of the samples whose ids are in {@code sampleIds}, in their current order: the training or test part
   * of an official split, when features were extracted once for the samples of every split.
   */
  public ClipFeatures selectSampleIds(Collection<String> sampleIds) {
    Set<String> wanted = sampleIds instanceof Set<String> set ? set : new HashSet<>(sampleIds);
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < clips.size(); i++) {
      if (wanted.contains(clips.get(i).sampleId())) {
        keep.add(i);
      }
    }
    return select(keep.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The same clips with other feature rows (standardised, concatenated, ...). */
  public ClipFeatures withRows(float[][] newRows) {
    return new ClipFeatures(classNames, clips, newRows);
  }

  /**
   * The same clips with labels re-indexed into {@code names}, which must contain every class name that occurs;
   * used to give train and test features one label space.
   */
  public ClipFeatures withClassNames(List<String> names) {
    if (names.equals(classNames)) {
      return this;
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i), i);
    }
    List<Clip> relabelled = new ArrayList<>(clips.size());
    for (Clip clip : clips) {
      String name = classNames.get(clip.label());
      Integer label = index.get(name);
      if (label == null) {
        throw new IllegalArgumentException("class '" + name + "' of sample '" + clip.sampleId()
            + "' is missing from the class names " + names);
      }
      relabelled.add(new Clip(clip.sampleId(), clip.clipIndex(), label, clip.group(), clip.split()));
    }
    return new ClipFeatures(names, relabelled, rows);
  }

  /** The mean feature vector of each sample's clips (retrieval, Appendix E.3). */
  public SampleFeatures averageBySample() {
    return new SampleFeatures(classNames, samples, samples.average(rows));
  }

  /**
   * Late fusion's input (Table 2, Appendix E.1): each clip's {@code first} features followed by its
   * {@code second} features, matched by (sample id, clip index), in {@code first}'s order. Both must hold
   * exactly the same clips with the same labels, groups and splits.
   */
  public static ClipFeatures concatenate(ClipFeatures first, ClipFeatures second) {
    if (!first.classNames.equals(second.classNames)) {
      throw new IllegalArgumentException("cannot concatenate features with different class names: "
          + first.classNames + " vs " + second.classNames);
    }
    if (first.size() != second.size()) {
      throw new IllegalArgumentException("cannot concatenate " + first.size() + " clips with " + second.size()
          + " clips: both modalities need the same clips");
    }
    Map<String, Integer> secondRow = new HashMap<>();
    for (int i = 0; i < second.size(); i++) {
      secondRow.put(second.clip(i).sampleId() + "\u0000" + second.clip(i).clipIndex(), i);
    }
    float[][] joined = new float[first.size()][];
    for (int i = 0; i < first.size(); i++) {
      Clip clip = first.clip(i);
      Integer j = secondRow.get(clip.sampleId() + "\u0000" + clip.clipIndex());
      if (j == null) {
        throw new IllegalArgumentException("clip " + clip.clipIndex() + " of sample '" + clip.sampleId()
            + "' has features in one modality only");
      }
      Clip other = second.clip(j);
      if (other.label() != clip.label() || !other.group().equals(clip.group())
          || !other.split().equals(clip.split())) {
        throw new IllegalArgumentException("clip " + clip.clipIndex() + " of sample '" + clip.sampleId()
            + "' has different label, group or split in the two modalities: " + clip + " vs " + other);
      }
      float[] row = Arrays.copyOf(first.row(i), first.dimension() + second.dimension());
      System.arraycopy(second.row(j), 0, row, first.dimension(), second.dimension());
      joined[i] = row;
    }
    return first.withRows(joined);
  }

  @Override
  public String toString() {
    return "ClipFeatures[" + size() + " clips of " + samples.sampleCount() + " samples, dimension " + dimension
        + ", " + classNames.size() + " classes]";
  }

  /** Accumulates clips; not thread-safe. */
  public static final class Builder {
    private final List<String> classNames;
    private final Map<String, Integer> labelOf = new HashMap<>();
    private final List<Clip> clips = new ArrayList<>();
    private final List<float[]> rows = new ArrayList<>();

    private Builder(List<String> classNames) {
      this.classNames = List.copyOf(classNames);
      for (int i = 0; i < classNames.size(); i++) {
        labelOf.put(classNames.get(i), i);
      }
    }

    /** Adds one clip of a dataset sample; its label, group and split are the sample's. */
    public Builder add(SampleRef sample, int clipIndex, float[] features) {
      String name = sample.label().orElseThrow(() -> new IllegalArgumentException(
          "sample '" + sample.id() + "' has no label; linear evaluation and retrieval need labelled samples"));
      Integer label = labelOf.get(name);
      if (label == null) {
        throw new IllegalArgumentException("sample '" + sample.id() + "' has label '" + name
            + "', which is not among the class names " + classNames);
      }
      return add(new Clip(sample.id(), clipIndex, label, sample.group(), sample.split()), features);
    }

    public Builder add(Clip clip, float[] features) {
      clips.add(clip);
      rows.add(features);
      return this;
    }

    public ClipFeatures build() {
      return new ClipFeatures(classNames, clips, rows.toArray(new float[0][]));
    }
  }
}
