package crisscross.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.random.SampleRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The build ships libnd4j's oneDNN (AVX2) native library, which routes float32 conv2d, batch norm and pooling to
 * oneDNN kernels. An earlier prototype saw that build return different values for repeated identical inputs when
 * SameDiff reused cached arrays, so this test runs the float32 training step (forward, backward, batch statistics)
 * and the inference graph on the same inputs several times, with other inputs in between, on one model and on a
 * second model with the same seed, and demands bit-identical results every time, also once every buffer of the
 * step is reused from the model's {@link ArrayPool} (still holding another input's values).
 */
class NativeRepeatabilityTest {
  /** float32: the type oneDNN handles (float64 runs on libnd4j's own kernels). */
  static final ModelSettings SETTINGS = new ModelSettings(new int[] {16, 16, 32, 32}, new int[] {16, 16, 32, 32},
      64, 64, 16, 8, 48, 32, 48, DataType.FLOAT);

  @Test
  void theSelectedNativeBuildIsLoaded() {
    Nd4j.create(1); // loads the backend
    String classifier = System.getProperty("crisscross.nd4j.classifier", "linux-x86_64");
    String loaded = String.join(" ", Loader.getLoadedLibraries().values());
    assertThat(loaded).as("the native build the pom selects").contains(classifier + "/libnd4jcpu.so");
  }

  @Test
  void repeatedIdenticalInputsGiveBitIdenticalOutputsAndGradients() {
    Map<String, INDArray> x = inputs(1);
    Map<String, INDArray> y = inputs(2);
    try (TrainingGraph model = TrainingGraphTest.crissCross(SETTINGS, "crisscross", 5);
        TrainingGraph twin = TrainingGraphTest.crissCross(SETTINGS, "crisscross", 5)) {
      TrainingGraph.ForwardBackward first = model.forwardBackward(x, Set.of());
      TrainingGraph.ForwardBackward other = model.forwardBackward(y, Set.of());
      TrainingGraph.ForwardBackward again = model.forwardBackward(x, Set.of());
      TrainingGraph.ForwardBackward twins = twin.forwardBackward(x, Set.of());
      assertThat(other.total()).isNotEqualTo(first.total());
      for (TrainingGraph.ForwardBackward repeat : new TrainingGraph.ForwardBackward[] {again, twins}) {
        assertThat(repeat.terms()).isEqualTo(first.terms());
        for (View v : View.values()) {
          assertBitIdentical("z of " + v, repeat.outputs().get("z" + v.key()), first.outputs().get("z" + v.key()));
        }
        assertThat(repeat.gradients().keySet()).isEqualTo(first.gradients().keySet());
        first.gradients().forEach((name, g) -> assertBitIdentical("gradient of " + name, repeat.gradients().get(name),
            g));
      }

      // Warm: gradients handed back, every buffer of the step now comes from the model's pool, holding values of
      // other inputs; the step must still be bit-identical and allocate no fresh native memory.
      model.recycle(other.gradients());
      model.recycle(again.gradients());
      long[] before = null;
      for (int i = 0; i < 3; i++) {
        TrainingGraph.ForwardBackward warm = model.forwardBackward(i == 1 ? y : x, Set.of());
        if (i != 1) {
          assertThat(warm.terms()).isEqualTo(first.terms());
          first.gradients().forEach((name, g) -> assertBitIdentical("warm gradient of " + name,
              warm.gradients().get(name), g));
        }
        model.recycle(warm.gradients());
        if (i == 0) {
          before = model.arrayPoolStatistics();
        }
      }
      long[] after = model.arrayPoolStatistics();
      assertThat(after[1]).as("bytes allocated fresh once warm").isEqualTo(before[1]);
      assertThat(after[2]).as("bytes served from the pool").isGreaterThan(before[2]);

      Backbones backbones = model.backbones();
      INDArray clip = x.get("v1");
      INDArray spectrogram = x.get("a1");
      INDArray video = backbones.featureMaps(Modality.VIDEO, clip);
      INDArray audio = backbones.featureMaps(Modality.AUDIO, spectrogram);
      backbones.featureMaps(Modality.VIDEO, y.get("v2"));
      backbones.featureMaps(Modality.AUDIO, y.get("a2"));
      assertBitIdentical("video features", backbones.featureMaps(Modality.VIDEO, clip), video);
      assertBitIdentical("audio features", backbones.featureMaps(Modality.AUDIO, spectrogram), audio);
    }
  }

  private static Map<String, INDArray> inputs(long seed) {
    SampleRandom random = SampleRandom.of(seed);
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    for (View v : View.values()) {
      long[] shape = v.modality() == Modality.VIDEO
          ? new long[] {4, 3, SETTINGS.framesPerView(), SETTINGS.cropSize(), SETTINGS.cropSize()}
          : new long[] {4, 1, SETTINGS.melBands(), SETTINGS.audioFrames()};
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      float[] values = new float[Math.toIntExact(n)];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) random.nextGaussian();
      }
      inputs.put(v.key(), Nd4j.create(values, shape, 'c'));
    }
    return inputs;
  }

  private static void assertBitIdentical(String what, INDArray actual, INDArray expected) {
    assertThat(actual.shape()).as(what).isEqualTo(expected.shape());
    float[] a = actual.dup('c').data().asFloat();
    float[] e = expected.dup('c').data().asFloat();
    for (int i = 0; i < e.length; i++) {
      if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(e[i])) {
        throw new AssertionError(what + " differs at element " + i + ": " + a[i] + " vs " + e[i]);
      }
    }
  }
}
