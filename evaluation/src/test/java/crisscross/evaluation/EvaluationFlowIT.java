package crisscross.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import crisscross.evaluation.cache.CacheKey;
import crisscross.evaluation.cache.FeatureCache;
import crisscross.evaluation.features.ClipFeatures;
import crisscross.evaluation.features.FeatureExtractor;
import crisscross.evaluation.linear.CrossValidatedResult;
import crisscross.evaluation.linear.FusionProbe;
import crisscross.evaluation.linear.GroupedCrossValidation;
import crisscross.evaluation.linear.LinearProbe;
import crisscross.evaluation.linear.LinearResult;
import crisscross.evaluation.report.EncoderKind;
import crisscross.evaluation.report.EvaluationResult;
import crisscross.evaluation.report.Figures;
import crisscross.evaluation.report.Modality;
import crisscross.evaluation.report.ReportWriter;
import crisscross.evaluation.report.RetrievalSheetRow;
import crisscross.evaluation.retrieval.Retrieval;
import crisscross.evaluation.retrieval.RetrievalResult;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.media.VideoFrames;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.source.SampleRef;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation as the command line wires it, on samples whose features come from a stand-in extractor: feature
 * cache, linear probes for a "pretrained" and a "random-init" encoder, late fusion, retrieval, grouped
 * cross-validation, report and figures; a rerun is served from the cache.
 */
class EvaluationFlowIT {
  @TempDir Path dir;

  private static final List<String> CLASSES = List.of("drumming", "juggling", "playing harp", "sawing");

  /**
   * Stands in for an encoder + max-pooling: a pretrained encoder's features carry the class (its centre plus
   * noise), a random one's only noise. Counts its extractions.
   */
  private static final class StandInExtractor implements FeatureExtractor {
    private final String checkpoint;
    private final boolean informative;
    private final int clips;
    private final long modalitySeed;
    private int extractions;

    StandInExtractor(String checkpoint, boolean informative, int clips, long modalitySeed) {
      this.checkpoint = checkpoint;
      this.informative = informative;
      this.clips = clips;
      this.modalitySeed = modalitySeed;
    }

    @Override
    public String checkpointHash() {
      return checkpoint;
    }

    @Override
    public String settingsHash() {
      return CacheKey.sha256("clips=" + clips + " modality=" + modalitySeed);
    }

    @Override
    public ClipFeatures extract(List<SampleRef> samples, List<String> classNames) {
      extractions++;
      ClipFeatures.Builder builder = ClipFeatures.builder(classNames);
      for (SampleRef sample : samples) {
        int label = classNames.indexOf(sample.label().orElseThrow());
        SampleRandom centre = SampleRandom.of(modalitySeed).fork(label);
        SampleRandom noise = SampleRandom.of(modalitySeed).fork(sample.id());
        for (int c = 0; c < clips; c++) {
          float[] row = new float[16];
          for (int j = 0; j < row.length; j++) {
            row[j] = (float) Math.max(0, (informative ? 1.5 * centre.fork(j).nextGaussian() : 0)
                + noise.nextGaussian());
          }
          builder.add(sample, c, row);
        }
      }
      return builder.build();
    }
  }

