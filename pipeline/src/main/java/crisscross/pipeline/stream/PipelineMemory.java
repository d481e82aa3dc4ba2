package crisscross.pipeline.stream;

import java.util.Locale;

/**
 * Java heap the batch stream holds at its fullest, from the view sizes alone: the ready buffer, the batch being
 * assembled (its samples and its own arrays), the batch the trainer is converting, and one loaded sample per
 * worker. A configuration over the heap is refused before anything runs, instead of an {@code OutOfMemoryError}
 * in the middle of an epoch.
 *
 * @param sampleBytes one sample's views (all views of the modalities trained)
 * @param bufferBatches batches ready ahead of the trainer ({@code pipeline.buffer-batches})
 * @param workers loads in flight ({@code pipeline.workers})
 */
public record PipelineMemory(long sampleBytes, int batchSize, int bufferBatches, int workers) {
  /** Share of the maximum heap the stream may take: the rest is the decoders', the actors' and the JVM's. */
  public static final double HEAP_SHARE = 0.6;

  /** @param sampleFloats values of one sample's views */
  public static PipelineMemory of(long sampleFloats, int batchSize, int bufferBatches, int workers) {
    return new PipelineMemory(sampleFloats * Float.BYTES, batchSize, bufferBatches, workers);
  }

  /** One batch's views. */
  public long batchBytes() {
    return sampleBytes * batchSize;
  }

  /** Batches held at the stream's peak: the ready ones, one being assembled twice over, one in the trainer. */
  private long batchesHeld() {
    return bufferBatches + 3L;
  }

  /** The stream's peak. */
  public long heapBytes() {
    return batchBytes() * batchesHeld() + sampleBytes * workers;
  }

  /** Whether the stream fits in {@link #HEAP_SHARE} of {@code maxHeapBytes}. */
  public boolean fits(long maxHeapBytes) {
    return heapBytes() <= HEAP_SHARE * maxHeapBytes;
  }

  /** The estimate in words, for the refusal. */
  public String describe(long maxHeapBytes) {
    return String.format(Locale.ROOT, "the batch stream needs about %s of Java heap (batch %d x %s a sample = %s, "
        + "held %d times: %d ready, one being assembled twice over, one in the trainer; plus %d loads in flight), "
        + "over %.0f %% of the %s maximum heap", gib(heapBytes()), batchSize, mib(sampleBytes), gib(batchBytes()),
        batchesHeld(), bufferBatches, workers, HEAP_SHARE * 100, gib(maxHeapBytes));
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.2f MiB", bytes / (double) (1L << 20));
  }
}
