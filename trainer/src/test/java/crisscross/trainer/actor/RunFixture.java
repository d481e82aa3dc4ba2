package crisscross.trainer.actor;

import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.source.SampleRef;
import crisscross.pipeline.stream.BadFiles;
import crisscross.pipeline.stream.BatchSource;
import crisscross.pipeline.stream.EpochOrders;
import crisscross.pipeline.stream.LoadedSample;
import crisscross.pipeline.stream.PipelineMetrics;
import crisscross.pipeline.stream.SampleLoader;
import crisscross.trainer.checkpoint.Checkpoint;
import crisscross.trainer.checkpoint.CheckpointManifest;
import crisscross.trainer.checkpoint.CheckpointStore;
import crisscross.trainer.checkpoint.LocalCheckpointStore;
import crisscross.trainer.host.NativeKernels;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorSystem;

/** A small run on generated views: the real graph, actors and checkpoint store around a stand-in engine. */
final class RunFixture implements AutoCloseable {
  static final int DATASET = 30;
  static final int BATCH = 4;
  static final int EPOCHS = 3;
  static final Set<Integer> DAMAGED = Set.of(7, 21);

  final List<SampleRef> samples = IntStream.range(0, DATASET).mapToObj(i -> new SampleRef(i, "clip-" + i,
      "/data/clip-" + i + ".mp4", Optional.empty(), "train", null)).toList();
  final ExecutorService workers = Executors.newFixedThreadPool(2);
  final PipelineMetrics pipeline = new PipelineMetrics();
  final RunBoard board = new RunBoard(pipeline);
  final LocalCheckpointStore store;
  final CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
  volatile BatchDigestEngine lastEngine;
  /** Wall time of one stand-in step, so that a test can act in the middle of a run. */
  volatile long stepMillis;
  /** While true, every checkpoint write fails as on a full disk (ENOSPC); the store itself stays as it was. */
  volatile boolean diskFull;
  final java.util.concurrent.atomic.AtomicInteger refusedWrites = new java.util.concurrent.atomic.AtomicInteger();
  /** Generous: the stand-in's steps take milliseconds. */
  StepWatchdog.Policy stepTimeout = new StepWatchdog.Policy(Duration.ZERO, 20, Duration.ofSeconds(30));
  /** Short backoffs, so that retries happen within a test. */
  RunSpec.CheckpointRetry checkpointRetry = new RunSpec.CheckpointRetry(10, Duration.ofMillis(20),
      Duration.ofMillis(200));
  /** Whether the engine chooses each epoch's samples (handed to the pipeline through {@link EpochOrders}). */
  boolean chosenOrders;
  /** Wraps the batch streams, to make them fail as storage or a crashing stage would. */
  java.util.function.UnaryOperator<RunSpec.BatchStreams> streamFaults = streams -> streams;
  /**
   * Where the run records its bad files, as in a run directory; when set, the damaged samples have no audio stream
   * (a permanent reason) instead of a truncated one, and the loader goes through {@link BadFiles}.
   */
  Path badFilesRecord;
  /** How often each sample's file was opened by the loader (before {@link BadFiles}). */
  final java.util.Map<Integer, java.util.concurrent.atomic.AtomicInteger> opened =
      new java.util.concurrent.ConcurrentHashMap<>();
  ActorSystem<RunSupervisor.Command> system;

  RunFixture(Path checkpoints, int keep, long failEveryNthWrite) {
    this.store = new LocalCheckpointStore(checkpoints, keep, failEveryNthWrite);
  }

  /** Views as a pure function of the visit, and two damaged samples, as real loading would give. */
  static final SampleLoader VIEWS = (sample, visit) -> {
    if (DAMAGED.contains(sample.index())) {
      return new LoadedSample.Skipped(visit, SkipReason.TRUNCATED_AUDIO, "short by 800 samples");
    }
    SampleRandom random = SampleRandom.forSample(3, visit.epoch(), visit.drawKey());
    float[][] views = new float[4][5];
    for (float[] view : views) {
      for (int i = 0; i < view.length; i++) {
        view[i] = (float) random.nextDouble();
      }
    }
    return new LoadedSample.Views(visit, List.of(views[0], views[1]), List.of(views[2], views[3]));
  };

  RunSpec spec(long maxSteps, int checkpointEvery, RunSpec.Faults faults, long nanFromStep, int maxRestarts)
      throws IOException {
    EpochOrders orders = chosenOrders ? new EpochOrders(11, DATASET, DATASET) : null;
    SampleLoader loader = badFilesRecord == null ? VIEWS : BadFiles.open(badFilesRecord, pipeline).skipping(
        (sample, visit) -> {
          opened.computeIfAbsent(sample.index(), i -> new java.util.concurrent.atomic.AtomicInteger())
              .incrementAndGet();
          return DAMAGED.contains(sample.index())
              ? new LoadedSample.Skipped(visit, SkipReason.NO_AUDIO, "the file has no audio stream")
              : VIEWS.load(sample, visit);
        });
    RunSpec.BatchStreams streams = (epoch, position) -> BatchSource.create(new BatchSource.Spec(samples, 11, epoch,
        position, EPOCHS, DATASET, BATCH, 2, 2, Duration.ofSeconds(30), 0, orders), loader, workers, pipeline);
    return new RunSpec("crisscross", "crisscross", 11, EPOCHS, (DATASET + BATCH - 1) / BATCH, maxSteps, checkpointEvery, 0,
        new RunSpec.Provenance("{}", "config-hash", "data-hash", "test", NativeKernels.current()),
        () -> {
          BatchDigestEngine engine = new BatchDigestEngine(DATASET, nanFromStep, stepMillis);
          engine.choosesOrders = chosenOrders;
          return lastEngine = engine;
        }, streamFaults.apply(streams), new DiskFullSwitch(),
        new RunSpec.RestartPolicy(maxRestarts, Duration.ofMinutes(1), Duration.ofMillis(10), Duration.ofMillis(50)),
        checkpointRetry, stepTimeout, faults, board, orders);
  }

  RunOutcome run(RunSpec spec) throws Exception {
    start(spec);
    return outcome.get(120, java.util.concurrent.TimeUnit.SECONDS);
  }

  void start(RunSpec spec) {
    system = ActorSystem.create(RunGuardian.create(spec, outcome), "run-test");
  }

  @Override
  public void close() throws Exception {
    if (system != null) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    workers.shutdownNow();
  }

  /** The fixture's store, with {@link #diskFull} in front of its writes. */
  private final class DiskFullSwitch implements CheckpointStore {
    @Override
    public String location() {
      return store.location();
    }

    @Override
    public CheckpointManifest write(Checkpoint checkpoint) throws IOException {
      if (diskFull) {
        refusedWrites.incrementAndGet();
        throw new IOException("No space left on device");
      }
      return store.write(checkpoint);
    }

    @Override
    public List<String> names() throws IOException {
      return store.names();
    }

    @Override
    public Verification verify(String name) {
      return store.verify(name);
    }

    @Override
    public Checkpoint read(String name) throws IOException {
      return store.read(name);
    }

    @Override
    public CheckpointManifest manifest(String name) throws IOException {
      return store.manifest(name);
    }

    @Override
    public void discard(String name) throws IOException {
      store.discard(name);
    }
  }
}

