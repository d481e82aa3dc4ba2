package crisscross.trainer.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LarcAdamTest {
  @Test
  void larcFactorFollowsApexWithClipping() {
    // a = 0.001 * 2 / (4 + 2 * 1e-4 + 1e-8) = 4.9997...e-4, / lr 1e-3 -> 0.49997..., below the clip at 1
    double a = Larc.adaptiveFactor(2, 4, 1e-3, 0.001, 1e-4, 1e-8, true);
    assertThat(a).isCloseTo(0.001 * 2 / (4 + 2e-4 + 1e-8) / 1e-3, within(1e-15));
    assertThat(Larc.adaptiveFactor(2, 4, 1e-6, 0.001, 1e-4, 1e-8, true)).isEqualTo(1.0);
    assertThat(Larc.adaptiveFactor(2, 4, 1e-6, 0.001, 1e-4, 1e-8, false)).isCloseTo(0.002 / (4 + 2e-4 + 1e-8),
        within(1e-18));
    assertThat(Larc.adaptiveFactor(0, 4, 1e-3, 0.001, 1e-4, 1e-8, true)).isNaN();
    assertThat(Larc.adaptiveFactor(2, 0, 1e-3, 0.001, 1e-4, 1e-8, true)).isNaN();
  }

  @Test
  void larcAddsWeightDecayThenScalesAndSkipsZeroTensors() {
    OptimSettings s = OptimSettings.paper();
    Map<String, INDArray> params = new LinkedHashMap<>();
    params.put("video_backbone.w", Nd4j.createFromArray(3.0, 4.0));
    params.put("video_backbone.bn.bias", Nd4j.zeros(DataType.DOUBLE, 2));
    INDArray g = Nd4j.createFromArray(0.6, 0.8);
    LarcAdam.Report report = new LarcAdam(s).update(params,
        Map.of("video_backbone.w", g, "video_backbone.bn.bias", g.dup()), n -> 1e-2, true);
    double a = 0.001 * 5 / (1 + 5e-4 + 1e-8) / 1e-2;
    assertThat(report.larcFactors().get("video_backbone.w")).isCloseTo(a, within(1e-15));
    assertThat(report.larcGradients().get("video_backbone.w").getDouble(0)).isCloseTo((0.6 + 3e-4) * a,
        within(1e-15));
    assertThat(g.getDouble(0)).isEqualTo(0.6);
    assertThat(report.larcFactors().get("video_backbone.bn.bias")).isNaN();
    assertThat(report.larcGradients().get("video_backbone.bn.bias").getDouble(1)).isEqualTo(0.8);
  }

  /**
   * The fused single-pass update against the same arithmetic written with ND4J ops, on float tensors larger than
   * one parallel chunk (so chunk boundaries and the ordered norm sums are exercised), over three steps.
   */
  @Test
  void fusedFloatUpdateMatchesElementWiseOpsAcrossChunks() {
    OptimSettings s = OptimSettings.paper();
    int n = FusedLarcAdam.CHUNK * 2 + 12345;
    Nd4j.getRandom().setSeed(3);
    INDArray p = Nd4j.randn(DataType.FLOAT, n);
    INDArray expected = p.castTo(DataType.DOUBLE);
    INDArray m = Nd4j.zeros(DataType.DOUBLE, n);
    INDArray v = Nd4j.zeros(DataType.DOUBLE, n);
    LarcAdam adam = new LarcAdam(s);
    double lr = 2e-4;
    for (int t = 1; t <= 3; t++) {
      INDArray g = Nd4j.randn(DataType.FLOAT, n).muli(1e-3 * t);
      LarcAdam.Report report = adam.update(Map.of("video_backbone.w", p), Map.of("video_backbone.w", g), k -> lr,
          false);
      INDArray gd = g.castTo(DataType.DOUBLE);
      double pn = expected.norm2Number().doubleValue();
      double a = Larc.adaptiveFactor(pn, gd.norm2Number().doubleValue(), lr, s.larcTrust(), s.weightDecay(),
          s.larcEpsilon(), true);
      assertThat(report.larcFactors().get("video_backbone.w")).isCloseTo(a, within(a * 1e-6));
      INDArray adjusted = gd.add(expected.mul(s.weightDecay())).muli(a);
      m.muli(s.beta1()).addi(adjusted.mul(1 - s.beta1()));
      v.muli(s.beta2()).addi(adjusted.mul(adjusted).muli(1 - s.beta2()));
      INDArray denominator = org.nd4j.linalg.ops.transforms.Transforms.sqrt(v, true)
          .divi(Math.sqrt(1 - Math.pow(s.beta2(), t))).addi(s.adamEpsilon());
      expected.subi(m.div(denominator).muli(lr / (1 - Math.pow(s.beta1(), t))));
    }
    double worst = p.castTo(DataType.DOUBLE).sub(expected).norm2Number().doubleValue()
        / expected.norm2Number().doubleValue();
    assertThat(worst).isLessThan(1e-6);
    assertThat(adam.state().firstMoments().get("video_backbone.w").castTo(DataType.DOUBLE)
        .equalsWithEps(m, 1e-9)).isTrue();
  }

  @Test
  void refusesViewsWhoseElementOrderDiffersFromTheirBuffer() {
    INDArray p = Nd4j.rand(DataType.FLOAT, 3, 4).transpose();
    assertThatThrownBy(() -> new LarcAdam(OptimSettings.paper()).update(Map.of("video_backbone.w", p),
        Map.of("video_backbone.w", Nd4j.rand(DataType.FLOAT, 4, 3)), k -> 1e-3, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dense C-order");
  }

  @Test
  void adamMatchesTorchArithmeticOverTwoSteps() {
    OptimSettings s = OptimSettings.paper();
    LarcAdam adam = new LarcAdam(new OptimSettings(1, 0, 0.1, 0, 0.1, 0, 0.9, 0.999, 1e-8, false, 0, true, 0));
    Map<String, INDArray> params = new LinkedHashMap<>();
    params.put("video_backbone.w", Nd4j.createFromArray(1.0, -2.0));
    double[] grads1 = {0.5, -0.25};
    double[] grads2 = {-0.1, 0.3};
    adam.update(params, Map.of("video_backbone.w", Nd4j.createFromArray(grads1)), n -> 0.1, false);
    adam.update(params, Map.of("video_backbone.w", Nd4j.createFromArray(grads2)), n -> 0.1, false);
    for (int i = 0; i < 2; i++) {
      double p = i == 0 ? 1.0 : -2.0;
      double m = 0;
      double v = 0;
      double[][] g = {grads1, grads2};
      for (int t = 1; t <= 2; t++) {
        m = 0.9 * m + 0.1 * g[t - 1][i];
        v = 0.999 * v + 0.001 * g[t - 1][i] * g[t - 1][i];
        p -= 0.1 / (1 - Math.pow(0.9, t)) * m / (Math.sqrt(v) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8);
      }
      assertThat(params.get("video_backbone.w").getDouble(i)).isCloseTo(p, within(1e-14));
    }
    assertThat(adam.step()).isEqualTo(2);
    OptimizerState state = adam.state();
    assertThat(state.firstMoments().get("video_backbone.w").getDouble(0))
        .isCloseTo(0.9 * 0.05 + 0.1 * -0.1, within(1e-15));
    LarcAdam copy = new LarcAdam(s);
    copy.restore(state);
    assertThat(copy.step()).isEqualTo(2);
    state.firstMoments().get("video_backbone.w").putScalar(0, 42.0);
    assertThat(copy.state().firstMoments().get("video_backbone.w").getDouble(0)).isNotEqualTo(42.0);
  }
}
