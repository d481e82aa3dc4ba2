package crisscross.trainer.method.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FeatureQueueTest {
  @Test
  void pushesOverwriteTheOldestRowAndOnlyPushedRowsAreValid() {
    FeatureQueue q = new FeatureQueue(3, 2);
    assertThat(q.valid()).containsExactly(0, 0, 0);
    q.push(new float[] {1, 1, 2, 2}, 2);
    assertThat(q.valid()).containsExactly(1, 1, 0);
    assertThat(q.rows()).containsExactly(1, 1, 2, 2, 0, 0);
    q.push(new float[] {3, 3, 4, 4}, 2);
    assertThat(q.filled()).isEqualTo(3);
    assertThat(q.rows()).containsExactly(4, 4, 2, 2, 3, 3);
    FeatureQueue restored = new FeatureQueue(3, 2);
    restored.restore(q.rows(), q.pushed());
    restored.push(new float[] {5, 5}, 1);
    q.push(new float[] {5, 5}, 1);
    assertThat(restored.rows()).containsExactly(q.rows());
    assertThat(restored.rows()).containsExactly(4, 4, 5, 5, 3, 3);
    assertThat(restored.rowsMatrix().toFloatMatrix()).isDeepEqualTo(new float[][] {{4, 4}, {5, 5}, {3, 3}});
  }
}
