package crisscross.evaluation.linear;

import crisscross.evaluation.split.Fold;
import java.util.List;

/**
 * A linear probe evaluated by grouped cross-validation over one labelled set ({@link GroupedCrossValidation}).
 *
 * @param folds each outer fold's probe, its test part being that fold's held-out samples
 * @param splits the outer folds, as sample numbers of the evaluated features
 * @param meanTop1 mean of the folds' sample-level top-1
 * @param stdTop1 population standard deviation of the folds' top-1
 */
public record CrossValidatedResult(List<LinearResult> folds, List<Fold> splits, double meanTop1, double stdTop1) {
  public CrossValidatedResult {
    folds = List.copyOf(folds);
    splits = List.copyOf(splits);
  }

  /** The folds' probes with the mean and population standard deviation of their top-1. */
  public static CrossValidatedResult of(List<LinearResult> folds, List<Fold> splits) {
    double[] top1 = folds.stream().mapToDouble(LinearResult::top1).toArray();
    return new CrossValidatedResult(folds, splits, LinearProbe.mean(top1), LinearProbe.std(top1));
  }

  /** Mean of the folds' best-on-test top-1 (optimistic; see {@link LinearResult#bestOnTestTop1()}), or NaN. */
  public double meanBestOnTestTop1() {
    double sum = 0;
    for (LinearResult fold : folds) {
      if (fold.bestOnTestTop1().isEmpty()) {
        return Double.NaN;
      }
      sum += fold.bestOnTestTop1().getAsDouble();
    }
    return sum / folds.size();
  }
}
