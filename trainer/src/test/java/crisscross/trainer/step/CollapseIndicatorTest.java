package crisscross.trainer.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class CollapseIndicatorTest {
  @Test
  void collapseIndicatorIsAboutOneOverRootDWhenHealthyAndZeroWhenCollapsed() {
    Nd4j.getRandom().setSeed(1);
    int d = 64;
    double healthy = CollapseIndicator.of(Nd4j.randn(DataType.DOUBLE, 512, d));
    assertThat(healthy).isCloseTo(1 / Math.sqrt(d), within(0.01));
    double[][] collapsed = new double[8][d];
    for (double[] row : collapsed) {
      java.util.Arrays.fill(row, 0.3);
    }
    assertThat(CollapseIndicator.of(collapsed)).isCloseTo(0.0, within(1e-12));
  }
}
