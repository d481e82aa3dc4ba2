package crisscross.pipeline.stream;

import crisscross.pipeline.media.SkipReason;

/** One visit of a sample after loading: its four views, or why it was skipped. */
public sealed interface LoadedSample {
  Visit visit();

  /** Where a visit sits in the run: (epoch, position in the epoch), which sample, and its draw key. */
  record Visit(int epoch, long position, int sampleIndex, String sampleId, long drawKey, boolean lastOfEpoch) {}

  /**
   * The views, each a flat array in the model's layout: video [3][T][S][S], audio [1][bands][frames]. Arrays of a
   * modality the objective does not use are {@code null}.
   */
  record Views(Visit visit, float[] v1, float[] v2, float[] a1, float[] a2) implements LoadedSample {}

  record Skipped(Visit visit, SkipReason reason, String detail) implements LoadedSample {}
}
