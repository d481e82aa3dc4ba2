package crisscross.pipeline.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import crisscross.pipeline.augment.VideoAugmenter.CropBox;
import crisscross.pipeline.augment.VideoAugmenter.CutoutBox;
import crisscross.pipeline.augment.VideoAugmenter.Parameters;
import crisscross.pipeline.config.ConfigError;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.media.VideoFrames;
import crisscross.pipeline.random.SampleRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VideoAugmenterTest {
  private static final VideoAugmentSettings PAPER = VideoAugmentSettings.from(ConfigLoader.load(List.of(),
      List.of()));
  /** Every random step off: the multi-scale crop and an identity normalisation remain. */
  private static final VideoAugmentSettings CROP_ONLY = PAPER.toBuilder().flipProbability(0).jitterProbability(0)
      .grayscaleProbability(0).blurProbability(0).cutoutProbability(0).normalizeMean(List.of(0.0, 0.0, 0.0))
      .normalizeStd(List.of(1.0, 1.0, 1.0)).build();
  private static final int HEIGHT = 128;
  private static final int WIDTH = 170;
  private static final int S = 112;

  @Test
  void settingsCarryTableS1() {
    assertThat(PAPER.cropSize()).isEqualTo(112);
    assertThat(PAPER.temporallyConsistent()).isTrue();
    assertThat(PAPER.cropMinArea()).isEqualTo(0.08);
    assertThat(List.of(PAPER.brightness(), PAPER.contrast(), PAPER.saturation(), PAPER.hue()))
        .containsExactly(0.4, 0.4, 0.4, 0.2);
    assertThat(List.of(PAPER.flipProbability(), PAPER.grayscaleProbability(), PAPER.blurProbability()))
        .containsExactly(0.5, 0.2, 0.5);
    assertThat(List.of(PAPER.blurKernel(), PAPER.cutoutMaxSize(), PAPER.cutoutCount()))
        .containsExactly(11, 20, 1);
    assertThat(PAPER.withoutBlur().blurProbability()).isZero();
    assertThat(PAPER.withoutBlur().cutoutProbability()).isEqualTo(1.0);
    assertThatThrownBy(() -> VideoAugmentSettings.from(ConfigLoader.load(List.of(),
        List.of("video.augment.blur-kernel=10")))).isInstanceOf(ConfigError.class)
        .hasMessageContaining("video.augment.blur-kernel");
    assertThatThrownBy(() -> VideoAugmentSettings.from(ConfigLoader.load(List.of(),
        List.of("video.normalize-std=[0.2, 0.2]")))).isInstanceOf(ConfigError.class)
        .hasMessageContaining("video.normalize-std");
  }

  @Test
  void multiScaleCropStaysWithinAreaAndRatioRanges() {
    VideoAugmenter augmenter = new VideoAugmenter(PAPER);
    double smallest = 1;
    double largest = 0;
    for (int i = 0; i < 5000; i++) {
      CropBox crop = augmenter.randomResizedCrop(HEIGHT, WIDTH, SampleRandom.of(i));
      assertThat(crop.top()).isBetween(0, HEIGHT - crop.height());
      assertThat(crop.left()).isBetween(0, WIDTH - crop.width());
      double area = crop.height() * (double) crop.width() / (HEIGHT * WIDTH);
      double ratio = crop.width() / (double) crop.height();
      // Sides are rounded to whole pixels: allow half a pixel on each side of the drawn real-valued box.
      double slackW = 0.5 / crop.width();
      double slackH = 0.5 / crop.height();
      assertThat(area).isBetween(0.08 * (1 - slackW) * (1 - slackH), 1.0);
      assertThat(ratio).isBetween(0.75 * (1 - slackW) / (1 + slackH), 4.0 / 3 * (1 + slackW) / (1 - slackH));
      smallest = Math.min(smallest, area);
      largest = Math.max(largest, area);
    }
    assertThat(smallest).isLessThan(0.085);
    assertThat(largest).isGreaterThan(0.95);
  }

  @Test
  void impossibleCropsFallBackToTheCentre() {
    VideoAugmenter augmenter = new VideoAugmenter(PAPER.toBuilder().cropMinArea(0.95).build());
    // A 10 x 100 strip cannot hold 95 % of its area at a ratio of at most 4/3.
    CropBox crop = augmenter.randomResizedCrop(10, 100, SampleRandom.of(1));
    assertThat(crop).isEqualTo(new CropBox(0, 43, 10, 13));
  }

  @Test
  void drawnParametersStayInTheirRanges() {
    VideoAugmenter augmenter = new VideoAugmenter(PAPER);
    int flips = 0;
    int greys = 0;
    int blurs = 0;
    int n = 4000;
    Set<List<Integer>> orders = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Parameters p = augmenter.draw(HEIGHT, WIDTH, SampleRandom.of(i));
      flips += p.flip() ? 1 : 0;
      greys += p.grayscale() ? 1 : 0;
      assertThat(p.jitter()).isNotNull();
      assertThat(p.jitter().brightness()).isBetween(0.6f, 1.4f);
      assertThat(p.jitter().contrast()).isBetween(0.6f, 1.4f);
      assertThat(p.jitter().saturation()).isBetween(0.6f, 1.4f);
      assertThat(p.jitter().hue()).isBetween(-0.2f, 0.2f);
      assertThat(p.jitter().order()).containsExactlyInAnyOrder(0, 1, 2, 3);
      orders.add(p.jitter().order());
      if (!Double.isNaN(p.blurSigma())) {
        blurs++;
        assertThat(p.blurSigma()).isBetween(0.1, 2.0);
      }
      assertThat(p.cutouts()).hasSizeLessThanOrEqualTo(1);
      for (CutoutBox box : p.cutouts()) {
        assertThat(box.height()).isBetween(1, 20);
        assertThat(box.width()).isBetween(1, 20);
        assertThat(box.top() + box.height()).isLessThanOrEqualTo(S);
        assertThat(box.left() + box.width()).isLessThanOrEqualTo(S);
      }
    }
    assertThat(flips / (double) n).isCloseTo(0.5, within(0.03));
    assertThat(greys / (double) n).isCloseTo(0.2, within(0.03));
    assertThat(blurs / (double) n).isCloseTo(0.5, within(0.03));
    assertThat(orders).hasSize(24);
  }

  @Test
  void cutoutPatchesHaveTheDrawnSideAwayFromTheBorder() {
    VideoAugmenter augmenter = new VideoAugmenter(PAPER.toBuilder().cutoutMinSize(7).cutoutMaxSize(7)
        .cutoutCount(3).build());
    for (int i = 0; i < 500; i++) {
      for (CutoutBox box : augmenter.draw(HEIGHT, WIDTH, SampleRandom.of(i)).cutouts()) {
        boolean inside = box.top() > 0 && box.left() > 0 && box.top() + box.height() < S
            && box.left() + box.width() < S;
        if (inside) {
          assertThat(box.height()).isEqualTo(7);
          assertThat(box.width()).isEqualTo(7);
        }
      }
      assertThat(augmenter.draw(HEIGHT, WIDTH, SampleRandom.of(i)).cutouts()).hasSizeBetween(1, 3);
    }
  }

  @Test
  void cutoutFillsWithTheMeanOfTheFirstFrame() {
    VideoAugmentSettings cutoutOnly = CROP_ONLY.toBuilder().multiScaleCrop(false).centreCropFraction(1.0)
        .cutoutProbability(1).build();
    VideoAugmenter augmenter = new VideoAugmenter(cutoutOnly);
    VideoFrames clip = staticClip(4, S, S, 9);
    double sum = 0;
    for (int i = 0; i < clip.frameSize(); i++) {
      sum += clip.rgb()[i];
    }
    float mean = (float) (sum / clip.frameSize());
    SampleRandom random = SampleRandom.of(21);
    CutoutBox box = augmenter.parameters(4, S, S, random).get(0).cutouts().get(0);
    float[] out = augmenter.apply(clip, random);
    for (int c = 0; c < 3; c++) {
      for (int t = 0; t < 4; t++) {
        for (int y = 0; y < S; y++) {
          for (int x = 0; x < S; x++) {
            boolean inBox = y >= box.top() && y < box.top() + box.height() && x >= box.left()
                && x < box.left() + box.width();
            float value = out[((c * 4 + t) * S + y) * S + x];
            float source = clip.rgb()[clip.index(t, y, x, c)];
            assertThat(value).isCloseTo(inBox ? mean : source, within(1e-5f));
          }
        }
      }
    }
  }

  @Test
  void temporallyConsistentAugmentationKeepsAStaticClipStatic() {
    VideoFrames clip = staticClip(8, HEIGHT, WIDTH, 5);
    int staticSeeds = 0;
    for (int seed = 0; seed < 20; seed++) {
      float[] out = new VideoAugmenter(PAPER).apply(clip, SampleRandom.of(seed));
      assertThat(framesIdentical(out, 8)).as("seed %d", seed).isTrue();
      float[] random = new VideoAugmenter(PAPER.withTemporallyConsistent(false)).apply(clip, SampleRandom.of(seed));
      staticSeeds += framesIdentical(random, 8) ? 1 : 0;
    }
    assertThat(staticSeeds).isZero();
  }

  @Test
  void temporallyRandomDrawsDifferentCropsPerFrame() {
    VideoAugmenter augmenter = new VideoAugmenter(PAPER.withTemporallyConsistent(false));
    List<Parameters> perFrame = augmenter.parameters(8, HEIGHT, WIDTH, SampleRandom.of(4));
    assertThat(perFrame.stream().map(Parameters::crop).distinct().count()).isEqualTo(8);
    List<Parameters> consistent = new VideoAugmenter(PAPER).parameters(8, HEIGHT, WIDTH, SampleRandom.of(4));
    assertThat(consistent.stream().distinct().count()).isEqualTo(1);
  }

  @Test
  void sameSeedSameOutputOtherSeedOtherOutput() {
    VideoFrames clip = noiseClip(8, HEIGHT, WIDTH, 3);
    VideoAugmenter augmenter = new VideoAugmenter(PAPER);
    float[] a = augmenter.apply(clip, SampleRandom.forSample(42, 1, 7));
    float[] b = augmenter.apply(clip, SampleRandom.forSample(42, 1, 7));
    float[] c = augmenter.apply(clip, SampleRandom.forSample(42, 1, 8));
    assertThat(a).hasSize(3 * 8 * S * S).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }

  @Test
  void evaluationIsTheNormalisedCentreCropAndIgnoresTheSeed() {
    VideoFrames clip = noiseClip(2, HEIGHT, WIDTH, 8);
    VideoAugmenter augmenter = new VideoAugmenter(PAPER.evaluation());
    float[] out = augmenter.apply(clip, SampleRandom.of(1));
    assertThat(augmenter.apply(clip, SampleRandom.of(2))).isEqualTo(out);
    double[] mean = {0.485, 0.456, 0.406};
    double[] std = {0.229, 0.224, 0.225};
    // A 128-pixel short side is S / 0.875: the centre crop is 112 x 112 pixels copied from rows 8.. and
    // columns 29.., with no resampling.
    for (int c = 0; c < 3; c++) {
      for (int t = 0; t < 2; t++) {
        for (int y = 0; y < S; y += 7) {
          for (int x = 0; x < S; x += 5) {
            float expected = (float) ((clip.rgb()[clip.index(t, y + 8, x + 29, c)] - mean[c]) / std[c]);
            assertThat(out[((c * 2 + t) * S + y) * S + x]).isCloseTo(expected, within(1e-5f));
          }
        }
      }
    }
  }

  @Test
  void normalisationUsesImageNetStatistics() {
    float[] rgb = new float[HEIGHT * WIDTH * 3];
    for (int p = 0; p < HEIGHT * WIDTH; p++) {
      rgb[3 * p] = 0.485f + 0.229f;
      rgb[3 * p + 1] = 0.456f;
      rgb[3 * p + 2] = 0.406f - 2 * 0.225f;
    }
    float[] out = new VideoAugmenter(PAPER.evaluation()).apply(new VideoFrames(1, HEIGHT, WIDTH, rgb,
        new double[] {0}), SampleRandom.of(0));
    assertThat(out[0]).isCloseTo(1f, within(1e-5f));
    assertThat(out[S * S]).isCloseTo(0f, within(1e-5f));
    assertThat(out[2 * S * S + 17]).isCloseTo(-2f, within(1e-5f));
  }

  @Test
  void cropAndFlipAreTheResizeOfTheDrawnBox() {
    VideoAugmentSettings settings = CROP_ONLY.toBuilder().flipProbability(0.5).build();
    VideoAugmenter augmenter = new VideoAugmenter(settings);
    VideoFrames clip = noiseClip(1, HEIGHT, WIDTH, 2);
    int flipped = 0;
    for (int seed = 0; seed < 6; seed++) {
      SampleRandom random = SampleRandom.of(seed);
      Parameters p = augmenter.parameters(1, HEIGHT, WIDTH, random).get(0);
      float[] out = augmenter.apply(clip, random);
      float[] expected = new float[3 * S * S];
      Resampling rows = Resampling.antialiasedBilinear(p.crop().top(), p.crop().height(), S, false);
      Resampling columns = Resampling.antialiasedBilinear(p.crop().left(), p.crop().width(), S, false);
      float[] plane = new float[HEIGHT * WIDTH];
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < plane.length; i++) {
          plane[i] = clip.rgb()[3 * i + c];
        }
        Resampling.resizePlane(plane, WIDTH, rows, columns, new float[S * WIDTH], expected, c * S * S);
      }
      flipped += p.flip() ? 1 : 0;
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < S; y++) {
          for (int x = 0; x < S; x++) {
            int source = p.flip() ? S - 1 - x : x;
            assertThat(out[(c * S + y) * S + x]).isCloseTo(expected[(c * S + y) * S + source], within(1e-5f));
          }
        }
      }
    }
    assertThat(flipped).isBetween(1, 5);
  }

  @Test
  void outputIsChannelThenFrameThenRowThenColumn() {
    float[] rgb = new float[3 * S * S * 3];
    for (int t = 0; t < 3; t++) {
      for (int p = 0; p < S * S; p++) {
        for (int c = 0; c < 3; c++) {
          rgb[(t * S * S + p) * 3 + c] = 0.1f * t + 0.01f * c;
        }
      }
    }
    VideoAugmenter augmenter = new VideoAugmenter(CROP_ONLY.toBuilder().multiScaleCrop(false)
        .centreCropFraction(1.0).build());
    float[] out = augmenter.apply(new VideoFrames(3, S, S, rgb, new double[3]), SampleRandom.of(0));
    for (int c = 0; c < 3; c++) {
      for (int t = 0; t < 3; t++) {
        assertThat(out[(c * 3 + t) * S * S + S * S / 2]).isCloseTo(0.1f * t + 0.01f * c, within(1e-6f));
      }
    }
  }

  private static boolean framesIdentical(float[] out, int frames) {
    int pixels = S * S;
    for (int c = 0; c < 3; c++) {
      for (int t = 1; t < frames; t++) {
        for (int p = 0; p < pixels; p++) {
          if (out[(c * frames + t) * pixels + p] != out[(c * frames) * pixels + p]) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** The same smooth, colourful image in every frame. */
  static VideoFrames staticClip(int frames, int height, int width, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] phases = new double[3][2];
    for (double[] phase : phases) {
      phase[0] = random.nextDouble(0, 6.28);
      phase[1] = random.nextDouble(0, 6.28);
    }
    float[] rgb = new float[frames * height * width * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < 3; c++) {
          float v = (float) (0.5 + 0.4 * Math.sin(0.07 * (c + 1) * x + phases[c][0])
              * Math.cos(0.05 * (c + 2) * y + phases[c][1]));
          for (int t = 0; t < frames; t++) {
            rgb[((t * height + y) * width + x) * 3 + c] = v;
          }
        }
      }
    }
    return new VideoFrames(frames, height, width, rgb, new double[frames]);
  }

  /** A smooth colourful pattern drifting across the frame, with a little noise: closer to camera frames. */
  static VideoFrames movingClip(int frames, int height, int width, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] rgb = new float[frames * height * width * 3];
    for (int t = 0; t < frames; t++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          for (int c = 0; c < 3; c++) {
            double v = 0.5 + 0.35 * Math.sin(0.06 * (c + 1) * (x + 3 * t) + c) * Math.cos(0.04 * (3 - c) * y)
                + 0.02 * (random.nextDouble() - 0.5);
            rgb[((t * height + y) * width + x) * 3 + c] = (float) v;
          }
        }
      }
    }
    return new VideoFrames(frames, height, width, rgb, new double[frames]);
  }

  static VideoFrames noiseClip(int frames, int height, int width, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] rgb = new float[frames * height * width * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (float) random.nextDouble();
    }
    return new VideoFrames(frames, height, width, rgb, new double[frames]);
  }
}
