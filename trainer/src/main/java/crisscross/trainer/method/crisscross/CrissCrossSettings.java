package crisscross.trainer.method.crisscross;

import crisscross.pipeline.config.Settings;
import crisscross.trainer.optim.OptimSettings;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CrissCross's options (block {@code crisscross}, {@code config/methods/crisscross.conf}).
 *
 * @param loss Table 1's row ({@code crisscross} = L_intra + L_sync + L_async, Eq. 5)
 * @param predictor {@code separate} (one per modality, the default) or {@code common} (one predictor on the
 *     l2-normalised projections of both modalities, Table 3)
 * @param projectorLayers 3 (Table S7, the default) or 2 (Table 3)
 * @param baseLr the encoders' LR after warmup
 * @param finalLr the encoders' LR at the end of the cosine
 * @param predictorLr the predictors' constant LR
 */
public record CrissCrossSettings(String loss, Predictor predictor, int projectorLayers, double baseLr,
    double finalLr, double predictorLr) {

  /** Where predictions come from. */
  public enum Predictor { SEPARATE, COMMON }

  /** App. G.1: the rates the unimodal ablation rows were tuned to (base, predictor), used when left at auto. */
  static final Map<String, double[]> TUNED_RATES = Map.of("v1v2", new double[] {1e-4, 1e-3},
      "a1a2", new double[] {1e-5, 1e-4});

  public CrissCrossSettings {
    loss = loss.trim().toLowerCase(Locale.ROOT);
    Variants.loss(loss);
    if (projectorLayers != 2 && projectorLayers != 3) {
      throw new IllegalArgumentException("a CrissCross projector has 2 or 3 layers, got " + projectorLayers);
    }
    if (!(baseLr >= 0) || !(finalLr >= 0) || !(predictorLr >= 0)) {
      throw new IllegalArgumentException("learning rates must be non-negative");
    }
  }

  /**
   * Reads {@code crisscross.*}: {@code base-lr} and {@code predictor-lr} are numbers, {@code auto} (App. G.1's
   * tuned rates for the v1v2 and a1a2 rows, {@code optim.base-lr} / {@code optim.predictor-lr} otherwise), and
   * {@code predictor-lr} may also be {@code base} (Table 3: the predictor at the base LR); head widths are the model
   * preset's.
   */
  public static CrissCrossSettings from(Settings s, OptimSettings optim) {
    String loss = s.choice("crisscross.loss", Variants.names());
    double[] tuned = TUNED_RATES.get(loss);
    double base = OptimSettings.rate(s, "crisscross.base-lr", Map.of("auto", tuned == null ? optim.baseLr()
        : tuned[0]));
    double predictor = OptimSettings.rate(s, "crisscross.predictor-lr", Map.of("auto", tuned == null
        ? optim.predictorLr() : tuned[1], "base", base));
    return new CrissCrossSettings(loss,
        Predictor.valueOf(s.choice("crisscross.predictor", Set.of("separate", "common")).toUpperCase(Locale.ROOT)),
        s.integer("crisscross.projector-layers", 2, 3), base, optim.finalLr(), predictor);
  }

  /** The paper's heads for {@code loss} at the rates of {@code optim}. */
  public static CrissCrossSettings of(String loss, OptimSettings optim) {
    return new CrissCrossSettings(loss, Predictor.SEPARATE, 3, optim.baseLr(), optim.finalLr(), optim.predictorLr());
  }

  public List<LossGroup> groups() {
    return Variants.loss(loss);
  }

  public CrissCrossSettings withPredictor(Predictor p) {
    return new CrissCrossSettings(loss, p, projectorLayers, baseLr, finalLr, predictorLr);
  }

  public CrissCrossSettings withProjectorLayers(int layers) {
    return new CrissCrossSettings(loss, predictor, layers, baseLr, finalLr, predictorLr);
  }

  public CrissCrossSettings withRates(double base, double last, double predictorRate) {
    return new CrissCrossSettings(loss, predictor, projectorLayers, base, last, predictorRate);
  }
}
