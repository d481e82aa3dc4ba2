package crisscross.pipeline.stream;

import crisscross.pipeline.media.SkipReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pipeline reports to operators: samples loaded and their load time, skips by reason (each skipped
 * sample logged once per run), batches produced and consumed (their difference is the buffer fill).
 */
public final class PipelineMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineMetrics.class);

  private final LongAdder samplesLoaded = new LongAdder();
  private final LongAdder loadNanos = new LongAdder();
  private final Map<SkipReason, LongAdder> skipped = new EnumMap<>(SkipReason.class);
  private final Set<String> loggedSkips = ConcurrentHashMap.newKeySet();
  private final Map<SkipReason, LongAdder> badFiles = new EnumMap<>(SkipReason.class);
  private final AtomicLong batchesProduced = new AtomicLong();
  private final AtomicLong batchesConsumed = new AtomicLong();
  private final long startNanos = System.nanoTime();

  public PipelineMetrics() {
    for (SkipReason reason : SkipReason.values()) {
      skipped.put(reason, new LongAdder());
      badFiles.put(reason, new LongAdder());
    }
  }

  void loaded(long nanos) {
    samplesLoaded.increment();
    loadNanos.add(nanos);
  }

  void skipped(LoadedSample.Skipped sample) {
    skipped.get(sample.reason()).increment();
    if (loggedSkips.add(logKey(sample.visit().sampleId(), sample.reason()))) {
      LOG.warn("skipping sample {} ({}): {}", sample.visit().sampleId(), sample.reason().label(), sample.detail());
    }
  }

  private static String logKey(String sampleId, SkipReason reason) {
    return sampleId + "\u0000" + reason;
  }

  /** A skip of this sample for this reason was logged by an earlier process of the run ({@link BadFiles}). */
  void alreadyLogged(String sampleId, SkipReason reason) {
    loggedSkips.add(logKey(sampleId, reason));
  }

  /** Whether the skip of this sample for this reason has been logged in this run. */
  boolean loggedBefore(String sampleId, SkipReason reason) {
    return loggedSkips.contains(logKey(sampleId, reason));
  }

  /** A file found unusable for good ({@link BadFiles}). */
  void badFile(SkipReason reason) {
    badFiles.get(reason).increment();
  }

  /** Files known to be unusable for good, by reason (those found by earlier processes of the run included). */
  public long badFiles(SkipReason reason) {
    return badFiles.get(reason).sum();
  }

  void batchProduced() {
    batchesProduced.incrementAndGet();
  }

  void batchConsumed() {
    batchesConsumed.incrementAndGet();
  }

  public long samplesLoaded() {
    return samplesLoaded.sum();
  }

  /** Mean wall time to load one sample (fetch, decode, views, augmentation), in milliseconds. */
  public double meanLoadMillis() {
    long n = samplesLoaded.sum();
    return n == 0 ? 0 : loadNanos.sum() / 1e6 / n;
  }

  /** Samples loaded per second since the metrics were created. */
  public double samplesPerSecond() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    return seconds <= 0 ? 0 : samplesLoaded.sum() / seconds;
  }

  public long skipped(SkipReason reason) {
    return skipped.get(reason).sum();
  }

  public long skippedTotal() {
    return skipped.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Batches produced and not yet taken by the consumer: the ready buffer plus at most one in hand-off. */
  public long bufferFill() {
    return batchesProduced.get() - batchesConsumed.get();
  }
}
