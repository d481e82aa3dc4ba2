package crisscross.pipeline.stream;

import crisscross.pipeline.config.Settings;

/** The batch stream's keys ({@code pipeline.*}), each parsed and bounded here only. */
public final class StreamSettings {
  private StreamSettings() {}

  /** Smallest batch: the batches train backbones through batch normalisation, which needs two samples. */
  public static final int MIN_BATCH_SIZE = 2;

  /** {@code pipeline.batch-size}: samples per batch (the global batch of one optimiser step). */
  public static int batchSize(Settings settings) {
    int batch = settings.integer("pipeline.batch-size", 1, 1 << 20);
    if (batch < MIN_BATCH_SIZE) {
      throw settings.invalid("pipeline.batch-size", "must be at least " + MIN_BATCH_SIZE
          + " (batch normalisation needs two samples)");
    }
    return batch;
  }

  /** {@code pipeline.workers}: parallel sample loads; 0 = one per core. */
  public static int configuredWorkers(Settings settings) {
    return settings.integer("pipeline.workers", 0, 1024);
  }

  /** {@link #configuredWorkers} with 0 resolved to this machine's core count. */
  public static int workers(Settings settings) {
    int configured = configuredWorkers(settings);
    return configured == 0 ? Runtime.getRuntime().availableProcessors() : configured;
  }

  /** {@code pipeline.buffer-batches}: finished batches held ahead of the trainer. */
  public static int bufferBatches(Settings settings) {
    return settings.integer("pipeline.buffer-batches", 1, 1024);
  }
}
