package crisscross.evaluation.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MaxPoolTest {
  private static float[] ramp(int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
    }
    return values;
  }

  @Test
  void poolsTwoByTwoWindowsOfOneChannel() {
    // 4x4 map 0..15; windows {0,1,4,5} {2,3,6,7} {8,9,12,13} {10,11,14,15}.
    float[] pooled = new MaxPool(new int[] {2, 2}, new int[] {2, 2}).apply(ramp(16), new int[] {1, 4, 4});
    assertThat(pooled).containsExactly(5f, 7f, 13f, 15f);
  }

  @Test
  void audioLinearPoolingOverlapsInTimeAndDropsTheRest() {
    // [C=1, F=2, T=7], kernel (1,3) stride (1,2): T windows start at 0, 2, 4 (floor((7-3)/2)+1 = 3).
    float[] map = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7};
    MaxPool pool = MaxPool.AUDIO_LINEAR;
    assertThat(pool.outputShape(new int[] {1, 2, 7})).containsExactly(1, 2, 3);
    assertThat(pool.apply(map, new int[] {1, 2, 7})).containsExactly(4f, 5f, 9f, 6f, 8f, 9f);
  }

  @Test
  void videoPoolingKeepsTimeAndChannelsInCOrder() {
    // [C=2, T=2, H=4, W=4] with kernel (1,4,4): one maximum per (channel, time).
    float[] map = ramp(64);
    map[5] = 100f;
    float[] pooled = MaxPool.VIDEO_LINEAR.apply(map, new int[] {2, 2, 4, 4});
    assertThat(pooled).containsExactly(100f, 31f, 47f, 63f);
    assertThat(MaxPool.VIDEO_FUSION.outputLength(new int[] {512, 1, 4, 4})).isEqualTo(2048);
  }

  @Test
  void poolsEachElementOfABatch() {
    float[] batch = ramp(2 * 1 * 2 * 2);
    float[][] pooled = new MaxPool(new int[] {2, 2}, new int[] {2, 2}).applyBatch(batch, new int[] {2, 1, 2, 2});
    assertThat(pooled[0]).containsExactly(3f);
    assertThat(pooled[1]).containsExactly(7f);
  }

  @Test
  void refusesMapsSmallerThanTheKernelOrOfTheWrongRank() {
    assertThatThrownBy(() -> MaxPool.VIDEO_LINEAR.apply(ramp(8), new int[] {2, 1, 2, 2}))
        .hasMessageContaining("smaller than the pooling kernel");
    assertThatThrownBy(() -> MaxPool.AUDIO_LINEAR.apply(ramp(8), new int[] {1, 2, 2, 2}))
        .hasMessageContaining("spatial axes");
    assertThatThrownBy(() -> new MaxPool(new int[] {2, 2}, new int[] {2, 2}).apply(ramp(3), new int[] {1, 2, 2}))
        .hasMessageContaining("needs 4 values");
  }
}
