package crisscross.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import crisscross.pipeline.random.SampleRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training-mode BN (with and without the fused ReLU) as graph ops run by a {@link KernelSession}: forward against the
 * definition and gradients against finite differences in float64; the float32 kernel against the float64 one over
 * many parallel chunks; repeated runs bit-identical.
 */
class TrainingBatchNormTest {
  @Test
  void gradientMatchesFiniteDifferencesOnAChannelsLastClip() {
    checkAgainstFiniteDifferences(new long[] {3, 2, 4, 5, 2}, false);
  }

  @Test
  void fusedReluGradientMatchesFiniteDifferences() {
    checkAgainstFiniteDifferences(new long[] {3, 4, 5, 2}, true);
  }

  @Test
  void vectorBatchGradientMatchesFiniteDifferences() {
    checkAgainstFiniteDifferences(new long[] {4, 2}, true);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void floatKernelAgreesWithTheDoubleOneOverManyChunksAndRepeatsExactly(boolean relu) {
    int channels = 24;
    long rows = 3L * ChannelBatchNorm.CHUNK / channels + 17;
    Nd4j.getRandom().setSeed(5);
    INDArray x = Nd4j.randn(DataType.DOUBLE, rows, channels).muli(3).addi(40);
    INDArray dy = Nd4j.randn(DataType.DOUBLE, rows, channels);
    INDArray gamma = Nd4j.rand(DataType.DOUBLE, channels).addi(0.5);
    INDArray beta = Nd4j.randn(DataType.DOUBLE, channels);
    INDArray[] exact = run(x, dy, gamma, beta, relu);
    INDArray[] single = run(x.castTo(DataType.FLOAT), dy.castTo(DataType.FLOAT), gamma.castTo(DataType.FLOAT),
        beta.castTo(DataType.FLOAT), relu);
    String[] names = {"y", "mean", "var", "dx", "dgamma", "dbeta"};
    for (int i = 0; i < exact.length; i++) {
      double scale = exact[i].norm2Number().doubleValue() / Math.sqrt(exact[i].length());
      double error = single[i].castTo(DataType.DOUBLE).sub(exact[i]).norm2Number().doubleValue()
          / Math.sqrt(exact[i].length());
      assertThat(error / scale).as(names[i]).isLessThan(1e-5);
    }
    INDArray[] again = run(x.castTo(DataType.FLOAT), dy.castTo(DataType.FLOAT), gamma.castTo(DataType.FLOAT),
        beta.castTo(DataType.FLOAT), relu);
    for (int i = 0; i < single.length; i++) {
      assertThat(again[i]).as(names[i]).isEqualTo(single[i]);
    }
    // The large mean (40) does not cost the variance its precision.
    assertThat(exact[2].getDouble(0)).isCloseTo(x.getColumn(0).var(false).getDouble(0), within(1e-9));
  }

  @Test
  void reluMaskKeepsTheGradientExactlyWhereTheOutputIsPositive() {
    float[] outputs = {1e-30f, 2.5f, Float.MIN_VALUE, 0f, -0f, -1e-30f, -3f, Float.POSITIVE_INFINITY};
    float[] expected = {7f, 7f, 7f, 0f, 0f, 0f, 0f, 7f};
    for (int i = 0; i < outputs.length; i++) {
      assertThat(ChannelBatchNorm.wherePositive(outputs[i], 7f)).as("y = " + outputs[i]).isEqualTo(expected[i]);
      assertThat(ChannelBatchNorm.wherePositive(outputs[i], -0.5f)).isEqualTo(expected[i] == 0 ? 0f : -0.5f);
    }
  }

  @Test
  void aTrainingGraphOutsideAKernelSessionFailsWithAClearMessage() {
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, GraphBuilder.Mode.TRAINING, DataType.FLOAT, SampleRandom.of(1));
    SDVariable y = g.batchNorm("bn", sd.var("x", Nd4j.rand(DataType.FLOAT, 4, 3)), 3);
    assertThatThrownBy(() -> sd.output(Map.of(), y.name()))
        .hasStackTraceContaining("runs only in a KernelSession");
  }

