package crisscross.evaluation.linear;

/**
 * The problem of scikit-learn's {@code LinearSVC}: L2-regularised squared hinge loss, one-vs-rest for more than two
 * classes, solved by LIBLINEAR in the dual ({@code L2R_L2LOSS_SVC_DUAL}, LinearSVC's default) or in the primal
 * ({@code L2R_L2LOSS_SVC}, a trust-region Newton method). Both reach the same unique optimum; the dual's coordinate
 * descent crawls at large costs when there are many more rows than features (ESC-50 with 10 clips per sample: a
 * cost sweep took minutes per fold), which is why scikit-learn advises {@code dual=False} there and its
 * {@code dual="auto"} picks the primal when rows outnumber features, as {@link Solver#AUTO} does.
 *
 * @param solver which formulation LIBLINEAR solves
 * @param tolerance stopping tolerance of the dual coordinate descent (LinearSVC's {@code tol})
 * @param maxIterations iteration cap (LinearSVC's {@code max_iter}); LIBLINEAR 2.44's dual coordinate descent
 *     makes at most 300 passes and then hands over to its primal Newton solver, which this caps
 * @param bias value of the constant feature appended for the intercept, regularised like the weights
 *     (LinearSVC's {@code intercept_scaling}); negative = no intercept
 */
public record SvmSettings(double tolerance, int maxIterations, double bias, Solver solver) {
  /** scikit-learn's {@code LinearSVC()} defaults, with its {@code dual="auto"}. */
  public static final SvmSettings LINEAR_SVC_DEFAULTS = new SvmSettings(1e-4, 1000, 1.0, Solver.AUTO);

  public enum Solver {
    /** The primal when the problem has more rows than features (bias included), else the dual. */
    AUTO,
    DUAL,
    PRIMAL;

    boolean primalFor(int rows, int features) {
      return this == PRIMAL || this == AUTO && rows > features;
    }
  }

  public SvmSettings {
    if (!(tolerance > 0)) {
      throw new IllegalArgumentException("SVM tolerance must be positive, got " + tolerance);
    }
    if (solver == null) {
      throw new IllegalArgumentException("SVM solver must be given (auto, dual or primal)");
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("SVM iteration cap must be positive, got " + maxIterations);
    }
  }
}
