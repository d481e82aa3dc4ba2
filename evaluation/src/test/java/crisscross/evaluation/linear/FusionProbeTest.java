package crisscross.evaluation.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.evaluation.features.Clip;
import crisscross.evaluation.features.ClipFeatures;
import crisscross.pipeline.random.SampleRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FusionProbeTest {
  /**
   * Four classes at the corners of a square: audio sees only the horizontal coordinate (which pair of classes),
   * video only the vertical one (which member of the pair). Neither modality alone can tell the four apart; the
   * concatenation can.
   */
  private static ClipFeatures[] modalities(String split, int samples, long seed) {
    SampleRandom random = SampleRandom.of(seed);
    List<Clip> clips = new ArrayList<>();
    float[][] audio = new float[samples * 2][];
    float[][] video = new float[samples * 2][];
    int row = 0;
    for (int s = 0; s < samples; s++) {
      int label = s % 4;
      for (int c = 0; c < 2; c++) {
        clips.add(new Clip(split + s, c, label, null, split));
        audio[row] = new float[] {(label < 2 ? -1f : 1f) + (float) (0.1 * random.nextGaussian()),
            (float) random.nextGaussian()};
        video[row] = new float[] {(label % 2 == 0 ? -1f : 1f) + (float) (0.1 * random.nextGaussian())};
        row++;
      }
    }
    List<String> names = List.of("a", "b", "c", "d");
    return new ClipFeatures[] {ClipFeatures.of(names, clips, audio), ClipFeatures.of(names, clips, video)};
  }

  @Test
  void fusedFeaturesSeparateWhatNeitherModalitySeparatesAlone() {
    ClipFeatures[] train = modalities("train", 40, 1);
    ClipFeatures[] test = modalities("test", 20, 2);
    ProbeSettings settings = ProbeFixtures.settings();
    double audioOnly = LinearProbe.run(train[0], test[0], settings).top1();
    double videoOnly = LinearProbe.run(train[1], test[1], settings).top1();
    LinearResult fused = FusionProbe.run(train[0], train[1], test[0], test[1], settings);
    assertThat(audioOnly).isLessThanOrEqualTo(0.6);
    assertThat(videoOnly).isLessThanOrEqualTo(0.6);
    assertThat(fused.top1()).isEqualTo(1.0);
  }

  @Test
  void refusesModalitiesWithDifferentClips() {
    ClipFeatures[] train = modalities("train", 8, 1);
    ClipFeatures[] test = modalities("test", 8, 2);
    ClipFeatures fewerVideoClips = train[1].select(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
    assertThatThrownBy(() -> FusionProbe.run(train[0], fewerVideoClips, test[0], test[1],
        ProbeFixtures.settings())).hasMessageContaining("same clips");
  }
}
