package crisscross.trainer.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import crisscross.pipeline.audio.LogMelStatistics;
import crisscross.pipeline.augment.AudioAugmentSettings;
import crisscross.pipeline.config.ConfigError;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.sample.ClipCounts;
import crisscross.pipeline.sample.ViewSampler;
import crisscross.pipeline.source.DataSettings;
import crisscross.pipeline.source.Dataset;
import crisscross.pipeline.source.Datasets;
import crisscross.pipeline.source.MediaStore;
import crisscross.pipeline.statistics.DatasetAudioStatistics;
import crisscross.pipeline.storage.S3Settings;
import crisscross.pipeline.stream.BadFiles;
import crisscross.pipeline.stream.BatchSource;
import crisscross.pipeline.stream.DecodingSampleLoader;
import crisscross.pipeline.stream.EpochOrders;
import crisscross.pipeline.stream.PipelineMemory;
import crisscross.pipeline.stream.PipelineMetrics;
import crisscross.pipeline.stream.PipelineSettings;
import crisscross.pipeline.stream.SampleLoader;
import crisscross.trainer.actor.RunBoard;
import crisscross.trainer.actor.RunGuardian;
import crisscross.trainer.actor.RunOutcome;
import crisscross.trainer.actor.RunSpec;
import crisscross.trainer.actor.RunSupervisor;
import crisscross.trainer.actor.StepWatchdog;
import crisscross.trainer.actor.TrainingEngine;
import crisscross.trainer.backend.Backend;
import crisscross.trainer.checkpoint.Checkpoint;
import crisscross.trainer.checkpoint.CheckpointStore;
import crisscross.trainer.checkpoint.CheckpointStores;
import crisscross.trainer.checkpoint.ResumeCompatibility;
import crisscross.trainer.checkpoint.ResumePoint;
import crisscross.trainer.export.InitialWeights;
import crisscross.trainer.host.NativeKernels;
import crisscross.trainer.method.Method;
import crisscross.trainer.method.MethodContext;
import crisscross.trainer.method.Methods;
import crisscross.trainer.method.SampleFeatures;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import crisscross.trainer.model.View;
import crisscross.trainer.monitor.MonitorServer;
import crisscross.trainer.monitor.MonitorSettings;
import crisscross.trainer.optim.OptimSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pretraining run assembled from configuration: dataset and sample loader, batch streams on a dedicated pool
 * of pipeline workers, the model engine, the checkpoint store (checked for compatibility before resuming), the
 * monitor, and the actor system that runs it all. {@link #start} returns at once; {@link #outcome} completes when
 * the run ends.
 */
public final class PretrainRun implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PretrainRun.class);
  /** The run directory's record of files found unusable for good ({@link BadFiles}). */
  public static final String BAD_FILES = "bad-files.jsonl";

  /**
   * What the launcher decides besides configuration.
   *
   * @param sampleFeatures how methods that cluster their data (XDC) get every sample's features; null where no
   *     feature extraction is wired (such methods are then refused at start)
   */
  public record Options(Path runDirectory, long maxStepsOverride, String codeVersion,
      RunSpec.Faults faultsOverride, SampleFeatures.Factory sampleFeatures) {
    public Options(Path runDirectory, long maxStepsOverride, String codeVersion, RunSpec.Faults faultsOverride) {
      this(runDirectory, maxStepsOverride, codeVersion, faultsOverride, null);
    }
  }

  /** The run directory's folder for methods' files (feature matrices). */
  public static final String METHOD_DIRECTORY = "method";

  /** Facts about a started run, for the console. */
  public record Started(Dataset dataset, String method, String objective, long epochSize, long stepsPerEpoch, int epochs,
      Optional<String> resumedFrom, String checkpointLocation, String monitorUrl) {}

  private final CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
  /** The engine built at start to check {@code model.init-from}, until the trainer takes it. */
  private final AtomicReference<TrainingEngine> checkedEngine = new AtomicReference<>();
  private ExecutorService workers;
  private MediaStore media;
  private SampleFeatures sampleFeatures;
  private ActorSystem<RunSupervisor.Command> system;
  private MonitorServer monitor;
  private RunBoard board;

  private PretrainRun() {}

  public static PretrainRun create() {
    return new PretrainRun();
  }

  /** Builds everything and starts the actors; throws {@link ConfigError} for settings that cannot run. */
  public Started start(Settings given, Options options) throws IOException {
    DataSettings data = RunSettings.from(given).pipeline().data();
    Dataset dataset = Datasets.open(data);
    media = MediaStore.open(data);
    String checkpointDir = given.string("checkpoint.dir").isBlank()
        ? options.runDirectory().resolve("checkpoints").toString() : given.string("checkpoint.dir");
    CheckpointStore store = CheckpointStores.open(checkpointDir, given.integer("checkpoint.keep", 1, 1000),
        given.longInteger("faults.checkpoint-write-failure-every", 0, Long.MAX_VALUE), S3Settings.from(given),
        options.runDirectory());
    Optional<StoredCheckpoint> latest = latestCheckpoint(store, given);
    Settings settings = withAudioStatistics(given, latest, dataset, media, options.runDirectory());
    long seed = settings.runSeed();
    RunSettings run = RunSettings.from(settings);
    PipelineSettings pipeline = run.pipeline();
    ModelSettings modelSettings = run.model();
    OptimSettings optim = run.optim();
    Optional<InitialWeights> initialWeights = InitialWeights.from(settings);
    PipelineMetrics pipelineMetrics = new PipelineMetrics();
    BadFiles badFiles = BadFiles.open(options.runDirectory().resolve(BAD_FILES), pipelineMetrics);
    if (options.sampleFeatures() != null) {
      sampleFeatures = options.sampleFeatures().create(settings, dataset.samples(), media, badFiles);
    }
    MethodContext methodContext = sampleFeatures == null ? MethodContext.withoutData(settings, optim)
        : new MethodContext(settings, optim, Optional.of(new MethodContext.RunData(dataset.samples(),
            options.runDirectory().resolve(METHOD_DIRECTORY), sampleFeatures)));
    Method method = Methods.from(methodContext);
    ClipCounts clips = checkViews(method, new ViewSampler(pipeline.sampling()));
    int batchSize = pipeline.batchSize();
    int workerCount = pipeline.workers();
    long epochSize = settings.longInteger("optim.epoch-size", 0, Long.MAX_VALUE);
    if (epochSize == 0) {
      epochSize = dataset.samples().size();
    }
    long stepsPerEpoch = Math.max(1, epochSize / batchSize);
    long maxSteps = options.maxStepsOverride() >= 0 ? options.maxStepsOverride()
        : settings.longInteger("trainer.max-steps", 0, Long.MAX_VALUE);
    int bufferBatches = pipeline.bufferBatches();
    long sampleFloats = 0;
    for (View view : method.views()) {
      sampleFloats += modelSettings.viewSize(view.modality());
    }
    PipelineMemory memory = PipelineMemory.of(sampleFloats, batchSize, bufferBatches, workerCount);
    long maxHeap = Runtime.getRuntime().maxMemory();
    if (!memory.fits(maxHeap)) {
      throw settings.invalid("pipeline.batch-size", memory.describe(maxHeap)
          + ". Lower pipeline.batch-size or pipeline.buffer-batches, or give the JVM more heap "
          + "(CRISSCROSS_JAVA_OPTS=-Xmx...)");
    }

    Backend backend = Backends.current();
    NativeKernels kernels = backend.kernels();
    LOG.info("native kernels: {}", kernels.describe());
    Optional<String> resumedFrom = checkResumable(store, latest, settings, dataset, kernels);

    DecodingSampleLoader loader = DecodingSampleLoader.create(pipeline, media, clips);
    workers = Executors.newFixedThreadPool(workerCount, named("crisscross-pipeline-"));
    SampleLoader usable = badFiles.skipping(loader);
    int epochs = optim.epochs();
    long finalEpochSize = epochSize;
    double failureRate = settings.real("faults.decode-failure-rate", 0, 1);
    Duration timeout = pipeline.decode().timeout();
    EpochOrders epochOrders = method.choosesEpochOrder()
        ? new EpochOrders(seed, dataset.samples().size(), epochSize) : null;
    RunSpec.BatchStreams streams = (epoch, position) -> BatchSource.create(new BatchSource.Spec(dataset.samples(),
        seed, epoch, position, epochs, finalEpochSize, batchSize, workerCount, bufferBatches, timeout, failureRate,
        epochOrders), usable, workers, pipelineMetrics);

    if (initialWeights.isPresent()) {
      checkedEngine.set(checkInitialWeights(settings, () -> backend.trainingEngine(modelSettings,
          Methods.from(methodContext), optim, stepsPerEpoch, seed, initialWeights)));
    }
    board = new RunBoard(pipelineMetrics);
    RunSpec.Faults faults = options.faultsOverride() != null ? options.faultsOverride()
        : RunSpec.Faults.crashEvery(settings.longInteger("faults.trainer-crash-every", 0, Long.MAX_VALUE));
    RunSpec spec = new RunSpec(method.name(), method.variant(), seed, epochs, stepsPerEpoch, maxSteps,
        settings.integer("checkpoint.every-steps", 0, Integer.MAX_VALUE), settings.integer("trainer.log-every", 0,
        Integer.MAX_VALUE),
        new RunSpec.Provenance(settings.renderCanonical(), settings.hash(), dataset.manifestHash(),
            options.codeVersion(), kernels),
        () -> {
          TrainingEngine checked = checkedEngine.getAndSet(null);
          return checked != null ? checked : backend.trainingEngine(modelSettings, Methods.from(methodContext), optim,
              stepsPerEpoch, seed, initialWeights);
        },
        streams, store,
        new RunSpec.RestartPolicy(settings.integer("trainer.max-restarts", 0, 1000),
            settings.duration("trainer.restart-window", Duration.ofSeconds(1)),
            settings.duration("trainer.restart-min-backoff", Duration.ofMillis(1)),
            settings.duration("trainer.restart-max-backoff", Duration.ofMillis(1))),
        new RunSpec.CheckpointRetry(settings.integer("checkpoint.max-consecutive-failures", 1, 1_000_000),
            settings.duration("checkpoint.retry-min-backoff", Duration.ofMillis(1)),
            settings.duration("checkpoint.retry-max-backoff", Duration.ofMillis(1))),
        new StepWatchdog.Policy(settings.duration("trainer.step-timeout", Duration.ZERO),
            settings.real("trainer.step-timeout-multiple", 2, 1e6),
            settings.duration("trainer.step-timeout-min", Duration.ofSeconds(1))),
        faults, board, epochOrders);
    system = ActorSystem.create(RunGuardian.create(spec, outcome), "crisscross");
    monitor = MonitorServer.start(system, MonitorSettings.from(settings), board, board).toCompletableFuture().join();
    return new Started(dataset, method.name(), method.variant(), epochSize, stepsPerEpoch, epochs, resumedFrom, store.location(),
        monitor.url().toString());
  }

  /**
   * Builds the first engine, whose weights come from {@code model.init-from}: a file that does not fit the model is
   * refused at start, naming the key, the file and the tensor, rather than failing the trainer at every restart.
   * The engine is the trainer's first, so the check costs no extra graph.
   */
  static TrainingEngine checkInitialWeights(Settings settings, TrainingEngine.Factory engines) {
    try {
      return engines.create();
    } catch (IllegalArgumentException e) {
      throw settings.invalid("model.init-from", e.getMessage());
    }
  }

  /**
   * Refuses a method that asks for views the pipeline cannot produce under the configured sampling, naming the
   * method and the views; returns the clips the pipeline is to cut.
   */
  static ClipCounts checkViews(Method method, ViewSampler sampler) {
    if (method.views().isEmpty()) {
      throw new ConfigError("method " + method.name() + " (" + method.variant() + ") declares no views");
    }
    ClipCounts clips = method.clips();
    sampler.refusal(clips).ifPresent(why -> {
      throw new ConfigError("method " + method.name() + " (" + method.variant() + ") asks for views "
          + method.views().stream().map(View::key).collect(java.util.stream.Collectors.joining(", "))
          + ", which the view sampler cannot cut: " + why);
    });
    return clips;
  }

  /** A checkpoint of the store, read back, with its name. */
  record StoredCheckpoint(String name, Checkpoint checkpoint) {}

  /**
   * The newest readable checkpoint of {@code store}, the one a run resumes from; a store whose checkpoints are all
   * unreadable is refused (or, with {@code checkpoint.discard-unreadable}, emptied: see {@link ResumePoint}).
   */
  static Optional<StoredCheckpoint> latestCheckpoint(CheckpointStore store, Settings settings) throws IOException {
    try {
      return ResumePoint.find(store, settings.bool(ResumePoint.DISCARD_KEY), LOG::warn)
          .map(loaded -> new StoredCheckpoint(loaded.name(), loaded.checkpoint()));
    } catch (ResumePoint.UnreadableCheckpointsException e) {
      throw new ConfigError(e.getMessage(), e);
    }
  }

  /**
   * {@code settings} with the run's log-mel statistics where {@code audio.standardize = dataset} and none are given:
   * those the checkpoint it resumes from was trained with, so that a resumed run standardises exactly as before, or
   * else measured now on the training samples and recorded in the run directory. The effective configuration, and
   * so every checkpoint, carries them; {@code evaluate} and {@code features} read them there.
   */
  static Settings withAudioStatistics(Settings settings, Optional<StoredCheckpoint> latest, Dataset dataset,
      MediaStore media, Path runDirectory) throws IOException {
    if (!DatasetAudioStatistics.needed(settings)) {
      return settings;
    }
    if (latest.isPresent()) {
      Optional<LogMelStatistics> stored = storedAudioStatistics(latest.get().checkpoint());
      if (stored.isPresent()) {
        LOG.info("audio standardisation: log-mel mean {} and std {} of checkpoint {}", stored.get().mean(),
            stored.get().std(), latest.get().name());
        return DatasetAudioStatistics.withStatistics(settings, stored.get(), "checkpoint " + latest.get().name());
      }
    }
    DatasetAudioStatistics measurement = DatasetAudioStatistics.from(settings);
    LogMelStatistics measured;
    try {
      measured = measurement.measure(dataset.samples(), media);
    } catch (IllegalStateException e) {
      throw new ConfigError(e.getMessage() + " (" + dataset.root() + "); set audio.standardize = view or fixed, or "
          + "give audio.dataset-statistics.mean and .std", e);
    }
    Path file = DatasetAudioStatistics.write(runDirectory, measured, measurement.clips(), settings.runSeed());
    LOG.info("audio standardisation: log-mel mean {} and std {} measured on up to {} training clips, recorded in {}",
        measured.mean(), measured.std(), measurement.clips(), file);
    return DatasetAudioStatistics.withStatistics(settings, measured, "measured at run start (" + file + ")");
  }

  /** The dataset statistics a checkpoint was trained with, when it was trained with dataset statistics. */
  private static Optional<LogMelStatistics> storedAudioStatistics(Checkpoint checkpoint) {
    AudioAugmentSettings audio;
    try {
      Config stored = ConfigFactory.parseString(checkpoint.effectiveConfig(),
          ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
      audio = AudioAugmentSettings.from(ConfigLoader.load(List.of(stored), List.of()));
    } catch (ConfigException | ConfigError e) {
      // A configuration this build cannot read is refused, naming its keys, when the run checks it for resuming.
      return Optional.empty();
    }
    return audio.standardization() == AudioAugmentSettings.Standardization.DATASET ? audio.datasetStatistics()
        : Optional.empty();
  }

  /**
   * Refuses to continue a run whose checkpoint was made under settings that change the computation, or whose
   * checkpoints are all unreadable (unless {@code checkpoint.discard-unreadable}, see {@link ResumePoint}), and warns
   * in one line when it was computed by other native kernels than {@code kernels}.
   */
  static Optional<String> checkResumable(CheckpointStore store, Settings settings, Dataset dataset,
      NativeKernels kernels) throws IOException {
    return checkResumable(store, latestCheckpoint(store, settings), settings, dataset, kernels);
  }

  /** {@link #checkResumable(CheckpointStore, Settings, Dataset, NativeKernels)} with the store's newest checkpoint. */
  static Optional<String> checkResumable(CheckpointStore store, Optional<StoredCheckpoint> latest,
      Settings settings, Dataset dataset, NativeKernels kernels) {
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    String name = latest.get().name();
    Checkpoint stored = latest.get().checkpoint();
    List<String> differing = ResumeCompatibility.differingKeys(stored.effectiveConfig(), settings.config(),
        Methods.otherBlocks(Methods.name(settings)));
    if (!differing.isEmpty()) {
      throw new ConfigError("cannot resume from checkpoint " + name + " in " + store.location()
          + ": these keys differ from the configuration it was made with: " + String.join("; ", differing)
          + ". Use a new --run-dir to start afresh.");
    }
    String dataHash = stored.dataManifestHash();
    if (!dataHash.equals(dataset.manifestHash())) {
      throw new ConfigError("cannot resume from checkpoint " + name + " in " + store.location()
          + ": it was trained on different data (manifest hash " + abbreviate(dataHash) + ", now "
          + abbreviate(dataset.manifestHash()) + " for " + dataset.root() + ")");
    }
    ResumeCompatibility.kernelChange(name, stored.kernels(), kernels).ifPresent(LOG::warn);
    return Optional.of(name);
  }

  private static String abbreviate(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) : hash;
  }

  public CompletableFuture<RunOutcome> outcome() {
    return outcome;
  }

  public RunBoard board() {
    return board;
  }

  /** Asks the run to finish its step, checkpoint and stop (signal handlers call this). */
  public void requestStop(String reason) {
    if (system != null) {
      system.tell(new RunSupervisor.Stop(reason, system.ignoreRef()));
    }
  }

  @Override
  public void close() {
    if (monitor != null) {
      monitor.close();
    }
    if (system != null) {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("actor system did not terminate cleanly: {}", e.toString());
      }
    }
    if (workers != null) {
      workers.shutdownNow();
    }
    if (sampleFeatures != null) {
      sampleFeatures.close();
    }
    if (media != null) {
      media.close();
    }
    TrainingEngine unused = checkedEngine.getAndSet(null);
    if (unused != null) {
      unused.close();
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
