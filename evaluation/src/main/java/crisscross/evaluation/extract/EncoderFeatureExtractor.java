package crisscross.evaluation.extract;

import crisscross.evaluation.ProgressBar;
import crisscross.evaluation.cache.CacheKey;
import crisscross.evaluation.encoder.Encoder;
import crisscross.evaluation.features.ClipFeatures;
import crisscross.evaluation.features.FeatureExtractor;
import crisscross.evaluation.features.MaxPool;
import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.source.SampleRef;
import crisscross.trainer.model.Modality;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frozen features from an encoder (Appendix E.1): each sample's clips ({@link ClipLoader}) through the backbone in
 * inference mode (running BN statistics), the last conv block's map max-pooled ({@link MaxPool}) and flattened.
 *
 * <p>Runs as a Pekko Streams graph ({@link ClipStream}): samples in order → clips loaded in parallel → batches of
 * {@code batchSize} clips → the encoder on the model thread → rows collected in sample and clip order. A sample
 * that cannot be loaded is skipped and logged with its reason; its rows are missing from the result, which the
 * protocols' sample counts show. Training clips of a sample are drawn from (run seed, clip style, sample id), so
 * they do not depend on which other samples are extracted with it.
 */
public final class EncoderFeatureExtractor implements FeatureExtractor {
  private static final Logger LOG = LoggerFactory.getLogger(EncoderFeatureExtractor.class);
  /** Changes whenever the extraction computes different numbers for the same inputs (cache keys include it). */
  static final String VERSION = "encoder-features/1";

  /**
   * How the extraction runs.
   *
   * @param batchSize clips per forward pass ({@code evaluation.extraction.batch-size})
   * @param seed seeds the times and augmentation of training clips ({@code run.seed})
   */
  public record Options(int batchSize, long seed) {
    public Options {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be positive: " + batchSize);
      }
    }
  }

  private final Encoder encoder;
  private final ClipLoader loader;
  private final MaxPool pooling;
  private final Options options;
  private final ClipStream stream;
  private final ProgressBar progress;
  private final String label;
  private final Map<SkipReason, Integer> skipped = new EnumMap<>(SkipReason.class);

  /**
   * @param label names the task on the progress bar ("video features, pretrained, training clips")
   */
  public EncoderFeatureExtractor(Encoder encoder, ClipLoader loader, MaxPool pooling, Options options,
      ClipStream stream, ProgressBar progress, String label) {
    if (!encoder.modalities().contains(loader.spec().modality())) {
      throw new IllegalArgumentException("the " + encoder.kind().id() + " encoder ("
          + encoder.method() + ") has no " + loader.spec().modality().prefix() + " backbone");
    }
    this.encoder = encoder;
    this.loader = loader;
    this.pooling = pooling;
    this.options = options;
    this.stream = stream;
    this.progress = progress;
    this.label = label;
  }

  @Override
  public String checkpointHash() {
    return encoder.hash();
  }

  /**
   * The clips and their preparation, the pooling and this code's version; the seed only for training clips,
   * whose times and augmentation it draws (test clips are the same under any seed).
   */
  @Override
  public String settingsHash() {
    String seed = loader.spec().style() == ClipStyle.TRAIN ? " seed=" + options.seed() : "";
    return CacheKey.sha256(VERSION + "\n" + loader.describe() + "\n" + pooling + seed);
  }

  /** Samples skipped by the last {@link #extract}, by reason. */
  public synchronized Map<SkipReason, Integer> skipped() {
    return Map.copyOf(skipped);
  }

  /** The generator of a sample's clips: a function of the run seed, the clip style and the sample's id. */
  public static SampleRandom draws(long seed, ClipStyle style, SampleRef sample) {
    return SampleRandom.of(seed).fork("evaluation-clips").fork(style.id()).fork(sample.id());
  }

  @Override
  public ClipFeatures extract(List<SampleRef> samples, List<String> classNames) throws IOException {
    synchronized (this) {
      skipped.clear();
    }
    Modality modality = loader.spec().modality();
    long[] clipShape = loader.inputShape();
    List<ClipStream.Visit> visits = new ArrayList<>(samples.size());
    for (SampleRef sample : samples) {
      visits.add(new ClipStream.Visit(sample, draws(options.seed(), loader.spec().style(), sample)));
    }
    ProgressBar.Task task = progress.start(label, (long) samples.size() * loader.spec().clipsPerSample(), "clips");
    Pooler pooler = new Pooler();
    ClipFeatures.Builder builder = ClipStream.await(stream.batches(visits, loader, options.batchSize(), this::skip)
        .mapAsync(1, batch -> stream.onModelThread(() -> encode(batch, modality, clipShape, pooler)))
        .runFold(ClipFeatures.builder(classNames), (b, encoded) -> {
          for (Encoded row : encoded) {
            b.add(row.sample(), row.clipIndex(), row.features());
          }
          task.advance(encoded.size());
          return b;
        }, stream.materializer()), "extracting " + label);
    task.finish();
    ClipFeatures features = builder.build();
    Map<SkipReason, Integer> skips = skipped();
    if (features.size() == 0) {
      throw new IOException("no sample could be loaded for " + label + " (" + samples.size() + " samples; "
          + "skipped: " + skips + ")");
    }
    if (!skips.isEmpty()) {
      LOG.warn("{}: {} of {} samples skipped ({})", label, skips.values().stream().mapToInt(i -> i).sum(),
          samples.size(), skips);
    }
    return features;
  }

  private void skip(SampleClips.Skipped skip) {
    synchronized (this) {
      skipped.merge(skip.reason(), 1, Integer::sum);
    }
    LOG.warn("{}: skipping sample {} ({}): {}", label, skip.sample().id(), skip.reason().label(), skip.detail());
  }

  private record Encoded(SampleRef sample, int clipIndex, float[] features) {}

  private List<Encoded> encode(List<ClipStream.Row> batch, Modality modality, long[] clipShape, Pooler pooler) {
    float[][] pooled;
    try (INDArray input = ClipStream.stack(batch, clipShape);
        INDArray maps = encoder.model().featureMaps(modality, input);
        INDArray values = maps.castTo(DataType.FLOAT).dup('c')) {
      int[] mapShape = Arrays.stream(values.shape()).mapToInt(Math::toIntExact).toArray();
      pooled = pooler.fitted(mapShape).applyBatch(values.data().asFloat(), mapShape);
    }
    List<Encoded> encoded = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      encoded.add(new Encoded(batch.get(i).sample(), batch.get(i).clipIndex(), pooled[i]));
    }
    return encoded;
  }

  /** The pooling fitted to the first map seen (every clip of an extraction has the same input shape). */
  private final class Pooler {
    private MaxPool fitted;

    MaxPool fitted(int[] batchShape) {
      if (fitted == null) {
        int[] mapShape = Arrays.copyOfRange(batchShape, 1, batchShape.length);
        fitted = pooling.fittedTo(mapShape);
        if (!fitted.equals(pooling)) {
          LOG.info("{}: feature map {} is smaller than the pooling kernel {}; pooling with {} ({} features)", label,
              Arrays.toString(mapShape), Arrays.toString(pooling.kernel()), Arrays.toString(fitted.kernel()),
              fitted.outputLength(mapShape));
        } else {
          LOG.info("{}: feature map {} pooled with kernel {}, stride {} ({} features)", label,
              Arrays.toString(mapShape), Arrays.toString(pooling.kernel()), Arrays.toString(pooling.stride()),
              fitted.outputLength(mapShape));
        }
      }
      return fitted;
    }
  }
}
