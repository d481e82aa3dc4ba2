package crisscross.pipeline.stream;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.sample.ClipCounts;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.source.DataSettings;
import crisscross.pipeline.source.Dataset;
import crisscross.pipeline.source.Datasets;
import crisscross.pipeline.source.MediaStore;
import crisscross.pipeline.statistics.DatasetAudioStatistics;
import crisscross.pipeline.storage.S3TestServer;
import crisscross.pipeline.synth.SynthSettings;
import crisscross.pipeline.synth.SyntheticCorpus;
import crisscross.pipeline.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on real media: a generated corpus with a truncated and a silent file among its clips, decoded,
 * sampled, augmented and batched by the real loader and graph, from local disk and from an S3 server.
 */
class PipelineIT {
  @TempDir static Path corpus;
  private static ActorSystem system;
  private static ExecutorService workers;

  @BeforeAll
  static void generate() throws Exception {
    system = ActorSystem.create("pipeline-it");
    workers = Executors.newFixedThreadPool(3);
    SyntheticCorpus.generate(SynthSettings.defaults().withClips(10, 2).withSeconds(3.5).withPicture(96, 72, 24)
        .withSeed(5), corpus);
    Path damaged = corpus.resolve("extra/truncated.mp4");
    Files.createDirectories(damaged.getParent());
    TestMedia.truncate(TestMedia.video(96, 72, 24).seconds(3.5).moovFirst().writeTo(damaged), 0.35);
    TestMedia.video(96, 72, 24).seconds(3.5).noAudio().writeTo(corpus.resolve("extra/silent.mp4"));
    List<String> manifest = new ArrayList<>(Files.readAllLines(corpus.resolve(SyntheticCorpus.MANIFEST)));
    manifest.add("extra/truncated.mp4,extra,train");
    manifest.add("extra/silent.mp4,extra,train");
    Files.write(corpus.resolve(SyntheticCorpus.MANIFEST), manifest);
  }

