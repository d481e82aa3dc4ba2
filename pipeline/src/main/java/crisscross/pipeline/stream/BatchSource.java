package crisscross.pipeline.stream;

import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.source.SampleRef;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The pipeline graph: visits of (epoch, position) in the epoch's plan (the seeded shuffle, or the order a method chose
 * and published through {@link EpochOrders}) → parallel loading on a dedicated executor
 * (order kept, so output never depends on parallelism) → batches within epochs → a bounded buffer. Backpressure
 * runs end to end: at most {@code workers} loads in flight and {@code bufferBatches} batches ready, whatever the
 * consumer's speed.
 */
public final class BatchSource {
  private BatchSource() {}

  /**
   * Where and how the stream runs.
   *
   * @param startEpoch first epoch to produce
   * @param startPosition position in {@code startEpoch}'s order to start at (0 for a fresh epoch)
   * @param epochs the run's total number of epochs (the stream ends after epoch {@code epochs - 1})
   * @param epochSize visits per epoch
   * @param injectedFailureRate fraction of visits failed on purpose ({@code faults.decode-failure-rate})
   * @param orders where each epoch's plan comes from when a method chooses it, or null for the seeded shuffle
   */
  public record Spec(List<SampleRef> samples, long runSeed, int startEpoch, long startPosition, int epochs,
      long epochSize, int batchSize, int workers, int bufferBatches, Duration loadTimeout,
      double injectedFailureRate, EpochOrders orders) {
    public Spec {
      samples = List.copyOf(samples);
      if (orders != null && orders.epochSize() != epochSize) {
        throw new IllegalArgumentException("epoch orders for epochs of " + orders.epochSize() + ", not " + epochSize);
      }
      if (samples.isEmpty()) {
        throw new IllegalArgumentException("no samples to stream");
      }
      if (startPosition < 0 || startPosition > epochSize) {
        throw new IllegalArgumentException("start position " + startPosition + " outside epoch of " + epochSize);
      }
      if (workers < 1 || bufferBatches < 1 || batchSize < 1) {
        throw new IllegalArgumentException("workers, buffer and batch size must be positive");
      }
    }

    /** A stream over the seeded shuffle of every epoch. */
    public Spec(List<SampleRef> samples, long runSeed, int startEpoch, long startPosition, int epochs,
        long epochSize, int batchSize, int workers, int bufferBatches, Duration loadTimeout,
        double injectedFailureRate) {
      this(samples, runSeed, startEpoch, startPosition, epochs, epochSize, batchSize, workers, bufferBatches,
          loadTimeout, injectedFailureRate, null);
    }
  }

  /** The batch stream; the kill switch stops it (and its in-flight loads are dropped). */
  public static Source<Batch, UniqueKillSwitch> create(Spec spec, SampleLoader loader, Executor executor,
      PipelineMetrics metrics) {
    return visits(spec)
        .viaMat(KillSwitches.single(), Keep.right())
        .mapAsync(spec.workers(), visit -> load(spec, loader, executor, metrics, visit))
        .statefulMap(() -> new BatchAssembler(spec.batchSize()),
            (assembler, sample) -> Pair.create(assembler, assembler.add(sample)),
            assembler -> Optional.of(assembler.flush()))
        .filter(Optional::isPresent)
        .map(Optional::get)
        .map(batch -> {
          metrics.batchProduced();
          return batch;
        })
        .buffer(spec.bufferBatches(), OverflowStrategy.backpressure())
        .map(batch -> {
          metrics.batchConsumed();
          return batch;
        });
  }

