package crisscross.trainer.optim;

/** How a parameter group's learning rate moves over training. */
public sealed interface LrRule {
  /** Linear warmup to {@code baseLr}, then a half cosine to {@code finalLr} ({@link LrSchedule}). */
  record Scheduled(double baseLr, double finalLr) implements LrRule {
    public Scheduled {
      if (!(baseLr >= 0) || !(finalLr >= 0)) {
        throw new IllegalArgumentException("learning rates must be non-negative, got " + baseLr + " / " + finalLr);
      }
    }
  }

  /** A fixed rate for every iteration. */
  record Constant(double lr) implements LrRule {
    public Constant {
      if (!(lr >= 0)) {
        throw new IllegalArgumentException("a learning rate must be non-negative, got " + lr);
      }
    }
  }
}
