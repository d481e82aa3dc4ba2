package crisscross.pipeline.stream;

import java.util.Locale;

/**
 * Java heap the batch stream holds at its fullest, from the view sizes alone: the ready buffer, the batch being
 * assembled (its samples and its own arrays), the batch the trainer is converting, and one loaded sample per
 * worker. A configuration over the heap is refused before anything runs, instead of an {@code OutOfMemoryError}
 * in the middle of an epoch.
 *
 * @param sampleBytes one sample's views (all views of the modalities trained)
 * @param batchBytes one batch's views
 * @param heapBytes the stream's peak
 */
public record PipelineMemory(long sampleBytes, long batchBytes, long heapBytes) {
  /** Share of the maximum heap the stream may take: the rest is the decoders', the actors' and the JVM's. */
  public static final double HEAP_SHARE = 0.6;

  /**
   * @param sampleFloats values of one sample's views
   * @param bufferBatches batches ready ahead of the trainer ({@code pipeline.buffer-batches})
   * @param workers loads in flight ({@code pipeline.workers})
   */
  public static PipelineMemory of(long sampleFloats, int batchSize, int bufferBatches, int workers) {
    long sample = sampleFloats * Float.BYTES;
    long batch = sample * batchSize;
    return new PipelineMemory(sample, batch, batch * (bufferBatches + 3L) + sample * workers);
  }

  /** Whether the stream fits in {@link #HEAP_SHARE} of {@code maxHeapBytes}. */
  public boolean fits(long maxHeapBytes) {
    return heapBytes <= HEAP_SHARE * maxHeapBytes;
  }

  /** The estimate in words, for the refusal. */
  public String describe(int batchSize, int bufferBatches, int workers, long maxHeapBytes) {
    return String.format(Locale.ROOT, "the batch stream needs about %s of Java heap (batch %d x %s a sample = %s, "
        + "held %d times: %d ready, one being assembled twice over, one in the trainer; plus %d loads in flight), "
        + "over %.0f %% of the %s maximum heap", gib(heapBytes), batchSize, mib(sampleBytes), gib(batchBytes),
        bufferBatches + 3, bufferBatches, workers, HEAP_SHARE * 100, gib(maxHeapBytes));
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.2f MiB", bytes / (double) (1L << 20));
  }
}
