package crisscross.evaluation.linear;

import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.SolverType;
import java.util.Arrays;
import java.util.Random;

/**
 * A trained one-vs-rest linear SVM (Appendix E.1: "a one-vs-all linear SVM classifier"), fitted by LIBLINEAR with
 * the solver of scikit-learn's {@code LinearSVC}. Holds dense weights, so decision values are computed straight
 * from float rows: {@code f_c(x) = w_c . x + b_c} for every class {@code c}.
 *
 * <p>With two classes LIBLINEAR fits one hyperplane; it is reported as {@code +f} for one class and {@code -f} for
 * the other, so the arg-max rule and clip averaging work the same for any number of classes. A class with no
 * training rows gets decision value negative infinity and is never predicted.
 */
public final class LinearSvm {
  private final double[][] weights;
  private final double[] intercepts;

  private LinearSvm(double[][] weights, double[] intercepts) {
    this.weights = weights;
    this.intercepts = intercepts;
  }

  /**
   * Fits the SVM.
   *
   * @param rows training features, one row per clip
   * @param labels class of each row, in {@code [0, classCount)}; at least two classes must occur
   * @param cost LIBLINEAR's (and LinearSVC's) {@code C}
   * @param seed seeds the solver's random coordinate order, so a fit is reproducible
   */
  public static LinearSvm train(float[][] rows, int[] labels, int classCount, double cost, SvmSettings solver,
      long seed) {
    return train(SvmProblem.of(rows, labels, classCount, solver.bias()), cost, solver, seed);
  }

  static LinearSvm train(SvmProblem problem, double cost, SvmSettings solver, long seed) {
    if (!(cost > 0) || Double.isInfinite(cost)) {
      throw new IllegalArgumentException("SVM cost must be positive and finite, got " + cost);
    }
    LiblinearLog.install();
    int features = problem.dimension() + (solver.bias() >= 0 ? 1 : 0);
    SolverType type = solver.solver().primalFor(problem.rows(), features)
        ? SolverType.L2R_L2LOSS_SVC : SolverType.L2R_L2LOSS_SVC_DUAL;
    Parameter parameter = new Parameter(type, cost, solver.tolerance());
    parameter.setMaxIters(solver.maxIterations());
    parameter.setRandom(new Random(seed));
    Model model = Linear.train(problem.toLiblinear(), parameter);

    int classes = problem.classCount();
    int dimension = problem.dimension();
    double[][] weights = new double[classes][dimension];
    double[] intercepts = new double[classes];
    Arrays.fill(intercepts, Double.NEGATIVE_INFINITY);
    int[] modelLabels = model.getLabels();
    for (int k = 0; k < modelLabels.length; k++) {
      int c = modelLabels[k];
      for (int j = 0; j < dimension; j++) {
        weights[c][j] = model.getDecfunCoef(j + 1, k);
      }
      intercepts[c] = model.getDecfunBias(k);
    }
    return new LinearSvm(weights, intercepts);
  }

  public int classCount() {
    return weights.length;
  }

  public int dimension() {
    return weights.length == 0 ? 0 : weights[0].length;
  }

  /** Decision values of one row, one per class. */
  public double[] decisionValues(float[] row) {
    if (row.length != dimension()) {
      throw new IllegalArgumentException("row has " + row.length + " features, the SVM was trained on "
          + dimension());
    }
    double[] values = new double[weights.length];
    for (int c = 0; c < weights.length; c++) {
      if (intercepts[c] == Double.NEGATIVE_INFINITY) {
        values[c] = Double.NEGATIVE_INFINITY;
        continue;
      }
      double[] w = weights[c];
      double sum = intercepts[c];
      for (int j = 0; j < w.length; j++) {
        sum += w[j] * row[j];
      }
      values[c] = sum;
    }
    return values;
  }

  /** Decision values {@code [row][class]}. */
  public double[][] decisionValues(float[][] rows) {
    double[][] values = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      values[i] = decisionValues(rows[i]);
    }
    return values;
  }

  /** The hyperplane of one class (a copy). */
  public double[] weights(int label) {
    return weights[label].clone();
  }

  /** The intercept of one class: the bias feature's value times its weight. */
  public double intercept(int label) {
    return intercepts[label];
  }
}
