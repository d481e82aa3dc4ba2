package crisscross.pipeline.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogMelStatisticsTest {

  @Test
  void theMergedStatisticsAreThoseOfAllValuesTogether() {
    SplittableRandom random = new SplittableRandom(5);
    float[][] spectrograms = new float[4][];
    for (int s = 0; s < spectrograms.length; s++) {
      // Different lengths and offsets, as views of quiet and loud clips have: the pairwise merge must weigh them.
      spectrograms[s] = new float[100 + 37 * s];
      for (int i = 0; i < spectrograms[s].length; i++) {
        spectrograms[s][i] = (float) (-8 + 3 * s + (1 + s) * random.nextGaussian());
      }
    }
    LogMelStatistics.Accumulator accumulator = new LogMelStatistics.Accumulator();
    double sum = 0;
    long count = 0;
    for (float[] spectrogram : spectrograms) {
      accumulator.add(spectrogram);
      for (float v : spectrogram) {
        sum += v;
        count++;
      }
    }
    double mean = sum / count;
    double squares = 0;
    for (float[] spectrogram : spectrograms) {
      for (float v : spectrogram) {
        squares += (v - mean) * (v - mean);
      }
    }
    LogMelStatistics statistics = accumulator.result();
    assertThat(accumulator.spectrograms()).isEqualTo(4);
    assertThat(statistics.mean()).isCloseTo(mean, within(1e-9));
    assertThat(statistics.std()).isCloseTo(Math.sqrt(squares / count), within(1e-9));
  }

  @Test
  void nothingOrOneValueHasNoScaleToStandardiseBy() {
    assertThatThrownBy(() -> new LogMelStatistics.Accumulator().result()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no spectrogram");
    float[] silence = new float[50];
    java.util.Arrays.fill(silence, (float) Math.log(1e-6));
    assertThatThrownBy(() -> new LogMelStatistics.Accumulator().add(silence).add(silence).result())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("digital silence");
    assertThatThrownBy(() -> new LogMelStatistics(-5, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
