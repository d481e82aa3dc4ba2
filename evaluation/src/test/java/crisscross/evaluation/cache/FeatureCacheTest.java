package crisscross.evaluation.cache;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.evaluation.features.Clip;
import crisscross.evaluation.features.ClipFeatures;
import crisscross.evaluation.features.FeatureExtractor;
import crisscross.pipeline.source.SampleRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {
  @TempDir Path dir;

  private int computations;

  private static final CacheKey KEY = new CacheKey("ckpt-sha-1", "data-sha-1", "video-10clips-maxpool144");

  private static ClipFeatures features(float offset) {
    List<Clip> clips = List.of(new Clip("a/v1.mp4", 0, 1, "g1", "train"), new Clip("a/v1.mp4", 1, 1, "g1", "train"),
        new Clip("b\tweird\nid.mp4", 0, 0, null, "test"));
    return ClipFeatures.of(List.of("archery", "bowling"), clips,
        new float[][] {{offset, 1.5f, -2f}, {0.1f, 0f, 3.25f}, {1e-7f, -0f, 65504f}});
  }

  private ClipFeatures counted(float offset) {
    computations++;
    return features(offset);
  }

  private static void assertSameFeatures(ClipFeatures actual, ClipFeatures expected) {
    assertThat(actual.classNames()).isEqualTo(expected.classNames());
    assertThat(actual.clips()).isEqualTo(expected.clips());
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.row(i)).containsExactly(expected.row(i));
    }
  }

  @Test
  void aSecondRequestReadsTheCacheInsteadOfRecomputing() throws IOException {
    FeatureCache cache = new FeatureCache(dir);
    ClipFeatures first = cache.getOrCompute(KEY, () -> counted(0.5f));
    ClipFeatures second = new FeatureCache(dir).getOrCompute(KEY, () -> counted(9f));
    assertThat(computations).isEqualTo(1);
    assertSameFeatures(second, first);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(KEY.id() + ".npy", KEY.id() + ".clips.tsv", KEY.id() + ".json");
    }
  }

  @Test
  void anyChangedKeyPartRecomputes() throws IOException {
    FeatureCache cache = new FeatureCache(dir);
    cache.getOrCompute(KEY, () -> counted(0f));
    for (CacheKey other : List.of(new CacheKey("ckpt-sha-2", KEY.datasetHash(), KEY.settingsHash()),
        new CacheKey(KEY.checkpointHash(), "data-sha-2", KEY.settingsHash()),
        new CacheKey(KEY.checkpointHash(), KEY.datasetHash(), "audio-1clip"))) {
      ClipFeatures fresh = cache.getOrCompute(other, () -> counted(7f));
      assertThat(fresh.row(0)[0]).isEqualTo(7f);
    }
    assertThat(computations).isEqualTo(4);
    assertThat(cache.getOrCompute(KEY, () -> counted(0f)).row(0)[0]).isEqualTo(0f);
    assertThat(computations).isEqualTo(4);
  }

  @Test
  void aDamagedFeatureFileIsDetectedAndRecomputed() throws IOException {
    FeatureCache cache = new FeatureCache(dir);
    cache.getOrCompute(KEY, () -> counted(1f));
    Path npy = cache.featuresFile(KEY);
    byte[] bytes = Files.readAllBytes(npy);
    bytes[bytes.length - 3] ^= 0x40;
    Files.write(npy, bytes);
    ClipFeatures recomputed = cache.getOrCompute(KEY, () -> counted(2f));
    assertThat(computations).isEqualTo(2);
    assertThat(recomputed.row(0)[0]).isEqualTo(2f);
    assertSameFeatures(cache.getOrCompute(KEY, () -> counted(3f)), features(2f));
    assertThat(computations).as("the rewritten entry is valid again").isEqualTo(2);
  }

  @Test
  void truncatedMissingOrGarbledFilesAreRecomputed() throws IOException {
    FeatureCache cache = new FeatureCache(dir);
    cache.getOrCompute(KEY, () -> counted(1f));
    Path npy = cache.featuresFile(KEY);
    Files.write(npy, Arrays.copyOf(Files.readAllBytes(npy), 100));
    cache.getOrCompute(KEY, () -> counted(1f));
    Files.delete(cache.clipsFile(KEY));
    cache.getOrCompute(KEY, () -> counted(1f));
    Files.writeString(cache.sidecar(KEY), "{ not json");
    cache.getOrCompute(KEY, () -> counted(1f));
    assertThat(computations).isEqualTo(4);
  }

  @Test
  void anEntryOfAnotherKeyUnderThisKeysNameIsNotTrusted() throws IOException {
    FeatureCache cache = new FeatureCache(dir);
    CacheKey other = new CacheKey("ckpt-sha-2", KEY.datasetHash(), KEY.settingsHash());
    cache.getOrCompute(other, () -> counted(5f));
    Files.copy(cache.featuresFile(other), cache.featuresFile(KEY), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(cache.clipsFile(other), cache.clipsFile(KEY), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(cache.sidecar(other), cache.sidecar(KEY), StandardCopyOption.REPLACE_EXISTING);
    assertThat(cache.load(KEY)).isEmpty();
    assertThat(cache.getOrCompute(KEY, () -> counted(6f)).row(0)[0]).isEqualTo(6f);
    assertThat(computations).isEqualTo(2);
  }

  /** A feature extractor that counts its calls and returns one clip per sample. */
  private static final class CountingExtractor implements FeatureExtractor {
    private final String checkpoint;
    private int calls;

    CountingExtractor(String checkpoint) {
      this.checkpoint = checkpoint;
    }

    @Override
    public String checkpointHash() {
      return checkpoint;
    }

    @Override
    public String settingsHash() {
      return CacheKey.sha256("audio clips=1 pool=(1,3)/(1,2)");
    }

    @Override
    public ClipFeatures extract(List<SampleRef> samples, List<String> classNames) {
      calls++;
      ClipFeatures.Builder builder = ClipFeatures.builder(classNames);
      for (SampleRef sample : samples) {
        builder.add(sample, 0, new float[] {sample.id().length(), calls});
      }
      return builder.build();
    }
  }

  @Test
  void extractorFeaturesAreKeyedByCheckpointDatasetAndSettings() throws IOException {
    List<String> classes = List.of("dog", "rain");
    List<SampleRef> samples = new ArrayList<>(List.of(
        new SampleRef(0, "1-100-A-0.wav", "/data/esc/1-100-A-0.wav", Optional.of("dog"), "train", "1-100"),
        new SampleRef(1, "1-200-A-1.wav", "/data/esc/1-200-A-1.wav", Optional.of("rain"), "test", "1-200")));
    FeatureCache cache = new FeatureCache(dir);
    CountingExtractor pretrained = new CountingExtractor("sha-of-checkpoint");
    cache.features(pretrained, samples, classes);
    List<SampleRef> moved = List.of(
        new SampleRef(0, "1-200-A-1.wav", "s3://bucket/esc/1-200-A-1.wav", Optional.of("rain"), "test", "1-200"),
        new SampleRef(1, "1-100-A-0.wav", "s3://bucket/esc/1-100-A-0.wav", Optional.of("dog"), "train", "1-100"));
    cache.features(pretrained, moved, classes);
    assertThat(pretrained.calls).as("same samples elsewhere and in another order").isEqualTo(1);

    samples.set(1, new SampleRef(1, "1-200-A-1.wav", "/data/esc/1-200-A-1.wav", Optional.of("dog"), "test",
        "1-200"));
    cache.features(pretrained, samples, classes);
    assertThat(pretrained.calls).as("a changed label is another dataset").isEqualTo(2);

    CountingExtractor random = new CountingExtractor("random-init:seed=42");
    cache.features(random, samples, classes);
    assertThat(random.calls).isEqualTo(1);
  }
}
