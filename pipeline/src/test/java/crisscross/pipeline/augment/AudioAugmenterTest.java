package crisscross.pipeline.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import crisscross.pipeline.audio.AudioSettings;
import crisscross.pipeline.audio.LogMel;
import crisscross.pipeline.audio.LogMelStatistics;
import crisscross.pipeline.augment.AudioAugmentSettings.Standardization;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.random.SampleRandom;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AudioAugmenterTest {
  private static final AudioSettings AUDIO = AudioSettings.paperDefaults();
  private static final AudioAugmentSettings DEFAULTS = AudioAugmentSettings.from(ConfigLoader.load(List.of(),
      List.of()));
  private static final int BANDS = 80;
  private static final int FRAMES = 200;
  private static final float[] VIEW = testSignal(32_000, 1);
  /** The statistics of a small "dataset" of three clips, as a run measures them at start. */
  private static final LogMelStatistics DATASET = new LogMelStatistics.Accumulator()
      .add(new LogMel(AUDIO).compute(testSignal(32_000, 1), 1.0, FRAMES).values())
      .add(new LogMel(AUDIO).compute(testSignal(32_000, 2), 0.5, FRAMES).values())
      .add(new LogMel(AUDIO).compute(testSignal(32_000, 3), 2.0, FRAMES).values()).result();
  /** The default chain once the run has measured its dataset statistics. */
  private static final AudioAugmentSettings PAPER = DEFAULTS.withDatasetStatistics(DATASET);
  private static final AudioAugmentSettings PER_VIEW = PAPER.withStandardization(Standardization.VIEW);

  @Test
  void settingsCarryTableS2() {
    assertThat(DEFAULTS).isEqualTo(new AudioAugmentSettings(0.2, Standardization.DATASET, -5.3688107, 4.410007,
        Optional.empty(), 2, 10, 2, 20, true, 1.5, 0.6, 1.5, false, 20));
    assertThat(AudioSettings.from(ConfigLoader.load(List.of(), List.of()))).isEqualTo(AUDIO);
    assertThat(AudioAugmentSettings.from(ConfigLoader.load(List.of(), List.of("audio.dataset-statistics.mean=-4.5",
        "audio.dataset-statistics.std=3.5"))).datasetStatistics()).contains(new LogMelStatistics(-4.5, 3.5));
  }

  @Test
  void dataSetStandardisationIsRefusedBeforeTheStatisticsAreMeasured() {
    assertThat(DEFAULTS.awaitsDatasetStatistics()).isTrue();
    assertThat(PAPER.awaitsDatasetStatistics()).isFalse();
    assertThat(PER_VIEW.awaitsDatasetStatistics()).isFalse();
    assertThatThrownBy(() -> new AudioAugmenter(AUDIO, DEFAULTS)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("audio.standardize = dataset").hasMessageContaining("audio.dataset-statistics.std");
  }

  @Test
  void dataSetStandardisationIsOneAffineMapForEveryView() {
    AudioAugmenter augmenter = new AudioAugmenter(AUDIO, PAPER.evaluation());
    float[] out = augmenter.apply(VIEW, SampleRandom.of(1));
    float[] logMel = new LogMel(AUDIO).compute(VIEW, 1.0, FRAMES).values();
    for (int i = 0; i < out.length; i += 37) {
      assertThat(out[i]).isCloseTo((float) ((logMel[i] - DATASET.mean()) / DATASET.std()), within(1e-4f));
    }
  }

  @Test
  void outputIsEightyBandsByTwoHundredFrames() {
    float[] out = new AudioAugmenter(AUDIO, PAPER).apply(VIEW, SampleRandom.of(1));
    assertThat(out).hasSize(BANDS * FRAMES);
    for (float v : out) {
      assertThat(Float.isFinite(v)).isTrue();
    }
    assertThatThrownBy(() -> new AudioAugmenter(AUDIO, PAPER).apply(new float[31_000], SampleRandom.of(1)))
        .hasMessageContaining("194 frames");
    assertThatThrownBy(() -> new AudioAugmenter(AUDIO, PAPER).apply(new AudioSamples(VIEW, 44100, 0),
        SampleRandom.of(1))).hasMessageContaining("44100 Hz");
  }

  @Test
  void evaluationIsTheStandardisedLogMelWhateverTheSeed() {
    AudioAugmenter augmenter = new AudioAugmenter(AUDIO, PER_VIEW.evaluation());
    float[] out = augmenter.apply(VIEW, SampleRandom.of(1));
    assertThat(augmenter.apply(VIEW, SampleRandom.of(2))).isEqualTo(out);
    float[] logMel = new LogMel(AUDIO).compute(VIEW, 1.0, FRAMES).values();
    double mean = SpecAugment.mean(logMel);
    double variance = 0;
    for (float v : logMel) {
      variance += (v - mean) * (v - mean);
    }
    double std = Math.sqrt(variance / logMel.length);
    for (int i = 0; i < out.length; i += 37) {
      assertThat(out[i]).isCloseTo((float) ((logMel[i] - mean) / std), within(1e-4f));
    }
    assertThat(SpecAugment.mean(out)).isCloseTo(0, within(1e-5));
    double squares = 0;
    for (float v : out) {
      squares += v * v;
    }
    assertThat(squares / out.length).isCloseTo(1, within(1e-4));
  }

  @Test
  void silenceStandardisesToZeros() {
    float[] out = new AudioAugmenter(AUDIO, PER_VIEW.evaluation()).apply(new float[32_000], SampleRandom.of(3));
    for (float v : out) {
      assertThat(v).isZero();
    }
  }

  @Test
  void volumeJitterShiftsTheLogMelByTheLogOfAGainWithinRange() {
    AudioAugmentSettings fixed = PAPER.withStandardization(Standardization.FIXED);
    float[] base = new AudioAugmenter(AUDIO, fixed.evaluation()).apply(VIEW, SampleRandom.of(0));
    AudioAugmenter jitter = new AudioAugmenter(AUDIO, fixed.only(true, false, false, false));
    double lowest = Double.MAX_VALUE;
    double highest = -Double.MAX_VALUE;
    for (int seed = 0; seed < 300; seed++) {
      float[] out = jitter.apply(VIEW, SampleRandom.of(seed));
      // A loud bin (power far above the 1e-6 offset) moves by exactly 2 ln(gain) / std.
      int loud = loudestBin(base);
      double gain = Math.exp((out[loud] - base[loud]) * 4.410007 / 2);
      assertThat(gain).isBetween(0.8 - 1e-4, 1.2 + 1e-4);
      lowest = Math.min(lowest, gain);
      highest = Math.max(highest, gain);
    }
    assertThat(lowest).isLessThan(0.81);
    assertThat(highest).isGreaterThan(1.19);
  }

  @Test
  void volumeJitterChangesWhatTheEncoderSeesUnderTheDefaultStandardisation() {
    // Under dataset statistics a gain g moves every loud bin by 2 ln g / std: 2 ln 1.2 / std at the extremes.
    double extreme = 2 * Math.log(1.2) / DATASET.std();
    assertThat(worstMeanShiftUnderVolumeJitter(PAPER)).isGreaterThan(0.8 * extreme);
    assertThat(worstMeanShiftUnderVolumeJitter(PAPER.withStandardization(Standardization.FIXED)))
        .isGreaterThan(0.8 * 2 * Math.log(1.2) / 4.410007);
  }

  @Test
  void perViewStandardisationUndoesMostOfTheVolumeJitter() {
    // With the authors' fixed statistics a gain of 1.2 moves every loud bin by 2 ln 1.2 / 4.41 = 0.083.
    assertThat(worstMeanShiftUnderVolumeJitter(PER_VIEW)).isLessThan(0.01);
  }

  /** The largest mean absolute change volume jitter alone makes to the encoder's input, over 20 draws. */
  private static double worstMeanShiftUnderVolumeJitter(AudioAugmentSettings chain) {
    AudioAugmenter evaluation = new AudioAugmenter(AUDIO, chain.evaluation());
    AudioAugmenter jitter = new AudioAugmenter(AUDIO, chain.only(true, false, false, false));
    float[] base = evaluation.apply(VIEW, SampleRandom.of(0));
    double worstMeanShift = 0;
    for (int seed = 0; seed < 20; seed++) {
      float[] out = jitter.apply(VIEW, SampleRandom.of(seed));
      double shift = 0;
      for (int i = 0; i < out.length; i++) {
        shift += Math.abs(out[i] - base[i]);
      }
      worstMeanShift = Math.max(worstMeanShift, shift / out.length);
    }
    return worstMeanShift;
  }

  @Test
  void masksHaveTheirCountAndWidthBounds() {
    int widest = 0;
    for (int seed = 0; seed < 3000; seed++) {
      List<SpecAugment.Mask> masks = SpecAugment.drawMasks(FRAMES, 2, 20, SampleRandom.of(seed));
      assertThat(masks).hasSize(2);
      for (SpecAugment.Mask mask : masks) {
        assertThat(mask.width()).isBetween(0, 19);
        assertThat(mask.start()).isGreaterThanOrEqualTo(0);
        assertThat(mask.start() + mask.width()).isLessThanOrEqualTo(FRAMES);
        widest = Math.max(widest, mask.width());
      }
    }
    assertThat(widest).isEqualTo(19);
  }

  @Test
  void maskedBandsAndFramesHoldTheMean() {
    AudioAugmenter masking = new AudioAugmenter(AUDIO, PER_VIEW.only(false, true, false, false));
    int anyMasked = 0;
    for (int seed = 0; seed < 30; seed++) {
      float[] out = masking.apply(VIEW, SampleRandom.of(seed));
      int constantBands = 0;
      for (int b = 0; b < BANDS; b++) {
        boolean constant = true;
        for (int t = 1; t < FRAMES && constant; t++) {
          constant = out[b * FRAMES + t] == out[b * FRAMES];
        }
        constantBands += constant ? 1 : 0;
      }
      int constantFrames = 0;
      for (int t = 0; t < FRAMES; t++) {
        boolean constant = true;
        for (int b = 1; b < BANDS && constant; b++) {
          constant = out[b * FRAMES + t] == out[t];
        }
        constantFrames += constant ? 1 : 0;
      }
      assertThat(constantBands).isLessThanOrEqualTo(2 * 9);
      assertThat(constantFrames).isLessThanOrEqualTo(2 * 19);
      anyMasked += constantBands + constantFrames > 0 ? 1 : 0;
      // The spectrogram was standardised first, so the fill (its mean) is about zero.
      for (int t = 0; t < FRAMES; t++) {
        boolean constant = true;
        for (int b = 1; b < BANDS && constant; b++) {
          constant = out[b * FRAMES + t] == out[t];
        }
        if (constant) {
          assertThat(out[t]).isCloseTo(0f, within(0.2f));
        }
      }
    }
    assertThat(anyMasked).isGreaterThan(25);
  }

  @Test
  void randomResizeCropScalesStayInRange() {
    int fewestBands = BANDS;
    int mostFrames = 0;
    for (int seed = 0; seed < 3000; seed++) {
      RandomResizeCrop.Crop crop = RandomResizeCrop.draw(BANDS, FRAMES, 1.5, 0.6, 1.5, SampleRandom.of(seed));
      assertThat(crop.canvasBands()).isEqualTo(80);
      assertThat(crop.canvasFrames()).isEqualTo(300);
      assertThat(crop.bands()).isBetween(48, 80);
      assertThat(crop.frames()).isBetween(120, 300);
      assertThat(crop.top()).isBetween(0, 80 - crop.bands());
      assertThat(crop.left()).isBetween(0, 300 - crop.frames());
      fewestBands = Math.min(fewestBands, crop.bands());
      mostFrames = Math.max(mostFrames, crop.frames());
    }
    assertThat(fewestBands).isLessThan(50);
    assertThat(mostFrames).isGreaterThan(295);
  }

  @Test
  void aCropOfTheSpectrogramItselfIsTheIdentityAndOneOfThePaddingIsZero() {
    float[] spec = new AudioAugmenter(AUDIO, PAPER.evaluation()).apply(VIEW, SampleRandom.of(0));
    float[] same = RandomResizeCrop.apply(spec, BANDS, FRAMES, new RandomResizeCrop.Crop(80, 300, 0, 50, 80, 200));
    for (int i = 0; i < spec.length; i++) {
      assertThat(same[i]).isCloseTo(spec[i], within(1e-5f));
    }
    float[] padding = RandomResizeCrop.apply(spec, BANDS, FRAMES, new RandomResizeCrop.Crop(80, 300, 0, 0, 60,
        50));
    for (float v : padding) {
      assertThat(v).isZero();
    }
    // A crop 1.5 times as long as the spectrogram shrinks it in time: its middle third is the whole input.
    float[] shrunk = RandomResizeCrop.apply(spec, BANDS, FRAMES, new RandomResizeCrop.Crop(80, 300, 0, 0, 80,
        300));
    assertThat(shrunk[10]).isZero();
    assertThat(shrunk[FRAMES - 10]).isZero();
    assertThat(shrunk[FRAMES / 2]).isNotZero();
  }

  @Test
  void timeWarpFollowsS3prl() {
    for (int seed = 0; seed < 2000; seed++) {
      SpecAugment.Warp warp = SpecAugment.drawWarp(FRAMES, 20, SampleRandom.of(seed));
      assertThat(warp.centre()).isBetween(20, 179);
      assertThat(warp.warpedCentre()).isBetween(warp.centre() - 19, warp.centre() + 20);
    }
    assertThat(SpecAugment.drawWarp(40, 20, SampleRandom.of(1))).isNull();
    // A time ramp is mapped to the warped positions (PyTorch's cubic, a = -0.75, bends straight lines by less
    // than 0.05 of a frame).
    float[] ramp = new float[2 * FRAMES];
    for (int b = 0; b < 2; b++) {
      for (int t = 0; t < FRAMES; t++) {
        ramp[b * FRAMES + t] = t;
      }
    }
    SpecAugment.Warp warp = new SpecAugment.Warp(100, 88);
    float[] warped = SpecAugment.applyWarp(ramp, 2, FRAMES, warp);
    for (int o = 2; o < 85; o++) {
      assertThat(warped[FRAMES + o]).isCloseTo((float) ((o + 0.5) * 100 / 88 - 0.5), within(0.05f));
    }
    for (int o = 92; o < FRAMES - 3; o++) {
      double source = 100 + (o - 88 + 0.5) * 100 / 112 - 0.5;
      assertThat(warped[o]).isCloseTo((float) source, within(0.05f));
    }
    float[] identity = SpecAugment.applyWarp(ramp, 2, FRAMES, new SpecAugment.Warp(70, 70));
    assertThat(identity).isEqualTo(ramp);
  }

  @Test
  void timeWarpIsAnOption() {
    AudioAugmenter plain = new AudioAugmenter(AUDIO, PAPER.only(false, false, false, false));
    AudioAugmenter warping = new AudioAugmenter(AUDIO, PAPER.only(false, false, false, false).withTimeWarp(true));
    int changed = 0;
    for (int seed = 0; seed < 10; seed++) {
      float[] a = plain.apply(VIEW, SampleRandom.of(seed));
      float[] b = warping.apply(VIEW, SampleRandom.of(seed));
      changed += java.util.Arrays.equals(a, b) ? 0 : 1;
    }
    assertThat(changed).isGreaterThan(7);
  }

  @Test
  void sameSeedSameOutputOtherSeedOtherOutput() {
    AudioAugmenter augmenter = new AudioAugmenter(AUDIO, PAPER.withTimeWarp(true));
    float[] a = augmenter.apply(VIEW, SampleRandom.forSample(42, 2, 5));
    assertThat(augmenter.apply(VIEW, SampleRandom.forSample(42, 2, 5))).isEqualTo(a);
    assertThat(augmenter.apply(VIEW, SampleRandom.forSample(42, 2, 6))).isNotEqualTo(a);
  }

  private static int loudestBin(float[] spec) {
    int best = 0;
    for (int i = 1; i < spec.length; i++) {
      if (spec[i] > spec[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Two seconds of something speech-like: a few drifting tones over a little noise. */
  static float[] testSignal(int samples, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] signal = new float[samples];
    for (int i = 0; i < samples; i++) {
      double t = i / 16000.0;
      double v = 0.3 * Math.sin(2 * Math.PI * (300 + 80 * Math.sin(3 * t)) * t)
          + 0.1 * Math.sin(2 * Math.PI * 2200 * t) * (0.5 + 0.5 * Math.sin(7 * t))
          + 0.02 * (random.nextDouble() - 0.5);
      signal[i] = (float) v;
    }
    return signal;
  }
}
