package crisscross.evaluation.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import crisscross.evaluation.ProgressBar;
import crisscross.evaluation.TinySetup;
import crisscross.evaluation.cache.FeatureCache;
import crisscross.evaluation.encoder.Encoder;
import crisscross.evaluation.features.ClipFeatures;
import crisscross.evaluation.features.MaxPool;
import crisscross.evaluation.report.EncoderKind;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.source.DataSettings;
import crisscross.pipeline.source.Dataset;
import crisscross.pipeline.source.Datasets;
import crisscross.pipeline.source.MediaStore;
import crisscross.pipeline.source.SampleRef;
import crisscross.pipeline.storage.S3TestServer;
import crisscross.trainer.model.Backbones;
import crisscross.trainer.model.Modality;
import crisscross.trainer.model.ModelSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Frozen features from a real (freshly initialised, tiny) model on generated media. */
class EncoderFeatureExtractorIT {
  @TempDir static Path dir;

  private static ActorSystem system;
  private static ClipStream stream;
  private static MediaStore media;
  private static Settings settings;
  private static ExtractionSettings extraction;
  private static Encoder encoder;
  private static List<SampleRef> samples;
  private static List<String> classNames;

  @BeforeAll
  static void setUp() throws Exception {
    Path corpus = TinySetup.corpus(dir.resolve("corpus"), 6, 2);
    settings = TinySetup.settings("data.root=" + corpus, "data.split=all");
    extraction = ExtractionSettings.from(settings);
    Dataset dataset = Datasets.open(DataSettings.from(settings));
    samples = dataset.samples();
    classNames = dataset.classNames();
    media = MediaStore.open(DataSettings.from(settings));
    system = ActorSystem.create("extractor-it");
    stream = new ClipStream(2, Materializer.createMaterializer(system));
    encoder = new Encoder(EncoderKind.RANDOM_INIT, Backbones.initial(ModelSettings.from(settings),
        java.util.Set.of(Modality.VIDEO, Modality.AUDIO), 7), "random initialisation", "random-init:test", "seed 7");
  }

  @AfterAll
  static void tearDown() {
    encoder.model().close();
    stream.close();
    media.close();
    system.terminate();
  }

  private static EncoderFeatureExtractor extractor(ClipLoader loader, MaxPool pooling, long seed, ProgressBar bar) {
    return new EncoderFeatureExtractor(encoder, loader, pooling, new EncoderFeatureExtractor.Options(5, seed),
        stream, bar, "test");
  }

  private static ClipLoader video(ClipStyle style, int clips) {
    return extraction.videoLoader(media, extraction.videoSpec(style).withClips(clips), 32, false);
  }

  @Test
  void videoFeaturesAreTheMaxPooledLastBlockOfEachCentreCroppedClip() throws Exception {
    ClipLoader loader = video(ClipStyle.TEST, 3);
    assertThat(loader.inputShape()).containsExactly(3, 4, 32, 32);
    ClipFeatures features = extractor(loader, MaxPool.VIDEO_LINEAR, 42, ProgressBar.silent())
        .extract(samples, classNames);

    assertThat(features.size()).isEqualTo(3 * samples.size());
    assertThat(features.samples().sampleCount()).isEqualTo(samples.size());
    for (int s = 0; s < samples.size(); s++) {
      assertThat(features.samples().clipsOf(s)).hasSize(3);
    }
    // A 32x32x4 clip gives a [16, 1, 1, 1] map, which E.1's (1,4,4) kernel pools whole: 16 features.
    assertThat(features.dimension()).isEqualTo(16);

    SampleRef sample = samples.get(1);
    SampleClips.Clips clips = (SampleClips.Clips) loader.load(sample, SampleRandom.of(1));
    float[][] expected;
    try (INDArray input = ClipStream.stack(rows(sample, clips), loader.inputShape());
        INDArray maps = encoder.model().featureMaps(Modality.VIDEO, input)) {
      int[] shape = Arrays.stream(maps.shape()).mapToInt(Math::toIntExact).toArray();
      expected = MaxPool.VIDEO_LINEAR.fittedTo(Arrays.copyOfRange(shape, 1, shape.length))
          .applyBatch(maps.dup('c').data().asFloat(), shape);
    }
    int[] rows = features.samples().clipsOf(features.samples().sampleIds().indexOf(sample.id()));
    for (int c = 0; c < 3; c++) {
      // Equal up to float rounding: the convolutions sum in another order for another batch size.
      assertThat(features.row(rows[c])).containsExactly(expected[c], within(1e-6f));
      assertThat(features.clip(rows[c]).clipIndex()).isEqualTo(c);
    }
  }

