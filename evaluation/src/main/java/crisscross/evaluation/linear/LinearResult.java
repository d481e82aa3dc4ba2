package crisscross.evaluation.linear;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The outcome of one linear probe (Appendix E.1).
 *
 * @param top1 sample-level top-1 on the test split with the cost chosen by cross-validation on the training
 *     split: the honest number
 * @param clipTop1 clip-level top-1 with the same model, for comparison
 * @param chosenCost the cost chosen by cross-validation
 * @param sweep every cost with its cross-validation accuracy (and test accuracy where fitted)
 * @param bestOnTestTop1 the best test top-1 over the sweep, as the paper's code reports it; optimistic because the
 *     cost is chosen on the test split; empty unless every cost was fitted
 * @param bestOnTestCost the cost that gave {@code bestOnTestTop1}
 * @param classNames label names, indexing the confusion matrix
 * @param confusion sample-level counts {@code [true class][predicted class]} at the chosen cost
 * @param testSampleIds the test samples, in the order of {@code testLabels} and {@code testPredictions}
 */
public record LinearResult(double top1, double clipTop1, double chosenCost, List<CostScore> sweep,
    OptionalDouble bestOnTestTop1, OptionalDouble bestOnTestCost, List<String> classNames, int[][] confusion,
    List<String> testSampleIds, int[] testLabels, int[] testPredictions, int trainSamples, int trainClips,
    int testSamples, int testClips, int cvFolds, ProbeSettings.Preprocessing preprocessing) {
  public LinearResult {
    sweep = List.copyOf(sweep);
    classNames = List.copyOf(classNames);
    testSampleIds = List.copyOf(testSampleIds);
    confusion = deepCopy(confusion);
    testLabels = testLabels.clone();
    testPredictions = testPredictions.clone();
  }

  @Override
  public int[][] confusion() {
    return deepCopy(confusion);
  }

  @Override
  public int[] testLabels() {
    return testLabels.clone();
  }

  @Override
  public int[] testPredictions() {
    return testPredictions.clone();
  }

  /** The sweep entry of the chosen cost. */
  public CostScore chosen() {
    return sweep.stream().filter(s -> s.cost() == chosenCost).findFirst().orElseThrow();
  }

  private static int[][] deepCopy(int[][] matrix) {
    int[][] copy = new int[matrix.length][];
    for (int i = 0; i < matrix.length; i++) {
      copy[i] = matrix[i].clone();
    }
    return copy;
  }
}
