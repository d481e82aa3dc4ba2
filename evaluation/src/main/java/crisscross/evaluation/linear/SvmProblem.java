package crisscross.evaluation.linear;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Problem;
import java.util.Arrays;

/**
 * Training rows in LIBLINEAR's sparse format, built once and shared by every cost of a sweep. Zero values are
 * left out (LIBLINEAR treats missing entries as zero); with a non-negative bias each row ends with the constant
 * bias feature, as LIBLINEAR expects. Memory: about 28 bytes per non-zero value.
 */
final class SvmProblem {
  private final Feature[][] rows;
  private final double[] labels;
  private final int dimension;
  private final int classCount;
  private final double bias;
  private final boolean[] present;

  private SvmProblem(Feature[][] rows, double[] labels, int dimension, int classCount, double bias,
      boolean[] present) {
    this.rows = rows;
    this.labels = labels;
    this.dimension = dimension;
    this.classCount = classCount;
    this.bias = bias;
    this.present = present;
  }

  static SvmProblem of(float[][] features, int[] labels, int classCount, double bias) {
    if (features.length != labels.length) {
      throw new IllegalArgumentException(features.length + " rows but " + labels.length + " labels");
    }
    if (features.length == 0) {
      throw new IllegalArgumentException("cannot train an SVM on zero rows");
    }
    int dimension = features[0].length;
    boolean[] present = new boolean[classCount];
    Feature[][] rows = new Feature[features.length][];
    double[] y = new double[labels.length];
    for (int i = 0; i < features.length; i++) {
      float[] row = features[i];
      if (row.length != dimension) {
        throw new IllegalArgumentException("row " + i + " has " + row.length + " features, row 0 has " + dimension);
      }
      if (labels[i] < 0 || labels[i] >= classCount) {
        throw new IllegalArgumentException("row " + i + " has label " + labels[i] + " outside [0, " + classCount
            + ")");
      }
      present[labels[i]] = true;
      y[i] = labels[i];
      int nonZero = 0;
      for (float v : row) {
        if (v != 0f) {
          nonZero++;
        }
      }
      Feature[] nodes = new Feature[nonZero + (bias >= 0 ? 1 : 0)];
      int k = 0;
      for (int j = 0; j < dimension; j++) {
        if (row[j] != 0f) {
          nodes[k++] = new FeatureNode(j + 1, row[j]);
        }
      }
      if (bias >= 0) {
        nodes[k] = new FeatureNode(dimension + 1, bias);
      }
      rows[i] = nodes;
    }
    int distinct = 0;
    for (boolean p : present) {
      distinct += p ? 1 : 0;
    }
    if (distinct < 2) {
      throw new IllegalArgumentException("an SVM needs training rows of at least two classes, got " + distinct);
    }
    return new SvmProblem(rows, y, dimension, classCount, bias, present);
  }

  Problem toLiblinear() {
    Problem problem = new Problem();
    problem.l = rows.length;
    problem.n = dimension + (bias >= 0 ? 1 : 0);
    problem.x = rows;
    problem.y = Arrays.copyOf(labels, labels.length);
    problem.bias = bias;
    return problem;
  }

  int dimension() {
    return dimension;
  }

  int rows() {
    return rows.length;
  }

  int classCount() {
    return classCount;
  }

  boolean hasClass(int label) {
    return present[label];
  }
}