  @Test
  void testClipsAreNotAugmentedAndTrainingClipsAre() {
    SampleRef sample = samples.get(0);
    ClipLoader test = video(ClipStyle.TEST, 2);
    float[] a = ((SampleClips.Clips) test.load(sample, SampleRandom.of(1))).inputs().get(1);
    float[] b = ((SampleClips.Clips) test.load(sample, SampleRandom.of(2))).inputs().get(1);
    assertThat(a).as("clean, uniformly placed: no draw changes a test clip").containsExactly(b);

    ClipLoader train = video(ClipStyle.TRAIN, 2);
    float[] c = ((SampleClips.Clips) train.load(sample, SampleRandom.of(1))).inputs().get(1);
    float[] d = ((SampleClips.Clips) train.load(sample, SampleRandom.of(2))).inputs().get(1);
    float[] e = ((SampleClips.Clips) train.load(sample, SampleRandom.of(1))).inputs().get(1);
    assertThat(c).isNotEqualTo(d).containsExactly(e);
  }

  @Test
  void extractionIsDeterministicAndTrainingClipsFollowTheSeed() throws Exception {
    ClipLoader test = video(ClipStyle.TEST, 2);
    ClipFeatures once = extractor(test, MaxPool.VIDEO_LINEAR, 1, ProgressBar.silent()).extract(samples, classNames);
    ClipFeatures twice = extractor(test, MaxPool.VIDEO_LINEAR, 2, ProgressBar.silent()).extract(samples, classNames);
    assertThat(twice.rows()).isDeepEqualTo(once.rows());
    assertThat(extractor(test, MaxPool.VIDEO_LINEAR, 1, ProgressBar.silent()).settingsHash())
        .isEqualTo(extractor(test, MaxPool.VIDEO_LINEAR, 2, ProgressBar.silent()).settingsHash());

    ClipLoader train = video(ClipStyle.TRAIN, 2);
    ClipFeatures seed1 = extractor(train, MaxPool.VIDEO_LINEAR, 1, ProgressBar.silent()).extract(samples, classNames);
    ClipFeatures seed1Again = extractor(train, MaxPool.VIDEO_LINEAR, 1, ProgressBar.silent())
        .extract(samples, classNames);
    ClipFeatures seed2 = extractor(train, MaxPool.VIDEO_LINEAR, 2, ProgressBar.silent()).extract(samples, classNames);
    assertThat(seed1Again.rows()).isDeepEqualTo(seed1.rows());
    assertThat(seed2.rows()).isNotEqualTo(seed1.rows());
    // A sample's training clips do not depend on which other samples are extracted with it.
    ClipFeatures alone = extractor(train, MaxPool.VIDEO_LINEAR, 1, ProgressBar.silent())
        .extract(samples.subList(2, 3), classNames);
    int[] rows = seed1.samples().clipsOf(2);
    assertThat(alone.row(1)).containsExactly(seed1.row(rows[1]), within(1e-6f));
  }

  @Test
  void audioFeaturesPoolTheSpectrogramMapsWithTheirOwnKernel() throws Exception {
    ClipLoader loader = extraction.audioLoader(media, extraction.audioSpec(ClipStyle.TRAIN).withClips(4));
    // 1 s at 16 kHz and a 320-sample hop: 16 bands x 50 frames.
    assertThat(loader.inputShape()).containsExactly(1, 16, 50);
    ClipFeatures features = extractor(loader, MaxPool.AUDIO_LINEAR, 42, ProgressBar.silent())
        .extract(samples, classNames);
    assertThat(features.size()).isEqualTo(4 * samples.size());
    // Map [16, 1, 2]: frequency kept (kernel 1), time pooled whole (kernel 3 > 2): 16 features.
    assertThat(features.dimension()).isEqualTo(16);
  }