  /**
   * Every visit from (startEpoch, startPosition) to the end of the last epoch; with chosen orders, each epoch's
   * visits start once its plan is published (an asynchronous wait: no thread is held).
   */
  private static Source<LoadedSample.Visit, NotUsed> visits(Spec spec) {
    if (spec.orders() == null) {
      return Source.fromIterator(() -> new VisitIterator(spec, spec.startEpoch(), spec.startPosition(), spec.epochs(),
          epoch -> new EpochPlan(spec.runSeed(), epoch, spec.samples().size(), spec.epochSize())));
    }
    int first = spec.startPosition() == spec.epochSize() ? spec.startEpoch() + 1 : spec.startEpoch();
    long firstPosition = first == spec.startEpoch() ? spec.startPosition() : 0;
    if (first >= spec.epochs()) {
      return Source.empty();
    }
    return Source.range(first, spec.epochs() - 1)
        .flatMapConcat(epoch -> Source.completionStage(spec.orders().plan(epoch))
            .flatMapConcat(plan -> Source.fromIterator(() -> new VisitIterator(spec, epoch,
                epoch == first ? firstPosition : 0, epoch + 1, e -> plan))));
  }

  private static CompletionStage<LoadedSample> load(Spec spec, SampleLoader loader, Executor executor,
      PipelineMetrics metrics, LoadedSample.Visit visit) {
    SampleRef sample = spec.samples().get(visit.sampleIndex());
    if (spec.injectedFailureRate() > 0 && SampleRandom.forSample(spec.runSeed(), visit.epoch(), visit.drawKey())
        .fork("faults.decode-failure").bernoulli(spec.injectedFailureRate())) {
      LoadedSample.Skipped skipped = new LoadedSample.Skipped(visit, SkipReason.INJECTED_FAILURE,
          "faults.decode-failure-rate=" + spec.injectedFailureRate());
      metrics.skipped(skipped);
      return CompletableFuture.completedFuture(skipped);
    }
    return CompletableFuture.supplyAsync(() -> {
      long start = System.nanoTime();
      LoadedSample result;
      try {
        result = loader.load(sample, visit);
      } catch (VirtualMachineError e) {
        // Out of memory is the run's problem, not the sample's: it fails the stream instead of being a skip.
        throw e;
      } catch (RuntimeException | Error e) {
        // A bug or a native failure on one file must not end a days-long run: skip it loudly.
        result = new LoadedSample.Skipped(visit, SkipReason.UNREADABLE, "loader failed: " + e);
      }
      if (result instanceof LoadedSample.Views) {
        metrics.loaded(System.nanoTime() - start);
      }
      return result;
    }, executor)
        .completeOnTimeout(new LoadedSample.Skipped(visit, SkipReason.TIMEOUT, "took longer than "
            + spec.loadTimeout()), spec.loadTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(result -> {
          if (result instanceof LoadedSample.Skipped skipped) {
            metrics.skipped(skipped);
          }
          return result;
        });
  }

  /** The visits from (epoch, position) to the end of epoch {@code endEpoch - 1}, each epoch in its plan's order. */
  static final class VisitIterator implements Iterator<LoadedSample.Visit> {
    private final Spec spec;
    private final int endEpoch;
    private final IntFunction<EpochPlan> plans;
    private int epoch;
    private long position;
    private EpochPlan plan;

    VisitIterator(Spec spec, int startEpoch, long startPosition, int endEpoch, IntFunction<EpochPlan> plans) {
      this.spec = spec;
      this.endEpoch = endEpoch;
      this.plans = plans;
      this.epoch = startEpoch;
      this.position = startPosition;
      if (position == spec.epochSize()) {
        epoch++;
        position = 0;
      }
    }

    @Override
    public boolean hasNext() {
      return epoch < endEpoch;
    }

    @Override
    public LoadedSample.Visit next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      if (plan == null) {
        plan = plans.apply(epoch);
      }
      int index = plan.sampleAt(position);
      boolean last = position == spec.epochSize() - 1;
      LoadedSample.Visit visit = new LoadedSample.Visit(epoch, position, index,
          spec.samples().get(index).id(), plan.drawKey(position), last);
      position++;
      if (last) {
        epoch++;
        position = 0;
        plan = null;
      }
      return visit;
    }
  }
}
