package crisscross.evaluation.linear;

import crisscross.pipeline.config.Settings;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a linear probe is fitted and its cost chosen.
 *
 * @param costs the SVM costs swept, ascending (Appendix E.1)
 * @param cvFolds folds of the grouped stratified cross-validation on the training split that chooses the cost
 * @param preprocessing what happens to features before the SVM; statistics come from training rows only
 * @param svm the LIBLINEAR solver's settings
 * @param reportBestOnTest also fit every cost on the whole training split and report the best test accuracy
 *     (the paper's "report the best accuracy"), labelled as chosen on test data
 * @param seed seeds the folds and the solver's coordinate order
 * @param workers parallel fits; 0 = one per core
 */
public record ProbeSettings(List<Double> costs, int cvFolds, Preprocessing preprocessing, SvmSettings svm,
    boolean reportBestOnTest, long seed, int workers) {
  /** Appendix E.1's cost grid. */
  public static final List<Double> PAPER_COSTS = List.of(1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 1.0);

  /** Feature preprocessing before the SVM. */
  public enum Preprocessing {
    /** Raw features. */
    NONE,
    /** Per-dimension z-score with the training rows' mean and standard deviation ({@link Standardizer}). */
    STANDARDIZE
  }

  public ProbeSettings {
    TreeSet<Double> sorted = new TreeSet<>(costs);
    if (sorted.isEmpty() || sorted.size() != costs.size()) {
      throw new IllegalArgumentException("the cost grid must be non-empty and without repeats: " + costs);
    }
    for (double c : sorted) {
      if (!(c > 0) || Double.isInfinite(c)) {
        throw new IllegalArgumentException("SVM costs must be positive and finite: " + costs);
      }
    }
    costs = List.copyOf(sorted);
    if (cvFolds < 2) {
      throw new IllegalArgumentException("cost selection needs at least 2 cross-validation folds, got " + cvFolds);
    }
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0, got " + workers);
    }
  }

  /** The paper's protocol with scikit-learn's LinearSVC defaults, standardised features and 5 folds. */
  public static ProbeSettings paperDefaults(long seed) {
    return new ProbeSettings(PAPER_COSTS, 5, Preprocessing.STANDARDIZE, SvmSettings.LINEAR_SVC_DEFAULTS, true,
        seed, 0);
  }

  public static ProbeSettings from(Settings settings) {
    String costsKey = "evaluation.linear.costs";
    List<Double> costs = settings.reals(costsKey, Double.MIN_NORMAL, 1e12);
    if (costs.isEmpty() || new TreeSet<>(costs).size() != costs.size()) {
      throw settings.invalid(costsKey, "must list at least one cost, each once");
    }
    String preprocessing = settings.choice("evaluation.linear.preprocessing", Set.of("standardize", "none"));
    SvmSettings svm = new SvmSettings(
        settings.real("evaluation.linear.tolerance", Double.MIN_NORMAL, 1.0),
        settings.integer("evaluation.linear.max-iterations", 1, Integer.MAX_VALUE),
        settings.real("evaluation.linear.bias", -1.0, 1e6),
        SvmSettings.Solver.valueOf(settings.choice("evaluation.linear.solver", Set.of("auto", "dual", "primal"))
            .toUpperCase(Locale.ROOT)));
    return new ProbeSettings(costs,
        settings.integer("evaluation.linear.cv-folds", 2, 1000),
        preprocessing.equals("standardize") ? Preprocessing.STANDARDIZE : Preprocessing.NONE,
        svm,
        settings.bool("evaluation.linear.report-best-on-test"),
        settings.runSeed(),
        workers(settings));
  }

  /** {@code evaluation.workers}: threads of the probes and retrieval (0 = one per core); parsed here only. */
  public static int workers(Settings settings) {
    return settings.integer("evaluation.workers", 0, 4096);
  }

  public ProbeSettings withPreprocessing(Preprocessing value) {
    return new ProbeSettings(costs, cvFolds, value, svm, reportBestOnTest, seed, workers);
  }

  public ProbeSettings withCosts(List<Double> value) {
    return new ProbeSettings(value, cvFolds, preprocessing, svm, reportBestOnTest, seed, workers);
  }

  public ProbeSettings withSvm(SvmSettings value) {
    return new ProbeSettings(costs, cvFolds, preprocessing, value, reportBestOnTest, seed, workers);
  }

  public ProbeSettings withCvFolds(int value) {
    return new ProbeSettings(costs, value, preprocessing, svm, reportBestOnTest, seed, workers);
  }
}
