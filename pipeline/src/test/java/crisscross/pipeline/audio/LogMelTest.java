package crisscross.pipeline.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import crisscross.pipeline.config.ConfigError;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.io.Npy;
import crisscross.pipeline.io.NpyArray;
import crisscross.pipeline.media.Spectrogram;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogMelTest {
  private static final double DB_PER_NEPER = 10 / Math.log(10);
  private static final LogMel LOG_MEL = new LogMel(AudioSettings.paperDefaults());

  @Test
  void defaultsComeFromReferenceConf() {
    assertThat(AudioSettings.from(ConfigLoader.load(List.of(), List.of())))
        .isEqualTo(AudioSettings.paperDefaults());
  }

  /** Reference values from tools/mel/make_reference.py (librosa's algorithm in NumPy, checked against torch). */
  @ParameterizedTest
  @ValueSource(strings = {"chirp", "noise", "tones", "silence", "clicks"})
  void matchesLibrosaWithinAThousandthOfADecibel(String name) throws IOException {
    float[] signal = resource(name + ".signal.npy").toFloats();
    NpyArray reference = resource(name + ".logmel.npy");
    Spectrogram ours = LOG_MEL.compute(signal);
    assertThat(new long[] {ours.bands(), ours.frames()}).containsExactly(reference.shape());
    assertThat(ours.frames()).isEqualTo(1 + signal.length / 160);
    double offset = AudioSettings.paperDefaults().logOffset();
    // Where the mel power is far below the 1e-6 offset, the log is the offset's and both sides agree
    // trivially; the comparison that matters is above a floor of one tenth of the offset.
    double floor = 0.1 * offset;
    double worst = 0;
    int compared = 0;
    for (int m = 0; m < ours.bands(); m++) {
      for (int t = 0; t < ours.frames(); t++) {
        double expected = reference.data()[m * ours.frames() + t];
        double difference = Math.abs(ours.get(m, t) - expected) * DB_PER_NEPER;
        if (Math.exp(expected) - offset > floor) {
          worst = Math.max(worst, difference);
          compared++;
        } else {
          assertThat(difference).isLessThan(0.01);
        }
      }
    }
    assertThat(worst).as("max difference in dB for %s", name).isLessThan(1e-3);
    if (!name.equals("silence")) {
      assertThat(compared).isGreaterThan(1000);
    }
  }

  @Test
  void silenceIsTheLogOfTheOffset() {
    Spectrogram spectrogram = LOG_MEL.compute(new float[16000]);
    for (float value : spectrogram.values()) {
      assertThat(value).isEqualTo((float) Math.log(1e-6));
    }
  }

  @Test
  void gainScalesThePowerAndFramesCanBeCut() throws IOException {
    float[] signal = resource("tones.signal.npy").toFloats();
    Spectrogram full = LOG_MEL.compute(signal);
    Spectrogram louder = LOG_MEL.compute(signal, 1.2, 40);
    assertThat(louder.frames()).isEqualTo(40);
    for (int m = 0; m < 80; m++) {
      for (int t = 0; t < 40; t++) {
        if (full.get(m, t) > 0) {
          assertThat(louder.get(m, t) - full.get(m, t)).isCloseTo((float) Math.log(1.44), within(1e-4f));
        }
      }
    }
    assertThatThrownBy(() -> LOG_MEL.compute(signal, 1.0, 62)).hasMessageContaining("61 frames");
  }

  @Test
  void oneInstanceServesManyThreads() throws IOException {
    float[] signal = resource("chirp.signal.npy").toFloats();
    float[] expected = LOG_MEL.compute(signal).values();
    List<float[]> results = IntStream.range(0, 16).parallel().mapToObj(i -> LOG_MEL.compute(signal).values())
        .toList();
    for (float[] result : results) {
      assertThat(result).isEqualTo(expected);
    }
  }

  @Test
  void realFftEqualsTheDefinitionOfTheDft() {
    SplittableRandom random = new SplittableRandom(3);
    for (int n : new int[] {4, 8, 16, 64, 1024}) {
      RealFft fft = new RealFft(n);
      double[] x = random.doubles(n, -1, 1).toArray();
      double[] re = new double[n / 2 + 1];
      double[] im = new double[n / 2 + 1];
      double[] power = new double[n / 2 + 1];
      fft.transform(x, fft.newScratch(), re, im);
      fft.powerSpectrum(x, fft.newScratch(), power);
      for (int k = 0; k <= n / 2; k++) {
        double sumRe = 0;
        double sumIm = 0;
        for (int i = 0; i < n; i++) {
          sumRe += x[i] * Math.cos(2 * Math.PI * k * i / n);
          sumIm -= x[i] * Math.sin(2 * Math.PI * k * i / n);
        }
        assertThat(re[k]).isCloseTo(sumRe, within(1e-9));
        assertThat(im[k]).isCloseTo(sumIm, within(1e-9));
        assertThat(power[k]).isCloseTo(sumRe * sumRe + sumIm * sumIm, within(1e-8));
      }
    }
    assertThatThrownBy(() -> new RealFft(1000)).hasMessageContaining("power of two");
  }

  @Test
  void slaneyMelScaleIsLinearBelowOneKilohertzAndLogarithmicAbove() {
    assertThat(MelFilterBank.hzToMel(1000)).isCloseTo(15.0, within(1e-12));
    assertThat(MelFilterBank.hzToMel(200)).isCloseTo(3.0, within(1e-12));
    assertThat(MelFilterBank.hzToMel(6400)).isCloseTo(15.0 + 27.0, within(1e-9));
    for (double hz : new double[] {0, 50, 999.9, 1000, 4321, 8000}) {
      assertThat(MelFilterBank.melToHz(MelFilterBank.hzToMel(hz))).isCloseTo(hz, within(1e-9));
    }
  }

  @Test
  void slaneyNormalisedFiltersHaveUnitAreaInHertz() {
    MelFilterBank filters = LOG_MEL.filters();
    double binHz = 16000.0 / 1024;
    // Bands wider than a few bins integrate to 1 (the narrow low bands are undersampled by the FFT grid).
    for (int m = 40; m < 80; m++) {
      double area = 0;
      for (int k = 0; k < filters.bins(); k++) {
        area += filters.weight(m, k) * binHz;
      }
      assertThat(area).as("band %d", m).isCloseTo(1.0, within(0.02));
    }
  }

  @Test
  void badSettingsNameTheirKey() {
    assertThatThrownBy(() -> AudioSettings.from(ConfigLoader.load(List.of(), List.of("audio.n-fft=1000"))))
        .isInstanceOf(ConfigError.class).hasMessageContaining("audio.n-fft");
    assertThatThrownBy(() -> AudioSettings.from(ConfigLoader.load(List.of(),
        List.of("audio.output-frames=202"))))
        .isInstanceOf(ConfigError.class).hasMessageContaining("audio.output-frames").hasMessageContaining("201");
  }

  private static NpyArray resource(String name) throws IOException {
    try (InputStream in = LogMelTest.class.getResourceAsStream("mel/" + name)) {
      assertThat(in).as("test resource mel/%s", name).isNotNull();
      return Npy.parse(in.readAllBytes());
    }
  }
}