  /** Loss sum(w * bn(x)^2) with 2 channels (last axis). */
  private static void checkAgainstFiniteDifferences(long[] shape, boolean relu) {
    Nd4j.getRandom().setSeed(3);
    INDArray x0 = Nd4j.randn(DataType.DOUBLE, shape);
    INDArray weights = Nd4j.randn(DataType.DOUBLE, shape);
    SameDiff sd = SameDiff.create();
    GraphBuilder g = new GraphBuilder(sd, GraphBuilder.Mode.TRAINING, DataType.DOUBLE, SampleRandom.of(1));
    SDVariable x = sd.var("x", x0.dup());
    SDVariable y = g.batchNorm("bn", x, 2, shape.length, 1, relu);
    sd.getVariable("bn.weight").getArr().assign(Nd4j.createFromArray(1.5, 0.7));
    sd.getVariable("bn.bias").getArr().assign(Nd4j.createFromArray(0.2, -0.4));
    SDVariable loss = y.mul(y).mul(sd.constant(weights)).sum();
    loss.markAsLoss();
    KernelSession.forGradients(sd, null);
    KernelSession.install(sd, null);
    Map<String, INDArray> grads = sd.calculateGradients(Map.of(), "x", "bn.weight", "bn.bias");

    INDArray out = sd.output(Map.of(), y.name()).get(y.name());
    int[] others = new int[shape.length - 1];
    for (int i = 0; i < others.length; i++) {
      others[i] = i;
    }
    INDArray mean = x0.mean(others);
    INDArray var = x0.var(false, others);
    INDArray flat = x0.reshape(-1, 2);
    INDArray flatOut = out.reshape(-1, 2);
    for (long r = 0; r < flat.size(0); r++) {
      double expected = (flat.getDouble(r, 1) - mean.getDouble(1)) / Math.sqrt(var.getDouble(1) + 1e-5) * 0.7 - 0.4;
      assertThat(flatOut.getDouble(r, 1)).isCloseTo(relu ? Math.max(0, expected) : expected, within(1e-12));
    }

    double worst = 0;
    for (String name : new String[] {"x", "bn.weight", "bn.bias"}) {
      INDArray v = sd.getVariable(name).getArr();
      for (long i = 0; i < v.length(); i += name.equals("x") ? 3 : 1) {
        double numeric = centralDifference(sd, loss, v, i);
        worst = Math.max(worst, Math.abs(numeric - grads.get(name).getDouble(i)) / (Math.abs(numeric) + 1e-3));
      }
    }
    assertThat(worst).isLessThan(1e-6);
  }

  private static double centralDifference(SameDiff sd, SDVariable loss, INDArray v, long i) {
    double h = 1e-5;
    double original = v.getDouble(i);
    v.putScalar(i, original + h);
    double plus = sd.output(Map.of(), loss.name()).get(loss.name()).getDouble(0);
    v.putScalar(i, original - h);
    double minus = sd.output(Map.of(), loss.name()).get(loss.name()).getDouble(0);
    v.putScalar(i, original);
    return (plus - minus) / (2 * h);
  }

  /** y, mean, var of the forward pass and dx, dgamma, dbeta for upstream gradient dy. */
  private static INDArray[] run(INDArray x, INDArray dy, INDArray gamma, INDArray beta, boolean relu) {
    long channels = x.size(1);
    INDArray y = Nd4j.create(x.dataType(), x.shape());
    INDArray mean = Nd4j.create(x.dataType(), channels);
    INDArray var = Nd4j.create(x.dataType(), channels);
    ChannelBatchNorm.forward(x, gamma, beta, 1e-5, relu, y, mean, var);
    INDArray dx = Nd4j.create(x.dataType(), x.shape());
    INDArray dgamma = Nd4j.create(x.dataType(), channels);
    INDArray dbeta = Nd4j.create(x.dataType(), channels);
    ChannelBatchNorm.backward(x, gamma, mean, var, relu ? y : null, dy, 1e-5, relu, dx, dgamma, dbeta);
    return new INDArray[] {y, mean, var, dx, dgamma, dbeta};
  }
}
