package crisscross.pipeline.stream;

import java.util.List;

/**
 * A training batch: {@code v1, v2: [B,3,T,S,S]}, {@code a1, a2: [B,1,F,N]} (null for an unused modality), the
 * samples it holds, and the span of the epoch order it consumed.
 *
 * @param startPosition first position of the epoch order this batch consumed
 * @param endPosition position after the last one consumed: a stream started at (epoch, endPosition) continues
 *     exactly where this batch ends
 * @param skipped visits in [startPosition, endPosition) that were skipped, with reasons
 * @param lastOfEpoch the epoch ends with this batch
 */
public record Batch(int epoch, long startPosition, long endPosition, int size, int[] sampleIndices,
    String[] sampleIds, float[] v1, float[] v2, float[] a1, float[] a2, List<LoadedSample.Skipped> skipped,
    boolean lastOfEpoch) {

  public boolean hasVideo() {
    return v1 != null;
  }

  public boolean hasAudio() {
    return a1 != null;
  }

  /** Bytes held by the view arrays. */
  public long bytes() {
    long floats = 0;
    for (float[] a : new float[][] {v1, v2, a1, a2}) {
      floats += a == null ? 0 : a.length;
    }
    return floats * Float.BYTES;
  }
}
