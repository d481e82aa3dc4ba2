package crisscross.evaluation.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SgdMomentumTest {
  /** The same steps as {@code torch.optim.SGD([p], lr, momentum=0.9, weight_decay=0.1)}, worked by hand. */
  @Test
  void stepsAsPyTorchsSgdWithMomentumAndWeightDecay() {
    INDArray p = Nd4j.createFromArray(1.0, -2.0).castTo(DataType.DOUBLE);
    try (SgdMomentum sgd = new SgdMomentum(0.9, 0.1)) {
      // Step 1: d = g + 0.1 p = (0.5 + 0.1, 1.0 - 0.2) = (0.6, 0.8); v = d; p -= 0.1 v.
      sgd.step(Map.of("w", p), Map.of("w", Nd4j.createFromArray(0.5, 1.0)), 0.1);
      assertThat(p.getDouble(0)).isCloseTo(0.94, within(1e-12));
      assertThat(p.getDouble(1)).isCloseTo(-2.08, within(1e-12));
      // Step 2: d = (-1 + 0.094, 0 - 0.208); v = 0.9 (0.6, 0.8) + d = (-0.366, 0.512); p -= 0.1 v.
      sgd.step(Map.of("w", p), Map.of("w", Nd4j.createFromArray(-1.0, 0.0)), 0.1);
      assertThat(p.getDouble(0)).isCloseTo(0.94 + 0.0366, within(1e-12));
      assertThat(p.getDouble(1)).isCloseTo(-2.08 - 0.0512, within(1e-12));
    }
  }

  @Test
  void withoutMomentumItIsPlainGradientDescent() {
    INDArray p = Nd4j.createFromArray(3.0f);
    try (SgdMomentum sgd = new SgdMomentum(0, 0)) {
      sgd.step(Map.of("b", p), Map.of("b", Nd4j.createFromArray(2.0f)), 0.5);
      sgd.step(Map.of("b", p), Map.of("b", Nd4j.createFromArray(2.0f)), 0.5);
    }
    assertThat(p.getFloat(0)).isEqualTo(1.0f);
  }

  @Test
  void aParameterWithoutAGradientIsAnError() {
    try (SgdMomentum sgd = new SgdMomentum(0.9, 0)) {
      assertThatThrownBy(() -> sgd.step(Map.of("w", Nd4j.zeros(2)), Map.of(), 0.1)).hasMessageContaining("w");
    }
  }
}
