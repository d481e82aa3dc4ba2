package crisscross.evaluation.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import crisscross.evaluation.features.Clip;
import crisscross.evaluation.features.ClipFeatures;
import crisscross.evaluation.features.SampleIndex;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearProbeTest {
  @Test
  void choosesTheCostByCrossValidationAndScoresTheTestSplitAtIt() {
    ClipFeatures train = ProbeFixtures.gaussian("train", 4, 40, 3, 6, 0.8, 1);
    ClipFeatures test = ProbeFixtures.gaussian("test", 4, 24, 3, 6, 0.8, 2);
    ProbeSettings settings = ProbeFixtures.settings();
    LinearResult result = LinearProbe.run(train, test, settings);

    assertThat(result.sweep()).extracting(CostScore::cost).containsExactlyElementsOf(ProbeSettings.PAPER_COSTS);
    double bestCv = result.sweep().stream().mapToDouble(CostScore::cvAccuracy).max().orElseThrow();
    CostScore firstBest = result.sweep().stream().filter(s -> s.cvAccuracy() == bestCv).findFirst().orElseThrow();
    assertThat(result.chosenCost()).as("the smallest of the best-CV costs").isEqualTo(firstBest.cost());
    for (CostScore score : result.sweep()) {
      assertThat(score.foldAccuracies()).hasSize(5);
      assertThat(score.cvAccuracy()).isCloseTo(LinearProbe.mean(score.foldAccuracies()),
          offset(1e-12));
      assertThat(score.testTop1()).isPresent();
    }
    assertThat(result.chosen().testTop1().getAsDouble()).isEqualTo(result.top1());
    assertThat(result.bestOnTestTop1().getAsDouble()).isGreaterThanOrEqualTo(result.top1())
        .isEqualTo(result.sweep().stream().mapToDouble(s -> s.testTop1().getAsDouble()).max().orElseThrow());

    Standardizer standardizer = Standardizer.fit(train.rows());
    LinearSvm svm = LinearSvm.train(standardizer.apply(train.rows()), train.labels(), 4, result.chosenCost(),
        settings.svm(), 0);
    SampleIndex samples = test.samples();
    int[] predicted = SampleIndex.argmax(samples.average(svm.decisionValues(standardizer.apply(test.rows()))));
    assertThat(result.top1()).isEqualTo(LinearProbe.accuracy(predicted, samples.labels()));
    assertThat(result.top1()).as("the classes overlap but are learnable").isBetween(0.5, 0.99);

    int diagonal = 0;
    int total = 0;
    int[][] confusion = result.confusion();
    for (int t = 0; t < 4; t++) {
      for (int p = 0; p < 4; p++) {
        total += confusion[t][p];
        diagonal += t == p ? confusion[t][p] : 0;
      }
    }
    assertThat(total).isEqualTo(24);
    assertThat(diagonal / (double) total).isEqualTo(result.top1());
    assertThat(result.trainSamples()).isEqualTo(40);
    assertThat(result.testClips()).isEqualTo(72);
  }

  @Test
  void nothingFittedOrChosenDependsOnTheTestSplit() {
    ClipFeatures train = ProbeFixtures.gaussian("train", 3, 30, 2, 5, 1.0, 3);
    ClipFeatures test = ProbeFixtures.gaussian("test", 3, 15, 2, 5, 1.0, 4);
    List<Clip> shuffledLabels = new ArrayList<>();
    float[][] scaled = new float[test.size()][];
    for (int i = 0; i < test.size(); i++) {
      Clip c = test.clip(i);
      shuffledLabels.add(new Clip(c.sampleId(), c.clipIndex(), (c.label() + 1) % 3, c.group(), c.split()));
      scaled[i] = test.row(i).clone();
      for (int j = 0; j < scaled[i].length; j++) {
        scaled[i][j] = scaled[i][j] * 50 + 7;
      }
    }
    ClipFeatures otherTest = ClipFeatures.of(test.classNames(), shuffledLabels, scaled);
    ProbeSettings settings = ProbeFixtures.settings().withCosts(List.of(1e-4, 1e-2, 1.0));
    LinearResult a = LinearProbe.run(train, test, settings);
    LinearResult b = LinearProbe.run(train, otherTest, settings);
    assertThat(b.chosenCost()).isEqualTo(a.chosenCost());
    for (int c = 0; c < 3; c++) {
      assertThat(b.sweep().get(c).foldAccuracies()).containsExactly(a.sweep().get(c).foldAccuracies());
    }
  }

  @Test
  void sampleLevelTop1AveragesClipDecisionsWhereClipsDisagree() {
    // One feature; training samples mirror each other around 0, so the boundary is at 0. Each test sample has one
    // clip far on its own side and two clips just over the boundary: clip-level 2 of 6 right, sample-level 2 of 2.
    List<Clip> trainClips = new ArrayList<>();
    List<float[]> trainRows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      float x = 0.6f + 0.1f * i;
      trainClips.add(new Clip("neg" + i, 0, 0, null, "train"));
      trainRows.add(new float[] {-x});
      trainClips.add(new Clip("pos" + i, 0, 1, null, "train"));
      trainRows.add(new float[] {x});
    }
    ClipFeatures train = ClipFeatures.of(List.of("neg", "pos"), trainClips, trainRows.toArray(new float[0][]));
    ClipFeatures test = ClipFeatures.of(List.of("neg", "pos"), List.of(
        new Clip("a", 0, 0, null, "test"), new Clip("a", 1, 0, null, "test"), new Clip("a", 2, 0, null, "test"),
        new Clip("b", 0, 1, null, "test"), new Clip("b", 1, 1, null, "test"), new Clip("b", 2, 1, null, "test")),
        new float[][] {{-3f}, {0.5f}, {0.5f}, {3f}, {-0.5f}, {-0.5f}});
    LinearResult result = LinearProbe.run(train, test, ProbeFixtures.settings());
    assertThat(result.clipTop1()).isEqualTo(2 / 6.0);
    assertThat(result.top1()).isEqualTo(1.0);
    assertThat(result.testPredictions()).containsExactly(0, 1);
  }

  @Test
  void refusesTooFewGroupsForTheFoldsAndMismatchedDimensions() {
    ClipFeatures train = ProbeFixtures.gaussian("train", 2, 4, 3, 3, 1.0, 5);
    ClipFeatures test = ProbeFixtures.gaussian("test", 2, 4, 1, 3, 1.0, 6);
    assertThatThrownBy(() -> LinearProbe.run(train, test, ProbeFixtures.settings()))
        .hasMessageContaining("evaluation.linear.cv-folds = 5").hasMessageContaining("only 4 groups");
    ClipFeatures wide = ProbeFixtures.gaussian("test", 2, 4, 1, 4, 1.0, 6);
    assertThatThrownBy(() -> LinearProbe.run(train, wide, ProbeFixtures.settings().withCvFolds(2)))
        .hasMessageContaining("dimension 3").hasMessageContaining("test features 4");
  }
}
