package crisscross.evaluation.run;

import crisscross.evaluation.EvaluationSettings;
import crisscross.evaluation.ProgressBar;
import crisscross.evaluation.cache.CacheKey;
import crisscross.evaluation.cache.FeatureCache;
import crisscross.evaluation.encoder.Encoder;
import crisscross.evaluation.extract.ClipLoader;
import crisscross.evaluation.extract.ClipSpec;
import crisscross.evaluation.extract.ClipStream;
import crisscross.evaluation.extract.ClipStyle;
import crisscross.evaluation.extract.EncoderFeatureExtractor;
import crisscross.evaluation.extract.ExtractionSettings;
import crisscross.evaluation.features.ClipFeatures;
import crisscross.evaluation.features.MaxPool;
import crisscross.evaluation.finetune.FinetuneResult;
import crisscross.evaluation.finetune.FinetuneSettings;
import crisscross.evaluation.finetune.Finetuner;
import crisscross.evaluation.linear.CrossValidatedResult;
import crisscross.evaluation.linear.FusionProbe;
import crisscross.evaluation.linear.GroupedCrossValidation;
import crisscross.evaluation.linear.LinearProbe;
import crisscross.evaluation.linear.LinearResult;
import crisscross.evaluation.report.EvaluationResult;
import crisscross.evaluation.retrieval.Retrieval;
import crisscross.evaluation.retrieval.RetrievalResult;
import crisscross.evaluation.split.Fold;
import crisscross.pipeline.source.MediaStore;
import crisscross.pipeline.source.SampleRef;
import crisscross.trainer.model.Modality;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the requested protocols on one dataset for each encoder (the checkpoint's and the random-initialised
 * floor), the way the paper reports them:
 *
 * <ul>
 *   <li>linear: augmented training clips and clean test clips of every sample extracted once (through the
 *       feature cache), a {@link LinearProbe} per official split (the mean over splits when there are several),
 *       or {@link GroupedCrossValidation} when the dataset has no split of its own;
 *   <li>retrieval: clean clips of every sample, averaged, test samples querying the training samples of the first
 *       split (Table 7 uses split 1), and a retrieval sheet (Figures S1/S2);
 *   <li>fusion: time-aligned audio and video clips of each sample, concatenated ({@link FusionProbe});
 *   <li>finetune: the video backbone finetuned on every split ({@link Finetuner}).
 * </ul>
 *
 * Protocols a checkpoint cannot serve (video protocols on an audio-only checkpoint) are refused by {@link #check}
 * before any work starts.
 */
public final class Evaluator {
  private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);

  /**
   * What an evaluation runs with.
   *
   * @param figures where retrieval sheets are written
   */
  public record Context(EvaluationSettings evaluation, ExtractionSettings extraction, FinetuneSettings finetune,
      FeatureCache cache, MediaStore media, ClipStream stream, ProgressBar progress, Path figures) {}

  /** What came out besides the results: figures written, feature sets computed and read from the cache. */
  public record Counts(int extracted, int cached) {}

  private final Context context;
  private final RetrievalSheets sheets;
  private int extracted;
  private int cached;

  public Evaluator(Context context) {
    this.context = context;
    this.sheets = new RetrievalSheets(context);
  }

  public Counts counts() {
    return new Counts(extracted, cached);
  }

  public List<Path> sheetsWritten() {
    return sheets.written();
  }

  /**
   * The encoders' modalities each protocol evaluates on a dataset; an error says what cannot be evaluated.
   *
   * @param requested modalities asked for ({@code --modality}); empty = the dataset's own
   */
  public static Set<Modality> check(DatasetSpec dataset, EvaluationProtocol protocol, Set<Modality> requested,
      Set<Modality> available, String method) {
    String checkpoint = "the checkpoint (" + method + ") has " + describe(available);
    switch (protocol) {
      case FUSION -> {
        if (!available.containsAll(EnumSet.allOf(Modality.class))) {
          throw new IllegalArgumentException("fusion on " + dataset.title() + " needs audio and video encoders, but "
              + checkpoint);
        }
        return EnumSet.allOf(Modality.class);
      }
      case FINETUNE -> {
        if (!available.contains(Modality.VIDEO)) {
          throw new IllegalArgumentException("finetuning on " + dataset.title() + " trains the video encoder, but "
              + checkpoint);
        }
        return EnumSet.of(Modality.VIDEO);
      }
      default -> {
        if (!requested.isEmpty()) {
          Set<Modality> missing = EnumSet.copyOf(requested);
          missing.removeAll(available);
          if (!missing.isEmpty()) {
            throw new IllegalArgumentException(protocol.id() + " on " + dataset.title() + " asks for "
                + describe(missing) + ", but " + checkpoint);
          }
          return EnumSet.copyOf(requested);
        }
        Set<Modality> wanted = EnumSet.copyOf(dataset.kind().modalities());
        wanted.retainAll(available);
        if (wanted.isEmpty()) {
          throw new IllegalArgumentException(protocol.id() + " on " + dataset.title() + " evaluates "
              + describe(dataset.kind().modalities()) + ", but " + checkpoint);
        }
        if (!wanted.containsAll(dataset.kind().modalities())) {
          LOG.warn("{} on {}: {}; only that is evaluated", protocol.id(), dataset.title(), checkpoint);
        }
        return wanted;
      }
    }
  }

  private static String describe(Set<Modality> modalities) {
    if (modalities.isEmpty()) {
      return "no encoder";
    }
    if (modalities.size() == 1) {
      return modalities.contains(Modality.AUDIO) ? "only an audio encoder" : "only a video encoder";
    }
    return "audio and video encoders";
  }

  /** Runs {@code protocol} on {@code data} for every encoder, results in encoder order per modality. */
  public List<EvaluationResult> run(DatasetSplits data, EvaluationProtocol protocol, Set<Modality> modalities,
      List<Encoder> encoders) throws IOException {
    List<EvaluationResult> results = new ArrayList<>();
    switch (protocol) {
      case LINEAR -> {
        for (Modality modality : modalities) {
          for (Encoder encoder : encoders) {
            results.add(linear(data, modality, encoder));
          }
        }
      }
      case RETRIEVAL -> {
        for (Modality modality : modalities) {
          for (Encoder encoder : encoders) {
            results.add(retrieval(data, modality, encoder));
          }
        }
      }
      case FUSION -> {
        for (Encoder encoder : encoders) {
          results.add(fusion(data, encoder));
        }
      }
      case FINETUNE -> {
        for (Encoder encoder : encoders) {
          results.add(finetune(data, encoder));
        }
      }
    }
    return results;
  }

  private EvaluationResult linear(DatasetSplits data, Modality modality, Encoder encoder) throws IOException {
    ExtractionSettings x = context.extraction();
    MaxPool pooling = modality == Modality.VIDEO ? x.video().pooling() : x.audioClips().pooling();
    ClipFeatures train = features(data, encoder, spec(modality, ClipStyle.TRAIN), pooling, data.trainingSamples(),
        "linear");
    ClipFeatures test = features(data, encoder, spec(modality, ClipStyle.TEST), pooling, data.samples(), "linear");
    return probe(data, reportModality(modality), encoder, train, test);
  }

  private EvaluationResult fusion(DatasetSplits data, Encoder encoder) throws IOException {
    ExtractionSettings x = context.extraction();
    ClipFeatures[] parts = new ClipFeatures[4];
    int i = 0;
    for (ClipStyle style : List.of(ClipStyle.TRAIN, ClipStyle.TEST)) {
      List<SampleRef> samples = style == ClipStyle.TRAIN ? data.trainingSamples() : data.samples();
      parts[i++] = features(data, encoder, x.fusionSpec(Modality.AUDIO, style), x.fusion().audioPooling(), samples,
          "fusion");
      parts[i++] = features(data, encoder, x.fusionSpec(Modality.VIDEO, style), x.fusion().videoPooling(), samples,
          "fusion");
    }
    ClipFeatures train = joined(parts[0], parts[1]);
    ClipFeatures test = joined(parts[2], parts[3]);
    return probe(data, crisscross.evaluation.report.Modality.AUDIO_VIDEO, encoder, train, test);
  }

  /**
   * Audio followed by video features of the clips both modalities have, as {@link FusionProbe} joins them (done
   * here once for every split, and for grouped cross-validation); a sample skipped in one modality (no audio
   * stream, say) is left out of both.
   */
  private static ClipFeatures joined(ClipFeatures audio, ClipFeatures video) {
    Set<String> both = new HashSet<>(audio.samples().sampleIds());
    both.retainAll(new HashSet<>(video.samples().sampleIds()));
    ClipFeatures a = audio.selectSampleIds(both);
    ClipFeatures v = video.selectSampleIds(both);
    return ClipFeatures.concatenate(a, v);
  }

  private EvaluationResult probe(DatasetSplits data, crisscross.evaluation.report.Modality modality, Encoder encoder,
      ClipFeatures train, ClipFeatures test) {
    var probe = context.evaluation().probe();
    String name = data.spec().title();
    if (data.groupedCv()) {
      CrossValidatedResult cv = GroupedCrossValidation.run(train, test, context.evaluation().groupedCvFolds(),
          probe);
      return EvaluationResult.groupedCv(name, modality, encoder.kind(), cv);
    }
    List<LinearResult> results = new ArrayList<>();
    List<Fold> folds = new ArrayList<>();
    for (DatasetSplits.Split split : data.splits()) {
      ClipFeatures splitTest = test.selectSampleIds(split.test());
      LinearResult result = LinearProbe.run(train.selectSampleIds(split.train()), splitTest, probe);
      LOG.info("{} {} {} {}: top-1 {} (C = {})", name, modality.id(), encoder.kind().id(), split.name(),
          result.top1(), result.chosenCost());
      results.add(result);
      folds.add(fold(test, folds.size(), split));
    }
    if (results.size() == 1) {
      return EvaluationResult.linear(name, modality, encoder.kind(), results.get(0));
    }
    return EvaluationResult.splits(name, modality, encoder.kind(), CrossValidatedResult.of(results, folds));
  }

  /** A split as sample numbers of the test-clip features (which hold every sample). */
  private static Fold fold(ClipFeatures features, int index, DatasetSplits.Split split) {
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    List<String> ids = features.samples().sampleIds();
    for (int s = 0; s < ids.size(); s++) {
      if (split.train().contains(ids.get(s))) {
        train.add(s);
      } else if (split.test().contains(ids.get(s))) {
        test.add(s);
      }
    }
    return new Fold(index, train.stream().mapToInt(Integer::intValue).toArray(),
        test.stream().mapToInt(Integer::intValue).toArray());
  }

  private EvaluationResult retrieval(DatasetSplits data, Modality modality, Encoder encoder) throws IOException {
    ExtractionSettings x = context.extraction();
    MaxPool pooling = modality == Modality.VIDEO ? x.video().pooling() : x.audioClips().pooling();
    ClipFeatures all = features(data, encoder, spec(modality, ClipStyle.TEST), pooling, data.samples(), "retrieval");
    DatasetSplits.Split split = data.splits().get(0);
    RetrievalResult result = Retrieval.evaluate(all.selectSampleIds(split.test()),
        all.selectSampleIds(split.train()), context.evaluation().retrieval());
    String name = data.spec().title() + (data.splits().size() > 1 ? " (" + split.name() + ")" : "");
    sheets.draw(data, name, modality, encoder, result);
    return EvaluationResult.retrieval(name, reportModality(modality), encoder.kind(), result);
  }

  private EvaluationResult finetune(DatasetSplits data, Encoder encoder) throws IOException {
    FinetuneSettings f = context.finetune();
    ExtractionSettings x = context.extraction();
    ClipLoader trainLoader = x.videoLoader(context.media(),
        ClipSpec.video(ClipStyle.TRAIN, 1, f.frames(), x.decode().videoFps()), f.cropSize(), true);
    ClipLoader testLoader = x.videoLoader(context.media(),
        ClipSpec.video(ClipStyle.TEST, f.testClips(), f.frames(), x.decode().videoFps()), f.cropSize(), false);
    Finetuner finetuner = new Finetuner(f, context.stream(), context.progress(), x.seed());
    List<FinetuneResult.FinetuneSplit> splits = new ArrayList<>();
    for (DatasetSplits.Split split : data.splits()) {
      String label = data.spec().title() + " " + split.name() + ", finetuning the " + encoder.kind().id()
          + " video encoder";
      splits.add(finetuner.run(split.name(), label, encoder, data.select(split.train()), data.select(split.test()),
          data.classNames(), trainLoader, testLoader));
    }
    return EvaluationResult.finetune(data.spec().title(), encoder.kind(), FinetuneResult.of(splits));
  }

  /** The linear/retrieval clips of a modality. */
  private ClipSpec spec(Modality modality, ClipStyle style) {
    ExtractionSettings x = context.extraction();
    return modality == Modality.VIDEO ? x.videoSpec(style) : x.audioSpec(style);
  }

  ClipLoader loader(ClipSpec spec) {
    ExtractionSettings x = context.extraction();
    return spec.modality() == Modality.VIDEO ? x.videoLoader(context.media(), spec, x.video().cropSize(), false)
        : x.audioLoader(context.media(), spec);
  }

  /** Features of {@code samples}, from the cache when it holds them. */
  private ClipFeatures features(DatasetSplits data, Encoder encoder, ClipSpec spec, MaxPool pooling,
      List<SampleRef> samples, String purpose) throws IOException {
    String label = String.format("%s %s %s features, %s encoder, %s clips", data.spec().title(), purpose,
        spec.modality().prefix(), encoder.kind().id(), spec.style().id());
    EncoderFeatureExtractor extractor = new EncoderFeatureExtractor(encoder, loader(spec), pooling,
        new EncoderFeatureExtractor.Options(context.extraction().batchSize(), context.extraction().seed()),
        context.stream(), context.progress(), label);
    CacheKey key = new CacheKey(extractor.checkpointHash(), CacheKey.datasetHash(samples, data.classNames()),
        extractor.settingsHash());
    boolean[] computed = {false};
    ClipFeatures features = context.cache().getOrCompute(key, () -> {
      computed[0] = true;
      return extractor.extract(samples, data.classNames());
    });
    if (computed[0]) {
      extracted++;
    } else {
      cached++;
      LOG.info("{}: read from the feature cache ({})", label, features);
    }
    return features;
  }

  private static crisscross.evaluation.report.Modality reportModality(Modality modality) {
    return modality == Modality.VIDEO ? crisscross.evaluation.report.Modality.VIDEO
        : crisscross.evaluation.report.Modality.AUDIO;
  }
}
