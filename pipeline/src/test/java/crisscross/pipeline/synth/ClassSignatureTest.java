package crisscross.pipeline.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassSignatureTest {
  @Test
  void labelsAreUniqueAndNameColourAndShape() {
    List<ClassSignature> classes = ClassSignature.all(SynthSettings.MAX_CLASSES);

    assertThat(classes.stream().map(ClassSignature::label).distinct()).hasSize(SynthSettings.MAX_CLASSES);
    assertThat(ClassSignature.all(6)).extracting(ClassSignature::label).containsExactly("00-red-circle",
        "01-yellow-square", "02-green-triangle", "03-cyan-diamond", "04-blue-ring", "05-magenta-cross");
    assertThat(ClassSignature.all(6)).isEqualTo(ClassSignature.all(6));
  }

  @Test
  void pitchesSpanThreeOctavesEvenlySpaced() {
    for (int k : new int[] {2, 6, 13, 36}) {
      List<Double> pitches = ClassSignature.all(k).stream().map(ClassSignature::pitchHz).sorted().toList();
      assertThat(pitches.get(0)).isCloseTo(220, within(1e-9));
      assertThat(pitches.get(k - 1)).isCloseTo(1760, within(1e-6));
      for (int i = 1; i < k; i++) {
        double semitones = 12 * Math.log(pitches.get(i) / pitches.get(i - 1)) / Math.log(2);
        assertThat(semitones).isCloseTo(ClassSignature.pitchSpacingSemitones(k), within(1e-9));
      }
    }
  }

  @Test
  void attributesAreNotOrderedAlike() {
    List<ClassSignature> classes = ClassSignature.all(6);
    List<Integer> byHue = order(classes, Comparator.comparingDouble(ClassSignature::hue));
    List<Integer> byPitch = order(classes, Comparator.comparingDouble(ClassSignature::pitchHz));
    List<Integer> bySpeed = order(classes, Comparator.comparingDouble(ClassSignature::speed));
    List<Integer> byBeat = order(classes, Comparator.comparingDouble(ClassSignature::beatHz));

    assertThat(byPitch).isNotEqualTo(byHue);
    assertThat(bySpeed).isNotEqualTo(byHue).isNotEqualTo(byPitch);
    assertThat(byBeat).isNotEqualTo(byHue).isNotEqualTo(byPitch).isNotEqualTo(bySpeed);
  }

  private static List<Integer> order(List<ClassSignature> classes, Comparator<ClassSignature> by) {
    return classes.stream().sorted(by).map(ClassSignature::index).toList();
  }

  @Test
  void spreadVisitsEveryPlaceOnceForAnyClassCount() {
    for (int k = 2; k <= SynthSettings.MAX_CLASSES; k++) {
      double[] places = ClassSignature.spread(k, "pitch");
      assertThat(java.util.Arrays.stream(places).map(p -> Math.round(p * 1000)).distinct().count()).isEqualTo(k);
      assertThat(java.util.Arrays.stream(places).min().orElseThrow()).isZero();
      assertThat(java.util.Arrays.stream(places).max().orElseThrow()).isCloseTo((k - 1) / (double) k, within(1e-12));
    }
  }
}
