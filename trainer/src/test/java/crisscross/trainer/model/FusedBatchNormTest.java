package crisscross.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.random.SampleRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Training-mode BN through the fused op: forward and gradients against finite differences, in float64. */
class FusedBatchNormTest {
  @Test
  void trainingModeGradientMatchesFiniteDifferences() {
    checkAgainstFiniteDifferences(new long[] {3, 2, 4, 5}, 1, new int[] {0, 2, 3}, new long[] {1, 1, 2, 3});
  }

  @Test
  void channelsLastGradientMatchesFiniteDifferences() {
    checkAgainstFiniteDifferences(new long[] {3, 4, 5, 2}, 3, new int[] {0, 1, 2}, new long[] {1, 2, 3, 1});
  }

  /** Loss sum(w * bn(x)^2) with channel axis {@code axis} of size 2; {@code probe} is an element of channel 1. */
  private static void checkAgainstFiniteDifferences(long[] shape, int axis, int[] others, long[] probe) {
    Nd4j.getRandom().setSeed(3);
    INDArray x0 = Nd4j.randn(DataType.DOUBLE, shape);
    INDArray weights = Nd4j.randn(DataType.DOUBLE, shape);
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, GraphBuilder.Mode.TRAINING, DataType.DOUBLE, SampleRandom.of(1));
    SDVariable x = sd.var("x", x0.dup());
    SDVariable y = g.batchNorm("bn", x, 2, 4, axis, x0.length() / shape[0] / 2);
    sd.getVariable("bn.weight").getArr().assign(Nd4j.createFromArray(1.5, 0.7));
    sd.getVariable("bn.bias").getArr().assign(Nd4j.createFromArray(0.2, -0.4));
    SDVariable loss = y.mul(y).mul(sd.constant(weights)).sum();
    loss.markAsLoss();
    Map<String, INDArray> grads = sd.calculateGradients(Map.of(), "x", "bn.weight", "bn.bias");

    INDArray out = sd.output(Map.of(), y.name()).get(y.name());
    INDArray mean = x0.mean(others);
    INDArray var = x0.var(false, others);
    double expected = (x0.getDouble(probe) - mean.getDouble(1)) / Math.sqrt(var.getDouble(1) + 1e-5) * 0.7 - 0.4;
    assertThat(out.getDouble(probe)).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-12));

    INDArray xv = sd.getVariable("x").getArr();
    double h = 1e-5;
    double worst = 0;
    for (long i = 0; i < xv.length(); i += 7) {
      double v = xv.getDouble(i);
      xv.putScalar(i, v + h);
      double plus = sd.output(Map.of(), loss.name()).get(loss.name()).getDouble(0);
      xv.putScalar(i, v - h);
      double minus = sd.output(Map.of(), loss.name()).get(loss.name()).getDouble(0);
      xv.putScalar(i, v);
      double numeric = (plus - minus) / (2 * h);
      worst = Math.max(worst, Math.abs(numeric - grads.get("x").getDouble(i)) / (Math.abs(numeric) + 1e-3));
    }
    assertThat(worst).isLessThan(1e-6);
    assertThat(grads.get("bn.weight").length()).isEqualTo(2);
    assertThat(grads.get("bn.bias").norm2Number().doubleValue()).isGreaterThan(0);
  }
}
