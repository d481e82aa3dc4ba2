package crisscross.trainer.optim;

/**
 * Learning rates per iteration (Table S10): a {@link LrRule.Scheduled} group warms up linearly per iteration over
 * the warmup epochs, from baseLr/W at iteration 0 to baseLr at iteration W-1 (W = warmup iterations), then follows a
 * half cosine from baseLr to finalLr over the remaining iterations; a {@link LrRule.Constant} group (SimSiam's
 * predictors) stays at its rate throughout. {@link #encoderLr} and {@link #predictorLr} are the rules of
 * {@code optim.base-lr}, {@code optim.final-lr} and {@code optim.predictor-lr}.
 */
public final class LrSchedule {
  private final double baseLr;
  private final double finalLr;
  private final double predictorLr;
  private final long warmupIterations;
  private final long totalIterations;

  public LrSchedule(OptimSettings settings, long stepsPerEpoch) {
    if (stepsPerEpoch < 1) {
      throw new IllegalArgumentException("steps per epoch must be positive, got " + stepsPerEpoch);
    }
    this.baseLr = settings.baseLr();
    this.finalLr = settings.finalLr();
    this.predictorLr = settings.predictorLr();
    this.warmupIterations = Math.round(settings.warmupEpochs() * stepsPerEpoch);
    this.totalIterations = (long) settings.epochs() * stepsPerEpoch;
  }

  /** Encoder LR at 0-based {@code iteration}; past the last iteration it stays at finalLr. */
  public double encoderLr(long iteration) {
    return scheduled(baseLr, finalLr, iteration);
  }

  private double scheduled(double baseLr, double finalLr, long iteration) {
    if (iteration < warmupIterations) {
      return baseLr * (iteration + 1) / warmupIterations;
    }
    long span = totalIterations - warmupIterations;
    if (span <= 0 || iteration >= totalIterations) {
      return iteration >= totalIterations ? finalLr : baseLr;
    }
    double progress = (double) (iteration - warmupIterations) / span;
    return finalLr + (baseLr - finalLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }

  public double predictorLr() {
    return predictorLr;
  }

  /** The rate of {@code group} at 0-based {@code iteration}. */
  public double lr(ParameterGroup group, long iteration) {
    if (group.rule() instanceof LrRule.Constant c) {
      return c.lr();
    }
    LrRule.Scheduled s = (LrRule.Scheduled) group.rule();
    return scheduled(s.baseLr(), s.finalLr(), iteration);
  }

  public long totalIterations() {
    return totalIterations;
  }
}
