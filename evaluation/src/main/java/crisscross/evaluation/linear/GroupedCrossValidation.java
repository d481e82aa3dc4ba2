package crisscross.evaluation.linear;

import crisscross.evaluation.features.ClipFeatures;
import crisscross.evaluation.split.Fold;
import crisscross.evaluation.split.GroupedStratifiedKFold;
import crisscross.pipeline.random.SampleRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linear evaluation of one labelled set with no official train/test split of its own, such as a single ESC-50
 * fold: grouped stratified k-fold over its samples (an ESC-50 {@code src_file}'s clips never straddle a split),
 * a full {@link LinearProbe} per outer fold (with its own inner cross-validation for the cost), and the mean and
 * spread of the outer folds' top-1. The samples of a fold's training part may come with other clips than those of
 * its test part (Appendix E.1: augmented training clips, uniformly spaced clean test clips).
 */
public final class GroupedCrossValidation {
  private static final Logger LOG = LoggerFactory.getLogger(GroupedCrossValidation.class);

  private GroupedCrossValidation() {}

  /**
   * Evaluates {@code features} (any split labels are ignored) with {@code folds} outer folds.
   *
   * @param folds outer folds ({@code evaluation.grouped-cv-folds}, 5 by default)
   */
  public static CrossValidatedResult run(ClipFeatures features, int folds, ProbeSettings settings) {
    return run(features, features, folds, settings);
  }

  /**
   * Evaluates the samples of {@code testClips} with {@code folds} outer folds: each fold's probe is fitted on the
   * {@code trainingClips} of the other folds' samples and scored on the {@code testClips} of its own. Samples
   * missing from {@code trainingClips} (skipped while extracting them) are never trained on; the folds are made
   * over {@code testClips}, so every sample that has test clips is tested exactly once.
   *
   * @param trainingClips features of the clips a probe is fitted on, of (some of) the same samples
   * @param testClips features of the clips a probe is scored on
   */
  public static CrossValidatedResult run(ClipFeatures trainingClips, ClipFeatures testClips, int folds,
      ProbeSettings settings) {
    ClipFeatures features = testClips.withClassNames(trainingClips.classNames());
    var samples = features.samples();
    List<Fold> splits = GroupedStratifiedKFold.split(samples.labels(), samples.groups(), folds,
        SampleRandom.of(settings.seed()).fork("grouped-cross-validation").nextLong());
    List<LinearResult> results = new ArrayList<>();
    double[] top1 = new double[splits.size()];
    for (Fold fold : splits) {
      ClipFeatures training = trainingClips == testClips ? features.selectSamples(fold.train())
          : trainingClips.selectSampleIds(sampleIds(features, fold.train()));
      long started = System.nanoTime();
      LinearResult result = LinearProbe.run(training, features.selectSamples(fold.test()), settings);
      results.add(result);
      top1[fold.index()] = result.top1();
      LOG.info("grouped cross-validation: outer fold {}/{} top-1 {} ({} s)", fold.index() + 1, splits.size(),
          String.format(Locale.ROOT, "%.3f", result.top1()),
          String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
    }
    return new CrossValidatedResult(results, splits, LinearProbe.mean(top1), LinearProbe.std(top1));
  }

  private static Set<String> sampleIds(ClipFeatures features, int[] sampleNumbers) {
    Set<String> ids = new HashSet<>();
    for (int s : sampleNumbers) {
      ids.add(features.samples().sampleId(s));
    }
    return ids;
  }
}
