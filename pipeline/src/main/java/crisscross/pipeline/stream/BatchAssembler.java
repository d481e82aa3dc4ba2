package crisscross.pipeline.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        stack(0), stack(1), stack(2), stack(3), List.copyOf(skipped), lastOfEpoch);
    views.clear();
    skipped.clear();
    startPosition = -1;
    return batch;
  }

  private float[] stack(int view) {
    if (views.isEmpty()) {
      return null;
    }
    float[] first = select(views.get(0), view);
    if (first == null) {
      return null;
    }
    float[] out = new float[first.length * views.size()];
    for (int i = 0; i < views.size(); i++) {
      float[] one = select(views.get(i), view);
      if (one == null || one.length != first.length) {
        throw new IllegalStateException("view " + (view + 1) + " of sample " + views.get(i).visit().sampleId()
            + " has " + (one == null ? "no" : one.length) + " values, the batch's first sample has " + first.length);
      }
      System.arraycopy(one, 0, out, i * first.length, first.length);
    }
    return out;
  }

  private static float[] select(LoadedSample.Views v, int view) {
    return switch (view) {
      case 0 -> v.v1();
      case 1 -> v.v2();
      case 2 -> v.a1();
      default -> v.a2();
    };
  }
}