  private static List<SampleRef> samples(String split, int count) {
    List<SampleRef> refs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String label = CLASSES.get(i % CLASSES.size());
      refs.add(new SampleRef(i, split + "/" + label + "/v" + i + ".mp4", "/data/" + split + "/v" + i + ".mp4",
          Optional.of(label), split, "g" + (i / 2)));
    }
    return refs;
  }

  private List<EvaluationResult> evaluate(FeatureCache cache, StandInExtractor[] extractors,
      EvaluationSettings settings) throws Exception {
    List<SampleRef> train = samples("train", 48);
    List<SampleRef> test = samples("test", 20);
    List<EvaluationResult> results = new ArrayList<>();
    EncoderKind[] kinds = {EncoderKind.PRETRAINED, EncoderKind.RANDOM_INIT};
    for (int e = 0; e < 2; e++) {
      ClipFeatures videoTrain = cache.features(extractors[2 * e], train, CLASSES);
      ClipFeatures videoTest = cache.features(extractors[2 * e], test, CLASSES);
      ClipFeatures audioTrain = cache.features(extractors[2 * e + 1], train, CLASSES);
      ClipFeatures audioTest = cache.features(extractors[2 * e + 1], test, CLASSES);
      results.add(EvaluationResult.linear("Kinetics-Sound", Modality.VIDEO, kinds[e],
          LinearProbe.run(videoTrain, videoTest, settings.probe())));
      results.add(EvaluationResult.linear("Kinetics-Sound", Modality.AUDIO_VIDEO, kinds[e],
          FusionProbe.run(audioTrain, videoTrain, audioTest, videoTest, settings.probe())));
      results.add(EvaluationResult.retrieval("Kinetics-Sound", Modality.VIDEO, kinds[e],
          Retrieval.evaluate(videoTest, videoTrain, settings.retrieval())));
      CrossValidatedResult cv = GroupedCrossValidation.run(audioTrain, settings.groupedCvFolds(), settings.probe());
      results.add(EvaluationResult.groupedCv("ESC-50-like", Modality.AUDIO, kinds[e], cv));
    }
    return results;
  }

  @Test
  void evaluatesReportsAndReusesCachedFeatures() throws Exception {
    EvaluationSettings settings = EvaluationSettings.from(ConfigLoader.load(List.of(),
        List.of("evaluation.workers=2", "evaluation.linear.costs=[1e-3, 1e-2, 1]")));
    StandInExtractor[] extractors = {
        new StandInExtractor("sha-pretrained", true, 3, 1), new StandInExtractor("sha-pretrained", true, 3, 2),
        new StandInExtractor("random-init:seed=42", false, 3, 1),
        new StandInExtractor("random-init:seed=42", false, 3, 2)};
    FeatureCache cache = new FeatureCache(settings.cacheDir().orElse(dir.resolve("feature-cache")));
    List<EvaluationResult> results = evaluate(cache, extractors, settings);

    LinearResult pretrained = results.get(0).linear().orElseThrow();
    LinearResult random = results.get(4).linear().orElseThrow();
    assertThat(pretrained.top1()).isGreaterThan(0.8);
    assertThat(random.top1()).isLessThan(0.6);
    assertThat(results.get(1).linear().orElseThrow().top1()).isGreaterThanOrEqualTo(pretrained.top1() - 0.05);
    RetrievalResult retrieval = results.get(2).retrieval().orElseThrow();
    assertThat(retrieval.recallAt(1)).isLessThanOrEqualTo(retrieval.recallAt(5));

    Path out = dir.resolve("evaluation");
    ReportWriter.write(out, "Kinetics-Sound", Map.of("checkpoint", "sha-pretrained"), results);
    List<Path> figures = Figures.writeFor(out.resolve("figures"), results);
    List<RetrievalSheetRow> rows = new ArrayList<>();
    for (int q = 0; q < 3; q++) {
      rows.add(RetrievalSheetRow.of(retrieval.queries().get(q), 5, retrieval.classNames(),
          EvaluationFlowIT::thumbnail));
    }
    Figures.writePng(Figures.retrievalSheet(rows, "video-to-video"), out.resolve("figures/retrieval.png"));

    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertThat(report.path("results")).hasSize(8);
    assertThat(Files.readString(out.resolve("report.md"))).contains("| Kinetics-Sound | v | linear SVM |");
    assertThat(figures).hasSize(2 * (2 + 2 + 1 + 5));
    assertThat(out.resolve("figures/retrieval.png")).isRegularFile();

    for (StandInExtractor extractor : extractors) {
      assertThat(extractor.extractions).isEqualTo(2);
    }
    List<EvaluationResult> again = evaluate(cache, extractors, settings);
    for (StandInExtractor extractor : extractors) {
      assertThat(extractor.extractions).as("served from the cache").isEqualTo(2);
    }
    assertThat(again.get(0).linear().orElseThrow().top1()).isEqualTo(pretrained.top1());
  }

  private static BufferedImage thumbnail(String sampleId) {
    float[] rgb = new float[8 * 8 * 3];
    float shade = (sampleId.hashCode() & 0xff) / 255f;
    Arrays.fill(rgb, shade);
    return Figures.frameImage(new VideoFrames(1, 8, 8, rgb, new double[] {0}), 0);
  }
}
