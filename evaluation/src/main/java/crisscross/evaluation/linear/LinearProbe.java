package crisscross.evaluation.linear;

import crisscross.evaluation.ParallelTasks;
import crisscross.evaluation.features.ClipFeatures;
import crisscross.evaluation.features.SampleIndex;
import crisscross.evaluation.split.Fold;
import crisscross.evaluation.split.GroupedStratifiedKFold;
import crisscross.pipeline.random.SampleRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linear evaluation of frozen features (§3 "a linear SVM classifier is trained using the extracted features,
 * and report the top-1 accuracy for sample-level predictions"; Appendix E.1).
 *
 * <ol>
 *   <li>The training split's samples are divided by {@link GroupedStratifiedKFold} (a sample's clips, and a
 *       group's samples, never straddle folds). For every cost of the grid an SVM is fitted on each fold's
 *       training part and scored on its held-out part; preprocessing statistics come from the fitting part only.
 *   <li>The cost with the best mean held-out accuracy is chosen (ties go to the smaller cost: stronger
 *       regularisation).
 *   <li>The SVM is refitted on the whole training split at that cost and scored on the test split. Test data
 *       is never used to fit or choose anything; the paper's "best accuracy over the sweep" is computed beside it
 *       when asked for, and labelled as chosen on test data.
 * </ol>
 *
 * <p>Every score is sample-level: clip decision values are averaged over a sample's clips and the class with the
 * largest average is the sample's prediction (Appendix E.1). Features are standardised with training statistics
 * by default ({@link Standardizer} says why). A test class with no training samples can never be predicted and
 * counts as wrong.
 *
 * <p>Cost: each fit is one LIBLINEAR training per class (one-vs-rest); a sweep makes {@code costs x folds} fits
 * for the choice plus one (or, with best-on-test, one per cost) on the whole training split, run on
 * {@code workers} threads. LIBLINEAR holds about 28 bytes per non-zero feature value, per fold.
 */
public final class LinearProbe {
  private static final Logger LOG = LoggerFactory.getLogger(LinearProbe.class);

  private LinearProbe() {}

  /**
   * Runs the probe.
   *
   * @param train features of the training split (several clips per sample allowed)
   * @param test features of the test split, with the same class names and dimension
   */
  public static LinearResult run(ClipFeatures train, ClipFeatures test, ProbeSettings settings) {
    ClipFeatures testFeatures = test.withClassNames(train.classNames());
    if (train.size() == 0 || testFeatures.size() == 0) {
      throw new IllegalArgumentException("linear probe needs training and test clips, got " + train.size()
          + " and " + testFeatures.size());
    }
    if (train.dimension() != testFeatures.dimension()) {
      throw new IllegalArgumentException("training features have dimension " + train.dimension()
          + ", test features " + testFeatures.dimension());
    }
    List<Double> costs = settings.costs();
    SampleIndex trainSamples = train.samples();
    long groups = Arrays.stream(trainSamples.groups()).distinct().count();
    if (groups < settings.cvFolds()) {
      throw new IllegalArgumentException("evaluation.linear.cv-folds = " + settings.cvFolds()
          + " but the training split has only " + groups + " groups of samples");
    }
    List<Fold> folds = GroupedStratifiedKFold.split(trainSamples.labels(), trainSamples.groups(),
        settings.cvFolds(), SampleRandom.of(settings.seed()).fork("linear-probe-folds").nextLong());

    double[][] foldAccuracy = new double[costs.size()][folds.size()];
    for (Fold fold : folds) {
      ClipFeatures fit = train.selectSamples(fold.train());
      ClipFeatures held = train.selectSamples(fold.test());
      Standardizer standardizer = fitPreprocessing(fit, settings);
      SvmProblem problem = SvmProblem.of(standardizer.apply(fit.rows()), fit.labels(),
          train.classNames().size(), settings.svm().bias());
      float[][] heldRows = standardizer.apply(held.rows());
      List<Callable<Double>> tasks = new ArrayList<>();
      for (int c = 0; c < costs.size(); c++) {
        double cost = costs.get(c);
        long seed = svmSeed(settings.seed(), fold.index(), c);
        tasks.add(() -> sampleAccuracy(LinearSvm.train(problem, cost, settings.svm(), seed), heldRows,
            held.samples()));
      }
      long started = System.nanoTime();
      List<Double> accuracies = ParallelTasks.run(settings.workers(), tasks);
      LOG.info("linear probe: cost sweep on fold {}/{} ({} rows, {} costs) in {} s", fold.index() + 1, folds.size(),
          fit.size(), costs.size(), String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
      for (int c = 0; c < costs.size(); c++) {
        foldAccuracy[c][fold.index()] = accuracies.get(c);
      }
    }

    int chosen = 0;
    double[] means = new double[costs.size()];
    for (int c = 0; c < costs.size(); c++) {
      means[c] = mean(foldAccuracy[c]);
      if (means[c] > means[chosen]) {
        chosen = c;
      }
    }

    Standardizer standardizer = fitPreprocessing(train, settings);
    SvmProblem problem = SvmProblem.of(standardizer.apply(train.rows()), train.labels(),
        train.classNames().size(), settings.svm().bias());
    float[][] testRows = standardizer.apply(testFeatures.rows());
    List<Integer> fitted = new ArrayList<>();
    for (int c = 0; c < costs.size(); c++) {
      if (settings.reportBestOnTest() || c == chosen) {
        fitted.add(c);
      }
    }
    List<Callable<double[][]>> finalFits = new ArrayList<>();
    for (int c : fitted) {
      double cost = costs.get(c);
      long seed = svmSeed(settings.seed(), -1, c);
      finalFits.add(() -> LinearSvm.train(problem, cost, settings.svm(), seed).decisionValues(testRows));
    }
    List<double[][]> clipDecisions = ParallelTasks.run(settings.workers(), finalFits);

    SampleIndex testSamples = testFeatures.samples();
    int[] testLabels = testSamples.labels();
    OptionalDouble[] testTop1 = new OptionalDouble[costs.size()];
    Arrays.fill(testTop1, OptionalDouble.empty());
    double top1 = Double.NaN;
    double clipTop1 = Double.NaN;
    int[] predictions = null;
    for (int k = 0; k < fitted.size(); k++) {
      int c = fitted.get(k);
      int[] samplePredictions = SampleIndex.argmax(testSamples.average(clipDecisions.get(k)));
      double accuracy = accuracy(samplePredictions, testLabels);
      testTop1[c] = OptionalDouble.of(accuracy);
      if (c == chosen) {
        top1 = accuracy;
        predictions = samplePredictions;
        clipTop1 = accuracy(SampleIndex.argmax(clipDecisions.get(k)), testFeatures.labels());
      }
    }

    List<CostScore> sweep = new ArrayList<>();
    OptionalDouble bestOnTest = OptionalDouble.empty();
    OptionalDouble bestOnTestCost = OptionalDouble.empty();
    for (int c = 0; c < costs.size(); c++) {
      sweep.add(new CostScore(costs.get(c), foldAccuracy[c], means[c], std(foldAccuracy[c]), testTop1[c]));
      if (settings.reportBestOnTest() && (bestOnTest.isEmpty()
          || testTop1[c].getAsDouble() > bestOnTest.getAsDouble())) {
        bestOnTest = testTop1[c];
        bestOnTestCost = OptionalDouble.of(costs.get(c));
      }
    }
    int classes = train.classNames().size();
    int[][] confusion = new int[classes][classes];
    for (int s = 0; s < testLabels.length; s++) {
      confusion[testLabels[s]][predictions[s]]++;
    }
    return new LinearResult(top1, clipTop1, costs.get(chosen), sweep, bestOnTest, bestOnTestCost,
        train.classNames(), confusion, testSamples.sampleIds(), testLabels, predictions,
        trainSamples.sampleCount(), train.size(), testSamples.sampleCount(), testFeatures.size(),
        settings.cvFolds(), settings.preprocessing());
  }

  /** Sample-level accuracy of an SVM on clip rows: decision values averaged over each sample's clips. */
  static double sampleAccuracy(LinearSvm svm, float[][] clipRows, SampleIndex samples) {
    double[][] perSample = samples.average(svm.decisionValues(clipRows));
    return accuracy(SampleIndex.argmax(perSample), samples.labels());
  }

  private static Standardizer fitPreprocessing(ClipFeatures fit, ProbeSettings settings) {
    return settings.preprocessing() == ProbeSettings.Preprocessing.STANDARDIZE
        ? Standardizer.fit(fit.rows())
        : Standardizer.identity(fit.dimension());
  }

  private static long svmSeed(long runSeed, int fold, int costIndex) {
    return SampleRandom.of(runSeed).fork("linear-svm").fork(fold).fork(costIndex).nextLong();
  }

  static double accuracy(int[] predictions, int[] labels) {
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      if (predictions[i] == labels[i]) {
        correct++;
      }
    }
    return labels.length == 0 ? Double.NaN : correct / (double) labels.length;
  }

  static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  static double std(double[] values) {
    double mean = mean(values);
    double sum = 0;
    for (double v : values) {
      sum += (v - mean) * (v - mean);
    }
    return Math.sqrt(sum / values.length);
  }
}
