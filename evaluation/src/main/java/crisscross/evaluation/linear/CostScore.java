package crisscross.evaluation.linear;

import java.util.OptionalDouble;

/**
 * One cost of the sweep.
 *
 * @param cost the SVM cost C
 * @param foldAccuracies sample-level top-1 on each held-out cross-validation fold of the training split
 * @param cvAccuracy mean of {@code foldAccuracies}: what the cost is chosen by
 * @param cvStd population standard deviation of {@code foldAccuracies}
 * @param testTop1 sample-level top-1 on the test split when fitted on the whole training split; present only when
 *     every cost is fitted ({@link ProbeSettings#reportBestOnTest()}) or for the chosen cost
 */
public record CostScore(double cost, double[] foldAccuracies, double cvAccuracy, double cvStd,
    OptionalDouble testTop1) {
  public CostScore {
    foldAccuracies = foldAccuracies.clone();
  }

  @Override
  public double[] foldAccuracies() {
    return foldAccuracies.clone();
  }
}
