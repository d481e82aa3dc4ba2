package crisscross.evaluation.features;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaxPoolFitTest {
  @Test
  void aKernelLargerThanItsAxisPoolsTheWholeAxis() {
    // The tiny demo model's video map at 64x64: [C, 1, 2, 2]; E.1's (1,4,4) pools each 2x2 plane whole.
    MaxPool fitted = MaxPool.VIDEO_LINEAR.fittedTo(new int[] {16, 1, 2, 2});
    assertThat(fitted).isEqualTo(new MaxPool(new int[] {1, 2, 2}, new int[] {1, 2, 2}));
    float[] map = new float[16 * 4];
    for (int i = 0; i < map.length; i++) {
      map[i] = i % 4 == 2 ? 10 + i : -i;
    }
    float[] pooled = fitted.apply(map, new int[] {16, 1, 2, 2});
    assertThat(pooled).hasSize(16);
    assertThat(pooled[3]).isEqualTo(10 + 14);
  }

  @Test
  void aMapLargeEnoughKeepsThePapersPooling() {
    // 224x224 input: a 7x7 map, (1,4,4) as in E.1.
    assertThat(MaxPool.VIDEO_LINEAR.fittedTo(new int[] {512, 1, 7, 7})).isEqualTo(MaxPool.VIDEO_LINEAR);
    // Audio at 80x200: [512, 3, 7] keeps kernel (1,3) stride (1,2): 3 x 3 outputs per channel.
    MaxPool audio = MaxPool.AUDIO_LINEAR.fittedTo(new int[] {512, 3, 7});
    assertThat(audio).isEqualTo(MaxPool.AUDIO_LINEAR);
    assertThat(audio.outputLength(new int[] {512, 3, 7})).isEqualTo(512 * 3 * 3);
    // Only the short axis changes: [8, 2, 2] under (1,3)/(1,2) pools time whole, frequency by 1.
    assertThat(MaxPool.AUDIO_LINEAR.fittedTo(new int[] {8, 2, 2}))
        .isEqualTo(new MaxPool(new int[] {1, 2}, new int[] {1, 2}));
  }
}