  @AfterAll
  static void stop() throws Exception {
    workers.shutdownNow();
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static Settings settings(String root, List<String> extra) {
    List<String> overrides = new ArrayList<>(List.of("data.root=" + root, "data.split=all",
        "pipeline.batch-size=4", "run.seed=3"));
    overrides.addAll(extra);
    return ConfigLoader.fromArguments(List.of("demo"), overrides);
  }

  static List<Batch> run(Settings settings, int workerCount, int startEpoch, long startPosition) throws Exception {
    return run(settings, workerCount, startEpoch, startPosition, ClipCounts.PAIR_OF_EACH);
  }

  static List<Batch> run(Settings settings, int workerCount, int startEpoch, long startPosition, ClipCounts clips)
      throws Exception {
    DataSettings data = DataSettings.from(settings);
    Dataset dataset = Datasets.open(data);
    try (MediaStore store = MediaStore.open(data)) {
      DecodingSampleLoader loader = DecodingSampleLoader.fromSettings(
          DatasetAudioStatistics.resolve(settings, dataset.samples(), store), store, clips);
      BatchSource.Spec spec = new BatchSource.Spec(dataset.samples(), 3, startEpoch, startPosition, 2,
          dataset.samples().size(), 4, workerCount, 2, Duration.ofSeconds(60), 0);
      return BatchSource.create(spec, loader, workers, new PipelineMetrics()).runWith(Sink.seq(), system)
          .toCompletableFuture().get(5, TimeUnit.MINUTES);
    }
  }

  @Test
  void playbackClipsAreDecodedWithTheirTimingsAndThePairsStayAsTheyWere() throws Exception {
    Settings local = settings(corpus.toString(), List.of());
    ClipCounts temporal = new ClipCounts(2, 2, new crisscross.pipeline.sample.PlaybackClips(1, 1,
        List.of(1, 2, 4, 8), true), java.util.Optional.empty());
    List<Batch> pairs = run(local, 2, 0, 0);
    List<Batch> withPlayback = run(local, 2, 0, 0, temporal);
    assertThat(withPlayback).hasSameSizeAs(pairs);
    java.util.Set<String> playbacks = new java.util.TreeSet<>();
    for (int b = 0; b < pairs.size(); b++) {
      Batch p = pairs.get(b);
      Batch t = withPlayback.get(b);
      assertThat(t.video()).hasSize(3);
      assertThat(t.audio()).hasSize(3);
      assertThat(t.video(1)).isEqualTo(p.video(1));
      assertThat(t.audio(2)).isEqualTo(p.audio(2));
      assertThat(t.videoTimings()).hasSize(3);
      for (int i = 0; i < t.size(); i++) {
        crisscross.pipeline.sample.ClipTiming video = t.videoTimings().get(2)[i];
        crisscross.pipeline.sample.ClipTiming audio = t.audioTimings().get(2)[i];
        assertThat(video.endSeconds()).isLessThanOrEqualTo(3.5);
        assertThat(audio.endSeconds()).isLessThanOrEqualTo(3.5);
        assertThat(t.audioTimings().get(0)[i].playback()).isEqualTo(crisscross.pipeline.sample.Playback.NORMAL);
        playbacks.add("v " + video.playback());
        playbacks.add("a " + audio.playback());
      }
    }
    // 3.5 s of audio holds no 4x clip of a 2 s view; 56 frames hold 4x (29 frames) but not 8x (57).
    assertThat(playbacks).noneMatch(p -> p.startsWith("a 4x") || p.startsWith("a 8x") || p.startsWith("v 8x"));
    assertThat(playbacks).anyMatch(p -> p.startsWith("v 4x"));
  }

  @Test
  void realDecodingIsIndependentOfParallelismResumesExactlyAndSkipsDamagedFilesWithReasons() throws Exception {
    Settings local = settings(corpus.toString(), List.of());
    List<Batch> one = run(local, 1, 0, 0);
    List<Batch> three = run(local, 3, 0, 0);
    assertSameBatches(three, one);

    assertThat(one.get(0).video(1)).hasSize(4 * 3 * 8 * 64 * 64);
    assertThat(one.get(0).audio(1)).hasSize(4 * 40 * 100);
    Map<String, SkipReason> skips = new TreeMap<>();
    one.stream().flatMap(b -> b.skipped().stream()).forEach(s -> skips.put(s.visit().sampleId(), s.reason()));
    assertThat(skips).containsEntry("extra/silent.mp4", SkipReason.NO_AUDIO);
    assertThat(skips.get("extra/truncated.mp4")).isIn(SkipReason.TRUNCATED_VIDEO, SkipReason.TRUNCATED_AUDIO);
    assertThat(one.stream().mapToLong(b -> b.skipped().size()).sum()).isEqualTo(2 * 2);
    assertThat(one.stream().mapToInt(Batch::size).sum()).isEqualTo(2 * 10);

    int cut = one.size() / 2 + 1;
    Batch resumePoint = one.get(cut - 1);
    List<Batch> resumed = run(local, 2, resumePoint.lastOfEpoch() ? resumePoint.epoch() + 1 : resumePoint.epoch(),
        resumePoint.lastOfEpoch() ? 0 : resumePoint.endPosition());
    assertSameBatches(resumed, one.subList(cut, one.size()));
  }

  @Test
  void theSameBatchesComeFromAnS3ServerThatRestartsMidRun() throws Exception {
    List<Batch> local = run(settings(corpus.toString(), List.of()), 2, 0, 0);
    try (S3TestServer server = S3TestServer.start()) {
      server.createBucket("media");
      try (Stream<Path> files = Files.walk(corpus)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          server.putObject("media", "corpus/" + corpus.relativize(file).toString().replace('\\', '/'),
              Files.readAllBytes(file));
        }
      }
      Settings s3 = settings("s3://media/corpus", List.of("data.s3.endpoint=" + server.endpoint(),
          "data.s3.path-style=true", "data.s3.access-key-id=" + S3TestServer.ACCESS_KEY,
          "data.s3.secret-access-key=" + S3TestServer.SECRET_KEY, "data.s3.initial-backoff=50ms",
          "data.s3.max-backoff=500ms", "data.s3.request-timeout=5s", "data.spool-dir=" + corpus.resolve("spool")));
      AtomicInteger restarts = new AtomicInteger();
      Thread chaos = new Thread(() -> {
        try {
          Thread.sleep(1500);
          server.stop();
          Thread.sleep(700);
          server.restart();
          restarts.incrementAndGet();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      chaos.start();
      List<Batch> remote = run(s3, 2, 0, 0);
      chaos.join();
      assertThat(restarts.get()).isEqualTo(1);
      assertSameBatches(remote, local);
      try (Stream<Path> spooled = Files.list(corpus.resolve("spool"))) {
        assertThat(spooled).as("spool files are deleted after decoding").isEmpty();
      }
    }
  }

  private static void assertSameBatches(List<Batch> actual, List<Batch> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      Batch a = actual.get(i);
      Batch e = expected.get(i);
      assertThat(a.epoch()).isEqualTo(e.epoch());
      assertThat(a.startPosition()).isEqualTo(e.startPosition());
      assertThat(a.sampleIds()).containsExactly(e.sampleIds());
      assertThat(a.video(1)).as("v1 of batch %d", i).isEqualTo(e.video(1));
      assertThat(a.video(2)).isEqualTo(e.video(2));
      assertThat(a.audio(1)).isEqualTo(e.audio(1));
      assertThat(a.audio(2)).isEqualTo(e.audio(2));
      assertThat(a.skipped()).extracting(s -> s.visit().sampleId())
          .containsExactlyElementsOf(e.skipped().stream().map(s -> s.visit().sampleId()).toList());
    }
  }
}
