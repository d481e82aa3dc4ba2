package crisscross.evaluation.linear;

import crisscross.evaluation.features.ClipFeatures;
import crisscross.evaluation.split.Fold;
import crisscross.evaluation.split.GroupedStratifiedKFold;
import crisscross.pipeline.random.SampleRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Linear evaluation of one labelled set with no official train/test split of its own, such as a single ESC-50
 * fold: grouped stratified k-fold over its samples (an ESC-50 {@code src_file}'s clips never straddle a split),
 * a full {@link LinearProbe} per outer fold (with its own inner cross-validation for the cost), and the mean and
 * spread of the outer folds' top-1.
 */
public final class GroupedCrossValidation {
  private GroupedCrossValidation() {}

  /**
   * Evaluates {@code features} (any split labels are ignored) with {@code folds} outer folds.
   *
   * @param folds outer folds ({@code evaluation.grouped-cv-folds}, 5 by default)
   */
  public static CrossValidatedResult run(ClipFeatures features, int folds, ProbeSettings settings) {
    var samples = features.samples();
    List<Fold> splits = GroupedStratifiedKFold.split(samples.labels(), samples.groups(), folds,
        SampleRandom.of(settings.seed()).fork("grouped-cross-validation").nextLong());
    List<LinearResult> results = new ArrayList<>();
    double[] top1 = new double[splits.size()];
    for (Fold fold : splits) {
      LinearResult result = LinearProbe.run(features.selectSamples(fold.train()),
          features.selectSamples(fold.test()), settings);
      results.add(result);
      top1[fold.index()] = result.top1();
    }
    return new CrossValidatedResult(results, splits, LinearProbe.mean(top1), LinearProbe.std(top1));
  }
}
