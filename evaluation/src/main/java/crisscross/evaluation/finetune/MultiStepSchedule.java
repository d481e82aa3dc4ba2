package crisscross.evaluation.finetune;

import java.util.List;

/**
 * PyTorch's {@code MultiStepLR} stepped once per epoch (Appendix E.2, Table S11): the rate of epoch {@code e}
 * (0-based) is {@code lr * gamma^m}, m the number of milestones {@code <= e}.
 */
public final class MultiStepSchedule {
  private MultiStepSchedule() {}

  public static double rate(double lr, double gamma, List<Integer> milestones, int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    int passed = 0;
    for (int milestone : milestones) {
      if (epoch >= milestone) {
        passed++;
      }
    }
    return lr * Math.pow(gamma, passed);
  }
}
