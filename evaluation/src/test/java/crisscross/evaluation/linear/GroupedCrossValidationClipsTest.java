package crisscross.evaluation.linear;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.evaluation.features.ClipFeatures;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Grouped cross-validation fitted on one kind of clips and scored on another (Appendix E.1's protocol). */
class GroupedCrossValidationClipsTest {
  @Test
  void eachFoldFitsOnTrainingClipsAndScoresOnTestClipsOfItsOwnSamples() {
    ClipFeatures training = ProbeFixtures.gaussian("", 3, 30, 4, 8, 3.0, 5);
    ClipFeatures test = ProbeFixtures.gaussian("", 3, 30, 2, 8, 3.0, 6);
    CrossValidatedResult result = GroupedCrossValidation.run(training, test, 5, ProbeFixtures.settings());

    Set<String> tested = new HashSet<>();
    for (LinearResult fold : result.folds()) {
      assertThat(fold.trainClips()).isEqualTo(4 * fold.trainSamples());
      assertThat(fold.testClips()).isEqualTo(2 * fold.testSamples());
      assertThat(fold.trainSamples() + fold.testSamples()).isEqualTo(30);
      tested.addAll(fold.testSampleIds());
    }
    assertThat(tested).hasSize(30);
    assertThat(result.meanTop1()).as("well separated classes").isGreaterThan(0.8);
  }

  @Test
  void aSampleWithoutTrainingClipsIsStillTestedButNeverTrainedOn() {
    ClipFeatures training = ProbeFixtures.gaussian("", 3, 30, 4, 8, 3.0, 5);
    ClipFeatures test = ProbeFixtures.gaussian("", 3, 30, 2, 8, 3.0, 6);
    Set<String> kept = new HashSet<>(training.samples().sampleIds());
    kept.remove("-7");
    CrossValidatedResult result = GroupedCrossValidation.run(training.selectSampleIds(kept), test, 5,
        ProbeFixtures.settings());
    int trainedOn = 0;
    Set<String> tested = new HashSet<>();
    for (LinearResult fold : result.folds()) {
      trainedOn += fold.trainSamples();
      tested.addAll(fold.testSampleIds());
    }
    assertThat(tested).contains("-7").hasSize(30);
    assertThat(trainedOn).as("each sample trains in four of five folds, -7 in none").isEqualTo(29 * 4);
  }

  @Test
  void theSameFeaturesOnBothSidesGiveTheSingleSetEvaluation() {
    ClipFeatures features = ProbeFixtures.gaussian("", 3, 30, 2, 8, 1.0, 9);
    CrossValidatedResult single = GroupedCrossValidation.run(features, 5, ProbeFixtures.settings());
    CrossValidatedResult pair = GroupedCrossValidation.run(features, features.withRows(features.rows()), 5,
        ProbeFixtures.settings());
    assertThat(pair.meanTop1()).isEqualTo(single.meanTop1());
    assertThat(List.of(pair.folds().get(2).testSampleIds())).isEqualTo(List.of(single.folds().get(2)
        .testSampleIds()));
  }
}
