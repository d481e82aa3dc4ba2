package crisscross.trainer.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam (torch 1.13 arithmetic, weight decay 0 inside) wrapped in apex LARC, updating parameters in place, one
 * state per parameter name. With LARC off, weight decay is added to the gradient as torch's Adam does.
 *
 * <p>Per step t (1-based) and parameter: g' = LARC(g); m = b1 m + (1 - b1) g'; v = b2 v + (1 - b2) g'^2;
 * p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps). The arithmetic runs as one pass per tensor
 * ({@link FusedLarcAdam}); the moments are kept in the parameters' layout.
 */
public final class LarcAdam {
  private final OptimSettings settings;
  private final Map<String, INDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, INDArray> secondMoments = new LinkedHashMap<>();
  private long step;

  public LarcAdam(OptimSettings settings) {
    this.settings = settings;
  }

  /** Completed steps. */
  public long step() {
    return step;
  }

  /**
   * One update of every parameter that has a gradient, in place. Parameters, gradients and moments are dense C-order
   * arrays (any shape: the arithmetic is element-wise, the LARC norms whole-tensor), so a model may hand over its
   * parameters in whatever layout it stores them; the moments then share that layout.
   *
   * @param lr learning rate of each parameter (by name), e.g. from its {@link ParameterGroup}
   * @param keepLarcGradients whether the report keeps every g' (for reference comparisons)
   */
  public Report update(Map<String, INDArray> params, Map<String, INDArray> gradients,
      ToDoubleFunction<String> lr, boolean keepLarcGradients) {
    step++;
    double bias1 = 1 - Math.pow(settings.beta1(), step);
    double bias2Sqrt = Math.sqrt(1 - Math.pow(settings.beta2(), step));
    Map<String, Double> factors = new LinkedHashMap<>();
    Map<String, INDArray> larcGradients = new LinkedHashMap<>();
    for (Map.Entry<String, INDArray> entry : params.entrySet()) {
      String name = entry.getKey();
      INDArray p = entry.getValue();
      INDArray g = gradients.get(name);
      if (g == null) {
        continue;
      }
      double rate = lr.applyAsDouble(name);
      double decay = settings.weightDecay();
      double scale = 1;
      if (settings.larc()) {
        double a = Larc.adaptiveFactor(FusedLarcAdam.norm(p), FusedLarcAdam.norm(g), rate, settings.larcTrust(),
            decay, settings.larcEpsilon(), settings.larcClip());
        factors.put(name, a);
        if (Double.isNaN(a)) {
          decay = 0;
        } else {
          scale = a;
        }
      }
      INDArray m = firstMoments.computeIfAbsent(name, k -> Nd4j.zeros(p.dataType(), p.shape()));
      INDArray v = secondMoments.computeIfAbsent(name, k -> Nd4j.zeros(p.dataType(), p.shape()));
      INDArray larcGradient = keepLarcGradients ? Nd4j.createUninitialized(p.dataType(), p.shape()) : null;
      FusedLarcAdam.update(p, g, m, v, larcGradient, new FusedLarcAdam.Coefficients(decay, scale,
          settings.beta1(), settings.beta2(), rate / bias1, bias2Sqrt, settings.adamEpsilon()));
      if (keepLarcGradients) {
        larcGradients.put(name, larcGradient);
      }
    }
    return new Report(factors, larcGradients);
  }

  /** A copy of the state. */
  /** Zeroes both moments of the named parameters (a re-initialised module starts its statistics afresh). */
  public void resetMoments(java.util.Collection<String> names) {
    for (String name : names) {
      INDArray m = firstMoments.get(name);
      if (m != null) {
        m.assign(0);
        secondMoments.get(name).assign(0);
      }
    }
  }

  public OptimizerState state() {
    Map<String, INDArray> m = new LinkedHashMap<>();
    Map<String, INDArray> v = new LinkedHashMap<>();
    firstMoments.forEach((k, a) -> m.put(k, a.dup()));
    secondMoments.forEach((k, a) -> v.put(k, a.dup()));
    return new OptimizerState(step, m, v);
  }

  /** Replaces the state with a copy of {@code state}. */
  public void restore(OptimizerState state) {
    firstMoments.clear();
    secondMoments.clear();
    state.firstMoments().forEach((k, a) -> firstMoments.put(k, a.dup('c')));
    state.secondMoments().forEach((k, a) -> secondMoments.put(k, a.dup('c')));
    step = state.step();
  }

  /** LARC factors (NaN = skipped) and, when asked, the gradients handed to Adam. */
  public record Report(Map<String, Double> larcFactors, Map<String, INDArray> larcGradients) {}
}
