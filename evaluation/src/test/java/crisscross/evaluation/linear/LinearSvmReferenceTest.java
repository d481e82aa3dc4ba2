package crisscross.evaluation.linear;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import crisscross.evaluation.features.Clip;
import crisscross.evaluation.features.ClipFeatures;
import crisscross.evaluation.features.SampleIndex;
import crisscross.pipeline.io.Npy;
import crisscross.pipeline.io.NpyArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The LIBLINEAR wrapper against scikit-learn's LinearSVC on the fixture written by
 * {@code tools/eval/make_reference.py}: 4 overlapping classes, 3 clips per sample, Appendix E.1's cost grid,
 * raw and standardised features. Accuracy must match exactly (the fixture has no near-ties) and decision values
 * closely: both solvers reach the same unique optimum, and the features are float32 here, so differences are
 * about 1e-7 of the largest decision value (measured); the bound is 1e-5.
 */
class LinearSvmReferenceTest {
  private static final String DIR = "/crisscross/evaluation/linear/sklearn/";

  @ParameterizedTest(name = "{0} features, {1} solver")
  @CsvSource({"none, DUAL", "standardize, DUAL", "none, PRIMAL", "standardize, PRIMAL"})
  void matchesScikitLearnLinearSvc(String preprocessing, SvmSettings.Solver formulation) throws Exception {
    JsonNode reference = new ObjectMapper().readTree(Files.readString(resource("reference.json")));
    ClipFeatures train = features("train");
    ClipFeatures test = features("test");
    NpyArray expected = Npy.read(resource("decisions_" + preprocessing + ".npy"));
    JsonNode accuracies = reference.path("preprocessing").path(preprocessing);
    SvmSettings solver = new SvmSettings(reference.path("tol").asDouble(), reference.path("max_iter").asInt(),
        reference.path("intercept_scaling").asDouble(), formulation);

    Standardizer standardizer = preprocessing.equals("standardize")
        ? Standardizer.fit(train.rows()) : Standardizer.identity(train.dimension());
    float[][] trainRows = standardizer.apply(train.rows());
    float[][] testRows = standardizer.apply(test.rows());
    int classes = train.classNames().size();
    JsonNode costs = reference.path("costs");
    assertThat(costs.size()).isEqualTo(8);
    for (int c = 0; c < costs.size(); c++) {
      double cost = costs.get(c).asDouble();
      double[][] decisions = LinearSvm.train(trainRows, train.labels(), classes, cost, solver, 1)
          .decisionValues(testRows);
      double scale = 0;
      double worst = 0;
      for (int i = 0; i < decisions.length; i++) {
        for (int k = 0; k < classes; k++) {
          double sklearn = expected.data()[(c * decisions.length + i) * classes + k];
          scale = Math.max(scale, Math.abs(sklearn));
          worst = Math.max(worst, Math.abs(decisions[i][k] - sklearn));
        }
      }
      assertThat(worst).as("largest decision value difference at C=%s (values up to %s)", cost, scale)
          .isLessThanOrEqualTo(1e-5 * Math.max(scale, 1e-3));
      double clipAccuracy = LinearProbe.accuracy(SampleIndex.argmax(decisions), test.labels());
      SampleIndex samples = test.samples();
      double sampleAccuracy = LinearProbe.accuracy(SampleIndex.argmax(samples.average(decisions)),
          samples.labels());
      assertThat(clipAccuracy).as("clip accuracy at C=%s", cost)
          .isEqualTo(accuracies.path("clip_accuracy").get(c).asDouble());
      assertThat(sampleAccuracy).as("sample accuracy at C=%s", cost)
          .isEqualTo(accuracies.path("sample_accuracy").get(c).asDouble());
    }
  }

  private static ClipFeatures features(String split) throws Exception {
    NpyArray x = Npy.read(resource(split + "_x.npy"));
    NpyArray y = Npy.read(resource(split + "_y.npy"));
    NpyArray sample = Npy.read(resource(split + "_sample.npy"));
    int rows = (int) x.shape()[0];
    int dimension = (int) x.shape()[1];
    List<Clip> clips = new ArrayList<>();
    float[][] features = new float[rows][dimension];
    int[] clipOfSample = new int[rows];
    for (int i = 0; i < rows; i++) {
      int s = (int) sample.data()[i];
      clips.add(new Clip(split + "-" + s, clipOfSample[s]++, (int) y.data()[i], null, split));
      for (int j = 0; j < dimension; j++) {
        features[i][j] = (float) x.data()[i * dimension + j];
      }
    }
    return ClipFeatures.of(List.of("a", "b", "c", "d"), clips, features);
  }

  private static Path resource(String name) throws Exception {
    return Path.of(LinearSvmReferenceTest.class.getResource(DIR + name).toURI());
  }
}
