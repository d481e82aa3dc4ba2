package crisscross.trainer.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (torch 1.13 arithmetic, weight decay 0 inside) wrapped in apex LARC, updating parameters in place, one
 * state per parameter name. With LARC off, weight decay is added to the gradient as torch's Adam does.
 *
 * <p>Per step t (1-based) and parameter: g' = LARC(g); m = b1 m + (1 - b1) g'; v = b2 v + (1 - b2) g'^2;
 * p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps).
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
   * One update of every parameter that has a gradient.
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
      INDArray adjusted;
      if (settings.larc()) {
        Larc.Result r = Larc.apply(p, g, rate, settings);
        adjusted = r.gradient();
        factors.put(name, r.factor());
      } else {
        adjusted = settings.weightDecay() == 0 ? g.dup() : g.add(p.mul(settings.weightDecay()));
      }
      INDArray m = firstMoments.computeIfAbsent(name, k -> p.ulike().assign(0));
      INDArray v = secondMoments.computeIfAbsent(name, k -> p.ulike().assign(0));
      m.muli(settings.beta1()).addi(adjusted.mul(1 - settings.beta1()));
      v.muli(settings.beta2()).addi(adjusted.mul(adjusted).muli(1 - settings.beta2()));
      INDArray denominator = Transforms.sqrt(v, true).divi(bias2Sqrt).addi(settings.adamEpsilon());
      p.subi(m.div(denominator).muli(rate / bias1));
      if (keepLarcGradients) {
        larcGradients.put(name, adjusted);
      } else {
        adjusted.close();
      }
      denominator.close();
    }
    return new Report(factors, larcGradients);
  }

  /** A copy of the state. */
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
    state.firstMoments().forEach((k, a) -> firstMoments.put(k, a.dup()));
    state.secondMoments().forEach((k, a) -> secondMoments.put(k, a.dup()));
    step = state.step();
  }

  /** LARC factors (NaN = skipped) and, when asked, the gradients handed to Adam. */
  public record Report(Map<String, Double> larcFactors, Map<String, INDArray> larcGradients) {}
}
