package crisscross.pipeline.stream;

import crisscross.pipeline.sample.ClipTiming;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Groups loaded visits into batches of {@code batchSize} samples, never across an epoch boundary. Skipped
 * visits ride along in the batch that covers their position, so a batch always accounts for a contiguous span of
 * the epoch order. The last batch of an epoch may be smaller, or empty when only skips remain.
 *
 * <p>Visits must arrive in order (the graph's {@code mapAsync} keeps order).
 */
public final class BatchAssembler {
  private final int batchSize;
  private final List<LoadedSample.Views> views = new ArrayList<>();
  private final List<LoadedSample.Skipped> skipped = new ArrayList<>();
  private int epoch = -1;
  private long startPosition = -1;
  private long expectedPosition = -1;

  public BatchAssembler(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1");
    }
    this.batchSize = batchSize;
  }

  /** Adds the next visit; returns a batch when one is complete. */
  public Optional<Batch> add(LoadedSample sample) {
    LoadedSample.Visit visit = sample.visit();
    if (startPosition < 0) {
      epoch = visit.epoch();
      startPosition = visit.position();
    } else if (visit.epoch() != epoch || visit.position() != expectedPosition) {
      throw new IllegalStateException("visits out of order: expected epoch " + epoch + " position "
          + expectedPosition + ", got epoch " + visit.epoch() + " position " + visit.position());
    }
    expectedPosition = visit.position() + 1;
    if (sample instanceof LoadedSample.Views v) {
      views.add(v);
    } else {
      skipped.add((LoadedSample.Skipped) sample);
    }
    if (views.size() == batchSize || visit.lastOfEpoch()) {
      return Optional.of(emit(visit.lastOfEpoch()));
    }
    return Optional.empty();
  }

  /** Emits what is pending when the stream ends before an epoch boundary (a run cut at max epochs mid-way). */
  public Optional<Batch> flush() {
    return startPosition < 0 ? Optional.empty() : Optional.of(emit(false));
  }

  private Batch emit(boolean lastOfEpoch) {
    int size = views.size();
    int[] indices = new int[size];
    String[] ids = new String[size];
    for (int i = 0; i < size; i++) {
      indices[i] = views.get(i).visit().sampleIndex();
      ids[i] = views.get(i).visit().sampleId();
    }
    Batch batch = new Batch(epoch, startPosition, expectedPosition, size, indices, ids,
        stack("video", LoadedSample.Views::video), stack("audio", LoadedSample.Views::audio), List.copyOf(skipped),
        lastOfEpoch, timings(LoadedSample.Views::videoTimings), timings(LoadedSample.Views::audioTimings));
    views.clear();
    skipped.clear();
    startPosition = -1;
    return batch;
  }

  /** Per clip, every sample's timing; none unless every sample carries timings of every clip. */
  private List<ClipTiming[]> timings(Function<LoadedSample.Views, List<ClipTiming>> timingsOf) {
    if (views.isEmpty()) {
      return List.of();
    }
    int clips = timingsOf.apply(views.get(0)).size();
    for (LoadedSample.Views v : views) {
      if (timingsOf.apply(v).size() != clips) {
        return List.of();
      }
    }
    List<ClipTiming[]> out = new ArrayList<>();
    for (int clip = 0; clip < clips; clip++) {
      ClipTiming[] column = new ClipTiming[views.size()];
      for (int i = 0; i < views.size(); i++) {
        column[i] = timingsOf.apply(views.get(i)).get(clip);
      }
      out.add(column);
    }
    return out;
  }

  /** One flat array per clip of a modality, samples in batch order; every sample must have the same clips. */
  private List<float[]> stack(String modality, Function<LoadedSample.Views, List<float[]>> clipsOf) {
    if (views.isEmpty()) {
      return List.of();
    }
    List<float[]> first = clipsOf.apply(views.get(0));
    List<float[]> out = new ArrayList<>();
    for (int clip = 0; clip < first.size(); clip++) {
      int length = first.get(clip).length;
      float[] stacked = new float[length * views.size()];
      for (int i = 0; i < views.size(); i++) {
        List<float[]> clips = clipsOf.apply(views.get(i));
        float[] one = clip < clips.size() ? clips.get(clip) : null;
        if (clips.size() != first.size() || one.length != length) {
          throw new IllegalStateException(modality + " clip " + (clip + 1) + " of sample "
              + views.get(i).visit().sampleId() + " has " + (one == null ? "no" : one.length) + " values in "
              + clips.size() + " clips, the batch's first sample has " + length + " in " + first.size());
        }
        System.arraycopy(one, 0, stacked, i * length, length);
      }
      out.add(stacked);
    }
    return out;
  }
}
