package crisscross.evaluation.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.evaluation.features.SampleIndex;
import crisscross.pipeline.random.SampleRandom;
import org.junit.jupiter.api.Test;

class LinearSvmTest {
  /** Three tight clusters far apart in 2-D: any reasonable linear one-vs-rest SVM separates them. */
  private static float[][] clusters(int perClass, int[] labels, long seed) {
    float[][] centres = {{-4f, 0f}, {4f, 0f}, {0f, 6f}};
    SampleRandom random = SampleRandom.of(seed);
    float[][] rows = new float[3 * perClass][];
    for (int i = 0; i < rows.length; i++) {
      labels[i] = i % 3;
      rows[i] = new float[] {centres[i % 3][0] + (float) (0.5 * random.nextGaussian()),
          centres[i % 3][1] + (float) (0.5 * random.nextGaussian())};
    }
    return rows;
  }

  @Test
  void separatesASeparableThreeClassSetPerfectly() {
    int[] labels = new int[60];
    float[][] train = clusters(20, labels, 1);
    int[] testLabels = new int[90];
    float[][] test = clusters(30, testLabels, 2);
    for (double cost : new double[] {1e-2, 1.0}) {
      LinearSvm svm = LinearSvm.train(train, labels, 3, cost, SvmSettings.LINEAR_SVC_DEFAULTS, 7);
      int[] predicted = SampleIndex.argmax(svm.decisionValues(test));
      assertThat(predicted).as("C=%s", cost).containsExactly(testLabels);
    }
  }

  @Test
  void twoClassesGetOneHyperplaneWithOppositeSigns() {
    float[][] rows = {{-2f}, {-1.5f}, {-1f}, {1f}, {1.5f}, {2f}};
    int[] labels = {0, 0, 0, 1, 1, 1};
    LinearSvm svm = LinearSvm.train(rows, labels, 2, 1.0, SvmSettings.LINEAR_SVC_DEFAULTS, 3);
    for (float x : new float[] {-3f, -0.5f, 0.5f, 3f}) {
      double[] values = svm.decisionValues(new float[] {x});
      assertThat(values[0]).isEqualTo(-values[1]);
      assertThat(values[1] > values[0]).as("x=%s predicts class 1", x).isEqualTo(x > 0);
    }
  }

  @Test
  void aClassWithoutTrainingRowsIsNeverPredicted() {
    float[][] rows = {{-2f}, {-1f}, {1f}, {2f}};
    int[] labels = {0, 0, 2, 2};
    LinearSvm svm = LinearSvm.train(rows, labels, 3, 1.0, SvmSettings.LINEAR_SVC_DEFAULTS, 3);
    double[] values = svm.decisionValues(new float[] {0.1f});
    assertThat(values[1]).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(SampleIndex.argmax(new double[][] {values})).containsExactly(2);
  }

  @Test
  void theSameSeedGivesTheSameModel() {
    int[] labels = new int[60];
    float[][] rows = clusters(20, labels, 5);
    LinearSvm a = LinearSvm.train(rows, labels, 3, 0.5, new SvmSettings(0.1, 3, 1.0, SvmSettings.Solver.AUTO), 11);
    LinearSvm b = LinearSvm.train(rows, labels, 3, 0.5, new SvmSettings(0.1, 3, 1.0, SvmSettings.Solver.AUTO), 11);
    for (int c = 0; c < 3; c++) {
      assertThat(a.weights(c)).containsExactly(b.weights(c));
      assertThat(a.intercept(c)).isEqualTo(b.intercept(c));
    }
  }

  @Test
  void refusesASingleClassAndMismatchedRows() {
    assertThatThrownBy(() -> LinearSvm.train(new float[][] {{1f}, {2f}}, new int[] {1, 1}, 2, 1.0,
        SvmSettings.LINEAR_SVC_DEFAULTS, 1)).hasMessageContaining("at least two classes");
    LinearSvm svm = LinearSvm.train(new float[][] {{1f}, {2f}}, new int[] {0, 1}, 2, 1.0,
        SvmSettings.LINEAR_SVC_DEFAULTS, 1);
    assertThatThrownBy(() -> svm.decisionValues(new float[] {1f, 2f})).hasMessageContaining("trained on 1");
  }

  @Test
  void autoSolvesInThePrimalOnlyWhenRowsOutnumberFeatures() {
    assertThat(SvmSettings.Solver.AUTO.primalFor(3200, 257)).isTrue();
    assertThat(SvmSettings.Solver.AUTO.primalFor(200, 257)).isFalse();
    assertThat(SvmSettings.Solver.DUAL.primalFor(3200, 257)).isFalse();
    assertThat(SvmSettings.Solver.PRIMAL.primalFor(200, 257)).isTrue();
    assertThat(SvmSettings.LINEAR_SVC_DEFAULTS.solver()).isEqualTo(SvmSettings.Solver.AUTO);
  }
}
