package crisscross.trainer.method.xdc;

/**
 * The eigendecomposition A = V diag(values) V^T of a real symmetric matrix by cyclic Jacobi rotations in double
 * (Golub & Van Loan, Matrix Computations, §8.5): plain Java in a fixed order of operations, so the same matrix gives
 * the same bits on every machine, and accurate for the small eigenvalues that whitening divides by. Eigenpairs are
 * sorted by decreasing eigenvalue (ties keep their index order); each eigenvector's sign is fixed so that its
 * component of largest magnitude (the first such) is positive.
 *
 * @param values eigenvalues, decreasing
 * @param vectors {@code vectors[i]} is the unit eigenvector of {@code values[i]}
 */
public record SymmetricEigen(double[] values, double[][] vectors) {
  /** Sweeps allowed; Jacobi converges quadratically, in about 10 sweeps for a 512 x 512 covariance. */
  static final int MAX_SWEEPS = 64;

  /** Decomposes {@code matrix} (n x n, symmetric to within rounding; left unchanged). */
  public static SymmetricEigen of(double[][] matrix) {
    int n = matrix.length;
    double[][] a = new double[n][];
    double norm = 0;
    for (int i = 0; i < n; i++) {
      if (matrix[i].length != n) {
        throw new IllegalArgumentException("row " + i + " of a " + n + " x " + n + " matrix has "
            + matrix[i].length + " values");
      }
      a[i] = new double[n];
      for (int j = 0; j < n; j++) {
        double v = 0.5 * (matrix[i][j] + matrix[j][i]);
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("matrix entry (" + i + ", " + j + ") is " + matrix[i][j]);
        }
        a[i][j] = v;
        norm += v * v;
      }
    }
    // vt[k] is the k-th column of V (the rotations' product), so each rotation updates two contiguous rows.
    double[][] vt = new double[n][n];
    for (int i = 0; i < n; i++) {
      vt[i][i] = 1;
    }
    boolean converged = false;
    for (int sweep = 0; sweep < MAX_SWEEPS && !converged; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off <= 1e-30 * norm) {
        converged = true;
        break;
      }
      int rotations = 0;
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          rotations += rotate(a, vt, p, q) ? 1 : 0;
        }
      }
      converged = rotations == 0;
    }
    if (!converged) {
      throw new IllegalStateException("Jacobi did not converge in " + MAX_SWEEPS + " sweeps (" + n + " x " + n + ")");
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(a[y][y], a[x][x]));
    double[] values = new double[n];
    double[][] vectors = new double[n][];
    for (int i = 0; i < n; i++) {
      values[i] = a[order[i]][order[i]];
      vectors[i] = vt[order[i]];
      int largest = 0;
      for (int j = 1; j < n; j++) {
        if (Math.abs(vectors[i][j]) > Math.abs(vectors[i][largest])) {
          largest = j;
        }
      }
      if (vectors[i][largest] < 0) {
        for (int j = 0; j < n; j++) {
          vectors[i][j] = -vectors[i][j];
        }
      }
    }
    return new SymmetricEigen(values, vectors);
  }

  /**
   * One rotation in the (p, q) plane that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.5.1), applied to a and V;
   * false, with a[p][q] set to 0 instead, when it is below rounding of the diagonal (|a_pq| <= 1e-16
   * sqrt(|a_pp a_qq|), Demmel & Veselic's criterion), so that a converged matrix stops the sweeps.
   */
  private static boolean rotate(double[][] a, double[][] vt, int p, int q) {
    double apq = a[p][q];
    double[] rp = a[p];
    double[] rq = a[q];
    double app = rp[p];
    double aqq = rq[q];
    if (Math.abs(apq) <= 1e-16 * Math.sqrt(Math.abs(app * aqq))) {
      rp[q] = 0;
      rq[p] = 0;
      return false;
    }
    int n = a.length;
    double theta = (aqq - app) / (2 * apq);
    double t = theta == 0 ? 1 : Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    for (int k = 0; k < n; k++) {
      double akp = rp[k];
      double akq = rq[k];
      rp[k] = c * akp - s * akq;
      rq[k] = s * akp + c * akq;
    }
    for (int k = 0; k < n; k++) {
      a[k][p] = rp[k];
      a[k][q] = rq[k];
    }
    rp[p] = app - t * apq;
    rq[q] = aqq + t * apq;
    rp[q] = 0;
    rq[p] = 0;
    double[] vp = vt[p];
    double[] vq = vt[q];
    for (int k = 0; k < n; k++) {
      double x = vp[k];
      double y = vq[k];
      vp[k] = c * x - s * y;
      vq[k] = s * x + c * y;
    }
    return true;
  }
}
