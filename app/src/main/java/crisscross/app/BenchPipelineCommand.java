package crisscross.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.sample.ClipCounts;
import crisscross.pipeline.source.DataSettings;
import crisscross.pipeline.source.Dataset;
import crisscross.pipeline.source.Datasets;
import crisscross.pipeline.source.MediaStore;
import crisscross.pipeline.statistics.DatasetAudioStatistics;
import crisscross.pipeline.stream.Batch;
import crisscross.pipeline.stream.BatchSource;
import crisscross.pipeline.stream.DecodingSampleLoader;
import crisscross.pipeline.stream.PipelineMetrics;
import crisscross.pipeline.stream.PipelineSettings;
import crisscross.pipeline.stream.SampleLoader;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code crisscross bench pipeline}: samples per second of the full pipeline graph against decoding alone. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = {"Run the pipeline graph on a dataset for a while and report samples/s, samples per CPU-second "
        + "(decode, both views of both modalities, augmentation, log-mel, batching), and the same windows decoded "
        + "with nothing else, with the same workers.",
        "Uses the demo configuration unless --config is given."})
final class BenchPipelineCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset root (sets data.root).")
  String data;

  @Option(names = "--seconds", paramLabel = "S", description = "Measuring time of each of the two runs.")
  double seconds = 30;

  @Option(names = "--warmup", paramLabel = "S", description = "Seconds run before measuring (JIT, caches).")
  double warmup = 5;

  @Option(names = "--workers", paramLabel = "N", description = "Parallel workers (0 = pipeline.workers).")
  int workers = 0;

  @Option(names = "--json", description = "One JSON object on stdout.")
  boolean json;

  @Mixin ConfigOptions config;

  record Measured(long samples, double seconds, double cpuSeconds) {
    double perSecond() {
      return samples / seconds;
    }

    double perCpuSecond() {
      return samples / cpuSeconds;
    }
  }

  @Override
  public Integer call() throws Exception {
    Settings settings = config.load("demo", List.of("data.root=" + data));
    PipelineSettings pipeline = PipelineSettings.from(settings);
    DataSettings dataSettings = pipeline.data().withSplit("all");
    Dataset dataset = Datasets.open(dataSettings);
    int workerCount = workers > 0 ? workers : pipeline.workers();
    int batchSize = pipeline.batchSize();
    ActorSystem system = ActorSystem.create("bench-pipeline");
    ExecutorService pool = Executors.newFixedThreadPool(workerCount);
    try (MediaStore store = MediaStore.open(dataSettings)) {
      PipelineSettings stages = PipelineSettings.from(DatasetAudioStatistics.resolve(settings,
          Datasets.open(pipeline.data()).samples(), store));
      DecodingSampleLoader loader = DecodingSampleLoader.create(stages, store, ClipCounts.PAIR_OF_EACH);
      BatchSource.Spec spec = new BatchSource.Spec(dataset.samples(), settings.runSeed(), 0, 0, 1_000_000,
          dataset.samples().size(), batchSize, workerCount,
          pipeline.bufferBatches(), Duration.ofMinutes(5), 0);
      Measured full = measure(system, pool, spec, loader);
      SampleLoader decodeOnly = (sample, visit) -> loader.loadDetailed(sample, visit, false).sample();
      Measured decoded = measure(system, pool, spec, decodeOnly);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("samples_per_second", round(full.perSecond()));
      result.put("samples_per_cpu_second", round(full.perCpuSecond()));
      result.put("decode_only_samples_per_second", round(decoded.perSecond()));
      result.put("decode_only_samples_per_cpu_second", round(decoded.perCpuSecond()));
      result.put("full_to_decode_only_ratio", round(full.perSecond() / decoded.perSecond()));
      result.put("workers", workerCount);
      result.put("cores", Runtime.getRuntime().availableProcessors());
      result.put("batch_size", batchSize);
      result.put("seconds_measured", seconds);
      result.put("samples_measured", full.samples());
      result.put("video_view", List.of(3, pipeline.sampling().framesPerView(), pipeline.video().cropSize(),
          pipeline.video().cropSize()));
      result.put("audio_view", List.of(1, pipeline.audio().melBands(), pipeline.audio().outputFrames()));
      result.put("relaxation", pipeline.sampling().relaxation().configName());
      result.put("dataset", data + " (" + dataset.samples().size() + " samples)");
      result.put("load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      if (json) {
        System.out.println(new ObjectMapper().writeValueAsString(result));
      } else {
        result.forEach((k, v) -> System.out.printf("%-36s %s%n", k.replace('_', ' '), v));
      }
    } finally {
      pool.shutdownNow();
      system.terminate();
    }
    return 0;
  }

  /** Runs the graph through a warm-up, then counts samples and process CPU time over {@link #seconds}. */
  private Measured measure(ActorSystem system, ExecutorService pool, BatchSource.Spec spec, SampleLoader loader)
      throws Exception {
    AtomicLong samples = new AtomicLong();
    var running = BatchSource.create(spec, loader, pool, new PipelineMetrics())
        .toMat(Sink.foreach((Batch batch) -> samples.addAndGet(batch.size())), Keep.both())
        .run(system);
    UniqueKillSwitch kill = running.first();
    try {
      Thread.sleep((long) (warmup * 1000));
      long startSamples = samples.get();
      long startCpu = processCpuNanos();
      long start = System.nanoTime();
      Thread.sleep((long) (seconds * 1000));
      long counted = samples.get() - startSamples;
      double cpu = (processCpuNanos() - startCpu) / 1e9;
      double wall = (System.nanoTime() - start) / 1e9;
      return new Measured(counted, wall, cpu);
    } finally {
      kill.shutdown();
      running.second().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