  @Test
  void theCacheServesASecondRequestWithoutExtracting() throws Exception {
    FeatureCache cache = new FeatureCache(dir.resolve("cache"));
    ClipLoader loader = extraction.audioLoader(media, extraction.audioSpec(ClipStyle.TEST).withClips(2));
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    ClipFeatures extracted = cache.features(extractor(loader, MaxPool.AUDIO_LINEAR, 42,
        ProgressBar.lines(new PrintStream(first, true, StandardCharsets.UTF_8))), samples, classNames);
    assertThat(first.toString(StandardCharsets.UTF_8)).contains("clips");

    ByteArrayOutputStream second = new ByteArrayOutputStream();
    ClipFeatures cached = cache.features(extractor(loader, MaxPool.AUDIO_LINEAR, 42,
        ProgressBar.lines(new PrintStream(second, true, StandardCharsets.UTF_8))), samples, classNames);
    assertThat(second.size()).as("nothing extracted").isZero();
    assertThat(cached.rows()).isDeepEqualTo(extracted.rows());
    assertThat(cached.clips()).isEqualTo(extracted.clips());
  }

  @Test
  void aSampleThatCannotBeLoadedIsSkippedWithItsReasonAndTheOthersKeepTheirOrder() throws Exception {
    List<SampleRef> withMissing = new ArrayList<>(samples.subList(0, 3));
    SampleRef real = samples.get(3);
    withMissing.add(1, new SampleRef(99, "gone.mp4", dir.resolve("gone.mp4").toString(), real.label(), "", ""));
    EncoderFeatureExtractor extractor = extractor(video(ClipStyle.TEST, 2), MaxPool.VIDEO_LINEAR, 42,
        ProgressBar.silent());
    ClipFeatures features = extractor.extract(withMissing, classNames);
    assertThat(features.samples().sampleIds()).containsExactly(samples.get(0).id(), samples.get(1).id(),
        samples.get(2).id());
    assertThat(extractor.skipped()).containsOnlyKeys(SkipReason.FETCH_FAILED);
  }

  @Test
  void samplesInABucketGiveTheSameFeaturesAsTheirLocalCopies() throws Exception {
    try (S3TestServer server = S3TestServer.start()) {
      server.createBucket("eval");
      Path corpus = Path.of(DataSettings.from(settings).root());
      try (var files = Files.walk(corpus)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          server.putObject("eval", "corpus/" + corpus.relativize(file).toString().replace('\\', '/'),
              Files.readAllBytes(file));
        }
      }
      Settings remote = TinySetup.settings("data.root=s3://eval/corpus", "data.split=all",
          "data.s3.endpoint=" + server.endpoint(), "data.s3.path-style=true",
          "data.s3.access-key-id=" + S3TestServer.ACCESS_KEY, "data.s3.secret-access-key=" + S3TestServer.SECRET_KEY,
          "data.spool-dir=" + dir.resolve("spool"));
      Dataset bucket = Datasets.open(DataSettings.from(remote));
      assertThat(bucket.samples().get(0).isRemote()).isTrue();
      try (MediaStore remoteMedia = MediaStore.open(DataSettings.from(remote))) {
        ClipLoader remoteLoader = ExtractionSettings.from(remote).videoLoader(remoteMedia,
            extraction.videoSpec(ClipStyle.TEST).withClips(2), 32, false);
        ClipFeatures fromBucket = extractor(remoteLoader, MaxPool.VIDEO_LINEAR, 42, ProgressBar.silent())
            .extract(bucket.samples(), bucket.classNames());
        ClipFeatures fromDisk = extractor(video(ClipStyle.TEST, 2), MaxPool.VIDEO_LINEAR, 42, ProgressBar.silent())
            .extract(samples, classNames);
        assertThat(fromBucket.samples().sampleIds()).isEqualTo(fromDisk.samples().sampleIds());
        assertThat(fromBucket.rows()).isDeepEqualTo(fromDisk.rows());
      }
    }
  }

  private static List<ClipStream.Row> rows(SampleRef sample, SampleClips.Clips clips) {
    List<ClipStream.Row> rows = new ArrayList<>();
    for (int i = 0; i < clips.inputs().size(); i++) {
      rows.add(new ClipStream.Row(sample, i, clips.inputs().get(i)));
    }
    return rows;
  }
}
