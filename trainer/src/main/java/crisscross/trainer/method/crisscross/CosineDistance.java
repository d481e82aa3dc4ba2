package crisscross.trainer.method.crisscross;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * Eq. 1: D(p, z) = -(p/||p||) . (z/||z||) with a stop-gradient on z, averaged over the batch (SimSiam). Norms are
 * clamped at 1e-8 from below, as in the reference.
 */
public final class CosineDistance {
  /** Lower clamp of each vector norm. */
  public static final double EPSILON = 1e-8;

  private CosineDistance() {}

  /** The graph form: p and z are [B, d]; no gradient flows into z. */
  public static SDVariable define(SameDiff sd, SDVariable p, SDVariable z) {
    SDVariable constantZ = new StopGradient(sd, z).outputVariable();
    SDVariable dot = p.mul(constantZ).sum(1);
    SDVariable pNorm = sd.scalarMax(p.norm2(1), EPSILON);
    SDVariable zNorm = sd.scalarMax(constantZ.norm2(1), EPSILON);
    return dot.div(pNorm.mul(zNorm)).mean().neg();
  }

  /** The same on plain arrays ([B][d]), for tests and reports. */
  public static double of(double[][] p, double[][] z) {
    double sum = 0;
    for (int b = 0; b < p.length; b++) {
      double dot = 0;
      double pp = 0;
      double zz = 0;
      for (int i = 0; i < p[b].length; i++) {
        dot += p[b][i] * z[b][i];
        pp += p[b][i] * p[b][i];
        zz += z[b][i] * z[b][i];
      }
      sum += dot / (Math.max(Math.sqrt(pp), EPSILON) * Math.max(Math.sqrt(zz), EPSILON));
    }
    return -sum / p.length;
  }
}
