package crisscross.trainer.optim;

/**
 * An optimiser group: parameters that share a learning-rate rule. Methods declare theirs (CrissCross: each encoder
 * at the scheduled base LR, each predictor at a constant LR, Table S10); {@link LrSchedule} gives the rate per
 * iteration.
 *
 * @param label name in logs, metrics and checkpoints ({@code video_encoder}, {@code audio_predictor})
 */
public record ParameterGroup(String label, LrRule rule) {
  public ParameterGroup {
    if (label == null || label.isBlank() || rule == null) {
      throw new IllegalArgumentException("a parameter group needs a label and a learning-rate rule");
    }
  }

  public static ParameterGroup scheduled(String label, double baseLr, double finalLr) {
    return new ParameterGroup(label, new LrRule.Scheduled(baseLr, finalLr));
  }

  public static ParameterGroup constant(String label, double lr) {
    return new ParameterGroup(label, new LrRule.Constant(lr));
  }

  /** Whether the group's rate stays fixed (SimSiam's predictors) rather than following the warmup and cosine. */
  public boolean isConstant() {
    return rule instanceof LrRule.Constant;
  }
}
