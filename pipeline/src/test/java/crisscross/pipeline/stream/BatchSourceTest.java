package crisscross.pipeline.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.source.SampleRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchSourceTest {
  private static ActorSystem system;
  private static ExecutorService workers;

  @BeforeAll
  static void start() {
    system = ActorSystem.create("batch-source-test");
    workers = Executors.newFixedThreadPool(4);
  }

  @AfterAll
  static void stop() throws Exception {
    workers.shutdownNow();
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static List<SampleRef> samples(int n) {
    return IntStream.range(0, n).mapToObj(i -> new SampleRef(i, "clip-" + i, "/data/clip-" + i + ".mp4",
        Optional.empty(), "train", null)).toList();
  }

  /**
   * Views that are a pure function of the visit (as real loading is), with a random delay so workers finish out
   * of order, and a fixed set of samples that are "damaged".
   */
  static final class DeterministicViewsLoader implements SampleLoader {
    final Set<Integer> damaged;
    final AtomicInteger calls = new AtomicInteger();
    final boolean jitter;

    DeterministicViewsLoader(Set<Integer> damaged, boolean jitter) {
      this.damaged = damaged;
      this.jitter = jitter;
    }

    @Override
    public LoadedSample load(SampleRef sample, LoadedSample.Visit visit) {
      calls.incrementAndGet();
      SampleRandom random = SampleRandom.forSample(99, visit.epoch(), visit.drawKey());
      if (jitter) {
        try {
          Thread.sleep(random.fork("delay").nextInt(4));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (damaged.contains(sample.index())) {
        return new LoadedSample.Skipped(visit, SkipReason.TRUNCATED_VIDEO, "short by 3 frames");
      }
      float[][] views = new float[4][6];
      for (float[] view : views) {
        for (int i = 0; i < view.length; i++) {
          view[i] = (float) random.nextDouble();
        }
      }
      return new LoadedSample.Views(visit, List.of(views[0], views[1]), List.of(views[2], views[3]));
    }
  }

  static BatchSource.Spec spec(int startEpoch, long startPosition, int workerCount) {
    return new BatchSource.Spec(samples(23), 5, startEpoch, startPosition, 3, 23, 4, workerCount, 2,
        Duration.ofSeconds(20), 0.0);
  }

  static List<Batch> run(BatchSource.Spec spec, SampleLoader loader) throws Exception {
    return BatchSource.create(spec, loader, workers, new PipelineMetrics())
        .runWith(Sink.seq(), system).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void everyVisitOfEveryEpochIsConsumedExactlyOnceInPlanOrder() throws Exception {
    List<Batch> batches = run(spec(0, 0, 4), new DeterministicViewsLoader(Set.of(3, 17), true));
    for (int e = 0; e < 3; e++) {
      final int epoch = e;
      EpochPlan plan = new EpochPlan(5, epoch, 23, 23);
      List<Integer> consumed = new ArrayList<>();
      long position = 0;
      for (Batch batch : batches) {
        if (batch.epoch() != epoch) {
          continue;
        }
        assertThat(batch.startPosition()).isEqualTo(position);
        position = batch.endPosition();
        for (int i : batch.sampleIndices()) {
          consumed.add(i);
        }
        batch.skipped().forEach(s -> consumed.add(s.visit().sampleIndex()));
        assertThat(batch.size()).isLessThanOrEqualTo(4);
      }
      assertThat(position).isEqualTo(23);
      assertThat(new HashSet<>(consumed)).hasSize(23);
      List<Integer> planOrder = IntStream.range(0, 23).map(plan::sampleAt).boxed().toList();
      List<Integer> trainedInPlanOrder = planOrder.stream().filter(i -> i != 3 && i != 17).toList();
      List<Integer> trained = new ArrayList<>();
      batches.stream().filter(b -> b.epoch() == epoch).forEach(b -> Arrays.stream(b.sampleIndices())
          .forEach(trained::add));
      assertThat(trained).isEqualTo(trainedInPlanOrder);
    }
    assertThat(batches.stream().filter(Batch::lastOfEpoch)).hasSize(3);
    long skippedTotal = batches.stream().mapToLong(b -> b.skipped().size()).sum();
    assertThat(skippedTotal).isEqualTo(6);
    assertThat(batches.get(0).video(1)).hasSize(4 * 6);
  }

  @Test
  void outputDoesNotDependOnParallelism() throws Exception {
    List<Batch> one = run(spec(0, 0, 1), new DeterministicViewsLoader(Set.of(5), false));
    List<Batch> four = run(spec(0, 0, 4), new DeterministicViewsLoader(Set.of(5), true));
    assertThat(four).hasSameSizeAs(one);
    for (int i = 0; i < one.size(); i++) {
      assertSameBatch(four.get(i), one.get(i));
    }
  }

  @Test
  void aStreamStartedAtAnEpochAndPositionProducesExactlyTheRestOfTheRun() throws Exception {
    List<Batch> full = run(spec(0, 0, 3), new DeterministicViewsLoader(Set.of(8), true));
    int cut = 8;
    Batch resumePoint = full.get(cut - 1);
    long position = resumePoint.lastOfEpoch() ? 23 : resumePoint.endPosition();
    List<Batch> resumed = run(spec(resumePoint.epoch(), position, 2), new DeterministicViewsLoader(Set.of(8), true));
    List<Batch> rest = full.subList(cut, full.size());
    assertThat(resumed).hasSameSizeAs(rest);
    for (int i = 0; i < rest.size(); i++) {
      assertSameBatch(resumed.get(i), rest.get(i));
    }
  }

  @Test
  void aSlowConsumerBoundsTheWorkInFlightAndLosesNothing() throws Exception {
    DeterministicViewsLoader loader = new DeterministicViewsLoader(Set.of(), false);
    BatchSource.Spec spec = new BatchSource.Spec(samples(200), 5, 0, 0, 1, 200, 4, 3, 2, Duration.ofSeconds(20), 0);
    PipelineMetrics metrics = new PipelineMetrics();
    TestSubscriber.Probe<Batch> probe = BatchSource.create(spec, loader, workers, metrics)
        .runWith(TestSink.create(system), system);
    probe.request(1);
    probe.expectNext(Duration.ofSeconds(10));
    Thread.sleep(700);
    int loadedWhileStalled = loader.calls.get();
    Thread.sleep(700);
    // Nothing more is loaded while the consumer does not pull: the buffer (2 batches), one batch being
    // assembled, the batch handed out, and the workers' in-flight loads bound it.
    assertThat(loader.calls.get()).isEqualTo(loadedWhileStalled);
    assertThat(loadedWhileStalled).isLessThanOrEqualTo(4 * (2 + 1 + 1) + 3 + 2 * 4);
    assertThat(metrics.bufferFill()).isLessThanOrEqualTo(2 + 1);
    int received = 1;
    probe.request(1000);
    while (true) {
      var event = probe.expectNextOrComplete();
      if (event.isLeft()) {
        break;
      }
      received++;
    }
    assertThat(received).isEqualTo(50);
    assertThat(loader.calls.get()).isEqualTo(200);
  }

  @Test
  void aHangingLoadIsSkippedAsTimeoutAndACrashingLoaderAsUnreadable() throws Exception {
    SampleLoader troubled = (sample, visit) -> {
      if (sample.index() == 2) {
        try {
          Thread.sleep(3_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (sample.index() == 4) {
        throw new IllegalStateException("native decoder exploded");
      }
      return new LoadedSample.Views(visit, List.of(new float[1], new float[1]), List.of(new float[1], new float[1]));
    };
    BatchSource.Spec spec = new BatchSource.Spec(samples(6), 5, 0, 0, 1, 6, 10, 2, 2, Duration.ofMillis(300), 0);
    PipelineMetrics metrics = new PipelineMetrics();
    List<Batch> batches = BatchSource.create(spec, troubled, workers, metrics)
        .runWith(Sink.seq(), system).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(batches).singleElement().satisfies(b -> {
      assertThat(b.size()).isEqualTo(4);
      assertThat(b.skipped()).extracting(LoadedSample.Skipped::reason)
          .containsExactlyInAnyOrder(SkipReason.TIMEOUT, SkipReason.UNREADABLE);
    });
    assertThat(metrics.skipped(SkipReason.TIMEOUT)).isEqualTo(1);
    assertThat(metrics.skipped(SkipReason.UNREADABLE)).isEqualTo(1);
  }

  @Test
  void runningOutOfMemoryFailsTheStreamAndIsNeverASkippedSample() {
    SampleLoader starved = (sample, visit) -> {
      if (sample.index() == 3) {
        throw new OutOfMemoryError("Java heap space");
      }
      return new LoadedSample.Views(visit, List.of(new float[1], new float[1]), List.of(new float[1], new float[1]));
    };
    BatchSource.Spec spec = new BatchSource.Spec(samples(6), 5, 0, 0, 1, 6, 6, 2, 2, Duration.ofSeconds(10), 0);
    PipelineMetrics metrics = new PipelineMetrics();
    assertThatThrownBy(() -> BatchSource.create(spec, starved, workers, metrics)
        .runWith(Sink.seq(), system).toCompletableFuture().get(30, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(OutOfMemoryError.class);
    assertThat(metrics.skippedTotal()).isZero();
  }

  @Test
  void injectedFailuresAreDeterministicAndCounted() throws Exception {
    BatchSource.Spec spec = new BatchSource.Spec(samples(100), 5, 0, 0, 1, 100, 8, 2, 2, Duration.ofSeconds(20),
        0.2);
    List<Batch> a = run(spec, new DeterministicViewsLoader(Set.of(), false));
    List<Batch> b = run(spec, new DeterministicViewsLoader(Set.of(), true));
    List<String> skippedA = a.stream().flatMap(x -> x.skipped().stream()).map(s -> s.visit().sampleId()).toList();
    List<String> skippedB = b.stream().flatMap(x -> x.skipped().stream()).map(s -> s.visit().sampleId()).toList();
    assertThat(skippedA).isEqualTo(skippedB).hasSizeBetween(8, 35);
    assertThat(a.stream().flatMap(x -> x.skipped().stream()))
        .allSatisfy(s -> assertThat(s.reason()).isEqualTo(SkipReason.INJECTED_FAILURE));
  }

  @Test
  void chosenEpochOrdersAreWaitedForAndStreamedAsPublishedFromAnyStartPosition() throws Exception {
    EpochOrders orders = new EpochOrders(5, 23, 23);
    BatchSource.Spec spec = new BatchSource.Spec(samples(23), 5, 0, 9, 2, 23, 4, 3, 2, Duration.ofSeconds(20), 0.0,
        orders);
    TestSubscriber.Probe<Batch> probe = BatchSource.create(spec, new DeterministicViewsLoader(Set.of(), true),
        workers, new PipelineMetrics()).toMat(TestSink.probe(system), org.apache.pekko.stream.javadsl.Keep.right())
        .run(system);
    probe.request(100);
    probe.expectNoMessage(Duration.ofMillis(300));
    int[] epoch0 = IntStream.range(0, 23).map(p -> (p * 5) % 7).toArray();
    orders.publish(0, epoch0);
    List<Batch> batches = new ArrayList<>();
    // Epoch 0 from position 9: 14 visits in batches of 4; epoch 1 is not published yet, so the stream waits there.
    for (int i = 0; i < 4; i++) {
      batches.add(probe.expectNext(Duration.ofSeconds(20)));
    }
    probe.expectNoMessage(Duration.ofMillis(300));
    orders.publishDefault(1);
    while (true) {
      var event = probe.expectNextOrComplete();
      if (event.isLeft()) {
        break;
      }
      batches.add(event.right().get());
    }
    List<Integer> trained0 = new ArrayList<>();
    List<Integer> trained1 = new ArrayList<>();
    for (Batch batch : batches) {
      Arrays.stream(batch.sampleIndices()).forEach((batch.epoch() == 0 ? trained0 : trained1)::add);
    }
    assertThat(trained0).isEqualTo(Arrays.stream(epoch0, 9, 23).boxed().toList());
    EpochPlan shuffled = new EpochPlan(5, 1, 23, 23);
    assertThat(trained1).isEqualTo(IntStream.range(0, 23).map(shuffled::sampleAt).boxed().toList());
    assertThat(batches.get(3).lastOfEpoch()).isTrue();
    assertThatThrownBy(() -> orders.publish(0, IntStream.range(0, 23).toArray()))
        .hasMessageContaining("epoch 0 was published twice with different orders");
    orders.publish(0, epoch0.clone());
    assertThatThrownBy(() -> orders.publish(2, new int[5])).hasMessageContaining("a chosen order of 5 visits");
  }

  private static void assertSameBatch(Batch actual, Batch expected) {
    assertThat(actual.epoch()).isEqualTo(expected.epoch());
    assertThat(actual.startPosition()).isEqualTo(expected.startPosition());
    assertThat(actual.endPosition()).isEqualTo(expected.endPosition());
    assertThat(actual.sampleIndices()).isEqualTo(expected.sampleIndices());
    assertThat(actual.video(1)).isEqualTo(expected.video(1));
    assertThat(actual.audio(2)).isEqualTo(expected.audio(2));
    assertThat(actual.skipped()).hasSameSizeAs(expected.skipped());
  }
}
