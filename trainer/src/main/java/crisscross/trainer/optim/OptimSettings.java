package crisscross.trainer.optim;

import crisscross.pipeline.config.Settings;

/**
 * Optimiser settings (Appendix G, Table S10 for Kinetics-Sound): Adam wrapped in LARC, linear warmup then cosine
 * from {@code baseLr} to {@code finalLr} for the encoders, predictors at a constant {@code predictorLr}.
 *
 * @param epochs total epochs of the cosine schedule (100)
 * @param warmupEpochs epochs of per-iteration linear warmup (2)
 * @param baseLr encoder LR after warmup (2e-4)
 * @param finalLr encoder LR at the end of the cosine (0)
 * @param predictorLr constant LR of both predictors (2e-3)
 * @param weightDecay L2 weight decay added to the gradient (inside LARC when LARC is on) (1e-4)
 * @param beta1 Adam beta1 (0.9)
 * @param beta2 Adam beta2 (0.999)
 * @param adamEpsilon Adam epsilon (1e-8)
 * @param larc whether LARC wraps Adam
 * @param larcTrust LARC trust coefficient (apex default 0.001)
 * @param larcClip LARC clipping mode (adaptive LR capped at the group LR) rather than scaling mode
 * @param larcEpsilon LARC epsilon (1e-8)
 */
public record OptimSettings(int epochs, double warmupEpochs, double baseLr, double finalLr, double predictorLr,
    double weightDecay, double beta1, double beta2, double adamEpsilon, boolean larc, double larcTrust,
    boolean larcClip, double larcEpsilon) {

  public static OptimSettings from(Settings s) {
    OptimSettings o = new OptimSettings(
        s.integer("optim.epochs", 1, 1_000_000),
        s.real("optim.warmup-epochs", 0, 1_000_000),
        s.real("optim.base-lr", 0, 10),
        s.real("optim.final-lr", 0, 10),
        s.real("optim.predictor-lr", 0, 10),
        s.real("optim.weight-decay", 0, 1),
        s.real("optim.beta1", 0, 0.999999),
        s.real("optim.beta2", 0, 0.999999999),
        s.real("optim.adam-eps", 1e-30, 1),
        s.bool("optim.larc"),
        s.real("optim.larc-trust", 0, 1),
        s.bool("optim.larc-clip"),
        s.real("optim.larc-eps", 0, 1));
    if (o.warmupEpochs > o.epochs) {
      throw s.invalid("optim.warmup-epochs", "must not exceed optim.epochs (" + o.epochs + ")");
    }
    return o;
  }

  /**
   * A method's learning-rate key: a number in [0, 10] or one of the {@code named} words (such as {@code auto}) with
   * the rate it stands for; the error names the key and the words.
   */
  public static double rate(Settings s, String key, java.util.Map<String, Double> named) {
    String raw = s.string(key).trim().toLowerCase(java.util.Locale.ROOT);
    Double word = named.get(raw);
    if (word != null) {
      return word;
    }
    double value;
    try {
      value = Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      throw s.invalid(key, "must be a learning rate or one of " + new java.util.TreeSet<>(named.keySet()) + ", got '"
          + raw + "'");
    }
    if (!(value >= 0 && value <= 10)) {
      throw s.invalid(key, "must be in [0, 10], got " + value);
    }
    return value;
  }

  /** Table S10, Kinetics-Sound. */
  public static OptimSettings paper() {
    return new OptimSettings(100, 2, 2e-4, 0, 2e-3, 1e-4, 0.9, 0.999, 1e-8, true, 0.001, true, 1e-8);
  }

  public OptimSettings withEpochs(int totalEpochs, double warmup) {
    return new OptimSettings(totalEpochs, warmup, baseLr, finalLr, predictorLr, weightDecay, beta1, beta2,
        adamEpsilon, larc, larcTrust, larcClip, larcEpsilon);
  }

  public OptimSettings withLearningRates(double base, double last, double predictor) {
    return new OptimSettings(epochs, warmupEpochs, base, last, predictor, weightDecay, beta1, beta2, adamEpsilon,
        larc, larcTrust, larcClip, larcEpsilon);
  }
}
