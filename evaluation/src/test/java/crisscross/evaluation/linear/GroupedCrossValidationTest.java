package crisscross.evaluation.linear;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.evaluation.features.Clip;
import crisscross.evaluation.features.ClipFeatures;
import crisscross.evaluation.split.Fold;
import crisscross.pipeline.random.SampleRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupedCrossValidationTest {
  /**
   * ESC-50-like structure without class signal: 30 source recordings ({@code src_file} groups) of random class,
   * each cut into 4 near-identical samples. Only the group identity predicts the label, so a split that lets a
   * group's siblings into training scores far above chance, and a grouped one does not.
   */
  private static ClipFeatures siblings(boolean keepGroups) {
    SampleRandom random = SampleRandom.of(77);
    int dimension = 40;
    List<Clip> clips = new ArrayList<>();
    List<float[]> rows = new ArrayList<>();
    for (int g = 0; g < 30; g++) {
      int label = g % 2;
      double[] centre = new double[dimension];
      for (int j = 0; j < dimension; j++) {
        centre[j] = random.nextGaussian();
      }
      for (int s = 0; s < 4; s++) {
        String id = "src" + g + "-cut" + s;
        float[] row = new float[dimension];
        for (int j = 0; j < dimension; j++) {
          row[j] = (float) (centre[j] + 0.1 * random.nextGaussian());
        }
        clips.add(new Clip(id, 0, label, keepGroups ? "src" + g : id, ""));
        rows.add(row);
      }
    }
    return ClipFeatures.of(List.of("dog", "rain"), clips, rows.toArray(new float[0][]));
  }

  @Test
  void outerFoldsPartitionTheSamplesWithoutSplittingAGroup() {
    ClipFeatures features = siblings(true);
    CrossValidatedResult result = GroupedCrossValidation.run(features, 5, ProbeFixtures.settings());
    assertThat(result.folds()).hasSize(5);
    Set<String> tested = new HashSet<>();
    double sum = 0;
    for (int f = 0; f < 5; f++) {
      Fold split = result.splits().get(f);
      Set<String> trainGroups = new HashSet<>();
      for (int s : split.train()) {
        trainGroups.add(features.samples().group(s));
      }
      for (int s : split.test()) {
        assertThat(trainGroups).doesNotContain(features.samples().group(s));
        assertThat(tested.add(features.samples().sampleId(s))).isTrue();
      }
      assertThat(result.folds().get(f).testSampleIds()).hasSize(split.test().length);
      sum += result.folds().get(f).top1();
    }
    assertThat(tested).hasSize(120);
    assertThat(result.meanTop1()).isEqualTo(sum / 5);
  }

  @Test
  void keepingGroupsTogetherRemovesTheSiblingLeak() {
    double grouped = GroupedCrossValidation.run(siblings(true), 5, ProbeFixtures.settings()).meanTop1();
    double leaky = GroupedCrossValidation.run(siblings(false), 5, ProbeFixtures.settings()).meanTop1();
    assertThat(leaky).as("siblings in training give the labels away").isGreaterThan(0.9);
    assertThat(grouped).as("unseen groups carry no class signal").isLessThan(0.7);
  }
}
