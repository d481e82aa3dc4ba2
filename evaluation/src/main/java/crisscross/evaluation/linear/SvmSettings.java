package crisscross.evaluation.linear;

/**
 * The LIBLINEAR solver behind scikit-learn's {@code LinearSVC}: L2-regularised squared hinge loss solved in the
 * dual ({@code L2R_L2LOSS_SVC_DUAL}), one-vs-rest for more than two classes.
 *
 * @param tolerance stopping tolerance of the dual coordinate descent (LinearSVC's {@code tol})
 * @param maxIterations iteration cap (LinearSVC's {@code max_iter}); LIBLINEAR 2.44's dual coordinate descent
 *     makes at most 300 passes and then hands over to its primal Newton solver, which this caps
 * @param bias value of the constant feature appended for the intercept, regularised like the weights
 *     (LinearSVC's {@code intercept_scaling}); negative = no intercept
 */
public record SvmSettings(double tolerance, int maxIterations, double bias) {
  /** scikit-learn's {@code LinearSVC()} defaults. */
  public static final SvmSettings LINEAR_SVC_DEFAULTS = new SvmSettings(1e-4, 1000, 1.0);

  public SvmSettings {
    if (!(tolerance > 0)) {
      throw new IllegalArgumentException("SVM tolerance must be positive, got " + tolerance);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("SVM iteration cap must be positive, got " + maxIterations);
    }
  }
}
