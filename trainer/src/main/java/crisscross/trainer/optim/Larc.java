package crisscross.trainer.optim;

/**
 * Layer-wise adaptive rate control as NVIDIA apex's {@code LARC} wrapper computes it (the paper's Appendix G
 * cites apex/parallel/LARC.py): for each parameter tensor p with gradient g, when ||p|| != 0 and ||g|| != 0,
 * a = trust * ||p|| / (||g|| + ||p|| * wd + eps), clipped to min(a / lr, 1) in clip mode, and
 * g' = (g + wd * p) * a. Otherwise g' = g: no weight decay and no scaling (BN betas and zero-initialised
 * tensors at the first step). {@link LarcAdam} applies g' inside its fused update.
 */
public final class Larc {
  private Larc() {}

  /** The factor a, or NaN when LARC skips the tensor. Norms are Frobenius norms over the whole tensor. */
  public static double adaptiveFactor(double paramNorm, double gradNorm, double lr, double trust,
      double weightDecay, double epsilon, boolean clip) {
    if (paramNorm == 0 || gradNorm == 0) {
      return Double.NaN;
    }
    double a = trust * paramNorm / (gradNorm + paramNorm * weightDecay + epsilon);
    return clip ? Math.min(a / lr, 1.0) : a;
  }
}
