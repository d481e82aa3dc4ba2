package crisscross.pipeline.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.config.ConfigError;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.sample.SamplingSettings.VideoPlacement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewSamplerTest {
  /** The paper's values with each video view kept inside its audio view, the geometry most tests check. */
  private static final SamplingSettings PAPER =
      SamplingSettings.paperDefaults().withVideoPlacement(VideoPlacement.SYNCHRONOUS);

  @Test
  void theDefaultPlacementIsThePapersSynchronousOne() {
    assertThat(SamplingSettings.paperDefaults().videoPlacement()).isEqualTo(VideoPlacement.SYNCHRONOUS);
    SamplingSettings configured = SamplingSettings.from(ConfigLoader.load(List.of(), List.of()));
    assertThat(configured).isEqualTo(SamplingSettings.paperDefaults());
    // §3: v_i and a_i come from the same timestamps, so every default mild draw pairs synchronous views.
    for (int i = 0; i < 3000; i++) {
      assertThat(synchronous(plan(configured, CLIP, i))).as("v_i inside a_i, draw %d", i).isTrue();
    }
  }

  @Test
  void theAuthorsPlacementIsNamedForWhatItDoesAndItsEarlierNameIsStillRead() {
    assertThat(SamplingSettings.from(ConfigLoader.load(List.of(),
        List.of("sampling.video-placement=anywhere-in-audio-window"))).videoPlacement())
        .isEqualTo(VideoPlacement.ANYWHERE_IN_AUDIO_WINDOW);
    assertThat(SamplingSettings.from(ConfigLoader.load(List.of(),
        List.of("sampling.video-placement=anywhere"))).videoPlacement())
        .isEqualTo(VideoPlacement.ANYWHERE_IN_AUDIO_WINDOW);
    assertThatThrownBy(() -> SamplingSettings.from(ConfigLoader.load(List.of(),
        List.of("sampling.video-placement=somewhere")))).isInstanceOf(ConfigError.class)
        .hasMessageContaining("sampling.video-placement").hasMessageContaining("anywhere-in-audio-window");
  }
  private static final int SPF = 1000;
  private static final double CLIP = 10.0;
  private static final long CLIP_SAMPLES = 160_000;

  @Test
  void mildHasTheAuthorsWindowsAndHalfOverlappingViews() {
    for (int i = 0; i < 2000; i++) {
      ViewPlan plan = plan(PAPER, CLIP, i);
      assertThat(plan.videoFrameCount()).isEqualTo(12);
      assertThat(plan.audioSampleCount()).isEqualTo(48_000);
      assertThat(plan.videoOffsets().get(0)).isZero();
      assertThat(plan.videoOffsets().get(1)).isEqualTo(4);
      assertThat(plan.audioOffsets().get(0)).isZero();
      assertThat(plan.audioOffsets().get(1)).isEqualTo(16_000);
      // Two 8-frame views sharing 4 frames; two 2 s views sharing 1 s: 50 % each.
      assertThat(overlap(plan.videoViewStart(1), plan.videoViewStart(2), 8)).isEqualTo(4);
      assertThat(overlap(plan.audioViewStart(1), plan.audioViewStart(2), 32_000)).isEqualTo(16_000);
      assertInsideClip(plan, CLIP_SAMPLES);
      assertSynchronous(plan);
      // Synchronous placement puts the video window 0.75 s to 1.5 s into the 3 s audio window.
      long videoStart = (long) plan.videoStartFrame() * SPF - plan.audioStartSample();
      assertThat(videoStart).isBetween(750L * 16, 1500L * 16);
    }
  }

  @Test
  void mildOverlapGeneralisesTheWindowLength() {
    SamplingSettings quarter = new SamplingSettings(RelaxationMode.MILD, 16, 8, 16000, 32000, 0.25,
        VideoPlacement.SYNCHRONOUS);
    ViewPlan plan = plan(quarter, CLIP, 3);
    assertThat(plan.videoFrameCount()).isEqualTo(14);
    assertThat(plan.audioSampleCount()).isEqualTo(56_000);
    assertThat(overlap(plan.videoViewStart(1), plan.videoViewStart(2), 8)).isEqualTo(2);
    assertThat(overlap(plan.audioViewStart(1), plan.audioViewStart(2), 32_000)).isEqualTo(8_000);
    assertSynchronous(plan);
  }

  @Test
  void mildAnywhereIsTheAuthorsPlacementAndCanBreakSynchronicity() {
    SamplingSettings anywhere = PAPER.withVideoPlacement(VideoPlacement.ANYWHERE_IN_AUDIO_WINDOW);
    int outside = 0;
    long lowest = Long.MAX_VALUE;
    long highest = Long.MIN_VALUE;
    for (int i = 0; i < 3000; i++) {
      ViewPlan plan = plan(anywhere, CLIP, i);
      assertInsideClip(plan, CLIP_SAMPLES);
      long videoStart = (long) plan.videoStartFrame() * SPF - plan.audioStartSample();
      assertThat(videoStart + 12 * SPF).isLessThanOrEqualTo(plan.audioSampleCount());
      lowest = Math.min(lowest, videoStart);
      highest = Math.max(highest, videoStart);
      if (!synchronous(plan)) {
        outside++;
      }
    }
    assertThat(lowest).isLessThan(1000);
    assertThat(highest).isGreaterThan(35_000);
    // Only the positions between 0.75 s and 1.5 s of the 2.25 s range keep v_i inside a_i: about two thirds
    // of the draws leave it.
    assertThat(outside / 3000.0).isBetween(0.6, 0.73);
  }

  @Test
  void noneCutsBothViewsFromTheSameWindow() {
    SamplingSettings none = PAPER.withRelaxation(RelaxationMode.NONE);
    for (int i = 0; i < 1000; i++) {
      ViewPlan plan = plan(none, CLIP, i);
      assertThat(plan.videoFrameCount()).isEqualTo(8);
      assertThat(plan.audioSampleCount()).isEqualTo(32_000);
      assertThat(plan.videoViewStart(1)).isEqualTo(plan.videoViewStart(2));
      assertThat(plan.audioViewStart(1)).isEqualTo(plan.audioViewStart(2));
      assertInsideClip(plan, CLIP_SAMPLES);
      assertSynchronous(plan);
    }
  }

  @Test
  void mediumViewsAreAdjacentAndShareTheirBoundaryAcrossModalities() {
    SamplingSettings medium = PAPER.withRelaxation(RelaxationMode.MEDIUM);
    for (int i = 0; i < 1000; i++) {
      ViewPlan plan = plan(medium, CLIP, i);
      assertThat(plan.videoViewStart(2)).isEqualTo(plan.videoViewStart(1) + 8);
      assertThat(plan.audioViewStart(2)).isEqualTo(plan.audioViewStart(1) + 32_000);
      assertThat((long) plan.videoViewStart(2) * SPF).isEqualTo(plan.audioViewStart(2));
      assertInsideClip(plan, CLIP_SAMPLES);
      assertSynchronous(plan);
    }
    SamplingSettings anywhere = medium.withVideoPlacement(VideoPlacement.ANYWHERE_IN_AUDIO_WINDOW);
    for (int i = 0; i < 200; i++) {
      ViewPlan plan = plan(anywhere, CLIP, i);
      assertThat(overlap(plan.videoViewStart(1), plan.videoViewStart(2), 8)).isZero();
      assertThat(plan.videoViewStart(2)).isEqualTo(plan.videoViewStart(1) + 8);
      assertThat(plan.audioViewStart(2)).isEqualTo(plan.audioViewStart(1) + 32_000);
      assertInsideClip(plan, CLIP_SAMPLES);
    }
  }

  @Test
  void extremeTakesOneViewFromEachHalf() {
    SamplingSettings extreme = PAPER.withRelaxation(RelaxationMode.EXTREME);
    double clip = 9.5;
    long clipSamples = 152_000;
    for (int i = 0; i < 1000; i++) {
      ViewPlan plan = plan(extreme, clip, i);
      assertThat(plan.audioViewStart(1)).isGreaterThanOrEqualTo(0);
      assertThat(plan.audioViewStart(1) + 32_000L).isLessThanOrEqualTo(clipSamples / 2);
      assertThat(plan.audioViewStart(2)).isGreaterThanOrEqualTo((int) (clipSamples / 2));
      assertThat((long) plan.videoViewStart(1) * SPF + 8 * SPF).isLessThanOrEqualTo(clipSamples / 2);
      assertThat((long) plan.videoViewStart(2) * SPF).isGreaterThanOrEqualTo(clipSamples / 2);
      assertInsideClip(plan, clipSamples);
      assertSynchronous(plan);
      assertThat(plan.videoStartFrame()).isEqualTo(plan.videoViewStart(1));
      assertThat(plan.videoFrameCount()).isEqualTo(plan.videoViewStart(2) + 8 - plan.videoStartFrame());
    }
  }

  @Test
  void mixedPlacesThePairsIndependentlyAnywhere() {
    SamplingSettings mixed = PAPER.withRelaxation(RelaxationMode.MIXED);
    int secondFirst = 0;
    int overlapping = 0;
    for (int i = 0; i < 2000; i++) {
      ViewPlan plan = plan(mixed, CLIP, i);
      assertInsideClip(plan, CLIP_SAMPLES);
      assertSynchronous(plan);
      assertThat(Math.min(plan.audioOffsets().get(0), plan.audioOffsets().get(1))).isZero();
      assertThat(Math.min(plan.videoOffsets().get(0), plan.videoOffsets().get(1))).isZero();
      if (plan.audioViewStart(2) < plan.audioViewStart(1)) {
        secondFirst++;
      }
      if (overlap(plan.audioViewStart(1), plan.audioViewStart(2), 32_000) > 0) {
        overlapping++;
      }
    }
    assertThat(secondFirst / 2000.0).isBetween(0.45, 0.55);
    // Two 2 s segments in [0, 10 s] overlap with probability 1 - (6/8)^2 = 0.4375.
    assertThat(overlapping / 2000.0).isBetween(0.40, 0.48);
  }

  @Test
  void audioPlacementIsUniformOverTheClip() {
    int bins = 8;
    int[] counts = new int[bins];
    int draws = 16_000;
    long range = CLIP_SAMPLES - 48_000 + 1;
    for (int i = 0; i < draws; i++) {
      counts[(int) (plan(PAPER, CLIP, i).audioStartSample() * bins / range)]++;
    }
    for (int count : counts) {
      assertThat(count).isBetween(draws / bins * 85 / 100, draws / bins * 115 / 100);
    }
  }

  @Test
  void videoPlacementIsUniformOverItsFramePositions() {
    // In a clip of exactly 3 s the mild audio window is fixed at 0 and the video window may start at frames
    // 12..24 (0.75 s to 1.5 s): 13 positions, all equally likely.
    int[] counts = new int[13];
    int draws = 13_000;
    for (int i = 0; i < draws; i++) {
      ViewPlan plan = plan(PAPER, 3.0, i);
      assertThat(plan.audioStartSample()).isZero();
      counts[plan.videoStartFrame() - 12]++;
    }
    for (int count : counts) {
      assertThat(count).isBetween(800, 1200);
    }
  }

  @Test
  void sameSeedSamePlanOtherSeedOtherPlan() {
    SampleRandom a = SampleRandom.forSample(42, 3, 17);
    SampleRandom b = SampleRandom.forSample(42, 3, 17);
    ViewSampler sampler = new ViewSampler(PAPER);
    assertThat(sampler.plan(CLIP, true, a)).isEqualTo(sampler.plan(CLIP, true, b));
    // plan() only forks the generator, so asking twice gives the same answer.
    assertThat(sampler.plan(CLIP, true, a)).isEqualTo(sampler.plan(CLIP, true, a));
    long distinct = java.util.stream.IntStream.range(0, 50)
        .mapToObj(i -> sampler.plan(60.0, true, SampleRandom.forSample(42, 3, i))).distinct().count();
    assertThat(distinct).isGreaterThan(45);
  }

  @Test
  void audioOnlyPlansKeepTheSameAudioViews() {
    for (RelaxationMode mode : RelaxationMode.values()) {
      ViewSampler sampler = new ViewSampler(PAPER.withRelaxation(mode));
      for (int i = 0; i < 50; i++) {
        ViewPlan both = (ViewPlan) sampler.plan(CLIP, true, SampleRandom.forSample(1, 0, i));
        ViewPlan audioOnly = (ViewPlan) sampler.plan(CLIP, false, SampleRandom.forSample(1, 0, i));
        assertThat(audioOnly.hasVideo()).isFalse();
        assertThat(audioOnly.videoFrameCount()).isZero();
        assertThat(audioOnly.audioViewStart(1)).isEqualTo(both.audioViewStart(1));
        assertThat(audioOnly.audioViewStart(2)).isEqualTo(both.audioViewStart(2));
        assertThat(audioOnly.audioSampleCount()).isEqualTo(both.audioSampleCount());
      }
    }
  }

  @Test
  void clipsShorterThanTheModesWindowAreTooShort() {
    assertTooShort(RelaxationMode.NONE, 1.999, 2.0);
    assertTooShort(RelaxationMode.MIXED, 1.999, 2.0);
    assertTooShort(RelaxationMode.MILD, 2.999, 3.0);
    assertTooShort(RelaxationMode.MEDIUM, 3.999, 4.0);
    assertTooShort(RelaxationMode.EXTREME, 3.999, 4.0);
    for (RelaxationMode mode : RelaxationMode.values()) {
      ViewSampler sampler = new ViewSampler(PAPER.withRelaxation(mode));
      double needed = sampler.neededSamples() / 16000.0;
      assertThat(sampler.plan(needed, true, SampleRandom.of(5))).isInstanceOf(ViewPlan.class);
      assertThat(sampler.plan(0.0, true, SampleRandom.of(5))).isInstanceOf(SamplingOutcome.TooShort.class);
    }
    SamplingOutcome.TooShort tooShort = (SamplingOutcome.TooShort) new ViewSampler(PAPER)
        .plan(2.5, true, SampleRandom.of(1));
    assertThat(tooShort.reason()).isEqualTo(SkipReason.TOO_SHORT);
    assertThat(tooShort.detail()).contains("2.500 s").contains("3.000 s").contains("mild");
  }

  @Test
  void aClipOfExactlyTheWindowIsUsedWhole() {
    ViewPlan plan = plan(PAPER.withRelaxation(RelaxationMode.MEDIUM), 4.0, 9);
    assertThat(plan.audioStartSample()).isZero();
    assertThat(plan.videoStartFrame()).isEqualTo(24);
    assertThat(plan.videoViewStart(2)).isEqualTo(32);
  }

  @Test
  void viewsAreCutFromTheDecodedWindows() {
    ViewPlan plan = plan(PAPER, CLIP, 11);
    float[] rgb = new float[12 * 2 * 2 * 3];
    double[] times = new double[12];
    for (int f = 0; f < 12; f++) {
      times[f] = (plan.videoStartFrame() + f) / 16.0;
      java.util.Arrays.fill(rgb, f * 12, (f + 1) * 12, f);
    }
    var window = new crisscross.pipeline.media.VideoFrames(12, 2, 2, rgb, times);
    assertThat(plan.videoView(window, 1).rgb()[0]).isEqualTo(0f);
    assertThat(plan.videoView(window, 2).rgb()[0]).isEqualTo(4f);
    assertThat(plan.videoView(window, 2).timestamps()[0]).isEqualTo(plan.videoViewStart(2) / 16.0);
    float[] samples = new float[48_000];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = i;
    }
    var audio = new crisscross.pipeline.media.AudioSamples(samples, 16000, plan.audioStartSample() / 16000.0);
    assertThat(plan.audioView(audio, 2).samples()).hasSize(32_000).startsWith(16_000f);
    assertThatThrownBy(() -> plan.videoView(window.slice(0, 10), 1)).hasMessageContaining("10 frames");
  }

  @Test
  void badSettingsNameTheirKey() {
    assertThatThrownBy(() -> SamplingSettings.from(ConfigLoader.load(List.of(),
        List.of("sampling.relaxation=severe"))))
        .isInstanceOf(ConfigError.class).hasMessageContaining("sampling.relaxation");
    assertThatThrownBy(() -> SamplingSettings.from(ConfigLoader.load(List.of(),
        List.of("sampling.video-fps=30"))))
        .isInstanceOf(ConfigError.class).hasMessageContaining("sampling.video-fps").hasMessageContaining("16000");
    assertThatThrownBy(() -> SamplingSettings.from(ConfigLoader.load(List.of(),
        List.of("sampling.audio-view-seconds=0.25"))))
        .isInstanceOf(ConfigError.class).hasMessageContaining("sampling.audio-view-seconds");
    assertThatThrownBy(() -> SamplingSettings.from(ConfigLoader.load(List.of(),
        List.of("sampling.mild-overlap=0", "sampling.video-placement=synchronous"))))
        .isInstanceOf(ConfigError.class).hasMessageContaining("sampling.mild-overlap")
        .hasMessageContaining("medium relaxation");
    assertThat(SamplingSettings.from(ConfigLoader.load(List.of(),
        List.of("sampling.mild-overlap=0", "sampling.video-placement=anywhere-in-audio-window"))).mildVideoHop())
        .isEqualTo(8);
    assertThat(SamplingSettings.from(ConfigLoader.load(List.of(),
        List.of("sampling.relaxation=EXTREME", "sampling.video-placement=anywhere-in-audio-window"))))
        .isEqualTo(PAPER.withRelaxation(RelaxationMode.EXTREME)
            .withVideoPlacement(VideoPlacement.ANYWHERE_IN_AUDIO_WINDOW));
  }

  /**
   * Every draw of two clips per modality is the one made before the sampler took clip counts: a digest of 6,000
   * plans over all modes and placements, with and without video, taken from the two-clip sampler of 788154c.
   */
  @Test
  void twoClipPlansAreTheDrawsOfTheTwoClipSampler() throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (RelaxationMode mode : RelaxationMode.values()) {
      for (VideoPlacement placement : VideoPlacement.values()) {
        ViewSampler sampler = new ViewSampler(SamplingSettings.paperDefaults().withRelaxation(mode)
            .withVideoPlacement(placement));
        for (boolean video : new boolean[] {true, false}) {
          for (int i = 0; i < 300; i++) {
            double clip = 4.0 + (i % 7) * 1.37;
            ViewPlan p = (ViewPlan) sampler.plan(clip, new ClipCounts(video ? 2 : 0, 2),
                SampleRandom.forSample(11, 2, i));
            // The placements as 788154c named them, so that the digest stays the one taken there.
            String named = placement == VideoPlacement.SYNCHRONOUS ? "SYNCHRONOUS" : "ANYWHERE";
            String line = mode + " " + named + " " + video + " " + i + ": " + p.videoStartFrame() + " "
                + p.videoFrameCount() + " " + p.audioStartSample() + " " + p.audioSampleCount() + " "
                + (video ? p.videoOffsets().get(0) + "," + p.videoOffsets().get(1) : "") + " "
                + p.audioOffsets().get(0) + "," + p.audioOffsets().get(1) + "\n";
            md.update(line.getBytes(StandardCharsets.UTF_8));
          }
        }
      }
    }
    assertThat(HexFormat.of().formatHex(md.digest()))
        .isEqualTo("d357c8e7c6509d5ae48287ce45443cf5239ba0e58288ba0bb4cf861c18a46322");
  }

  @Test
  void oneClipPerModalityIsOnePairPlacedLikeNoneWhateverTheMode() {
    for (RelaxationMode mode : RelaxationMode.values()) {
      ViewSampler sampler = new ViewSampler(PAPER.withRelaxation(mode));
      ViewSampler none = new ViewSampler(PAPER.withRelaxation(RelaxationMode.NONE));
      assertThat(sampler.neededSamples(1)).isEqualTo(32_000);
      for (int i = 0; i < 200; i++) {
        ViewPlan one = (ViewPlan) sampler.plan(CLIP, new ClipCounts(1, 1), SampleRandom.forSample(7, 0, i));
        ViewPlan reference = (ViewPlan) none.plan(CLIP, true, SampleRandom.forSample(7, 0, i));
        assertThat(one.videoClips()).isEqualTo(1);
        assertThat(one.audioClips()).isEqualTo(1);
        assertThat(one.videoViewStart(1)).isEqualTo(reference.videoViewStart(1));
        assertThat(one.audioViewStart(1)).isEqualTo(reference.audioViewStart(1));
        assertThat(one.videoFrameCount()).isEqualTo(8);
        assertThat(one.audioSampleCount()).isEqualTo(32_000);
        assertThat(synchronous(one)).isTrue();
      }
    }
  }

  @Test
  void mildHopsFromClipToClipForMoreThanTwoClips() {
    ViewSampler sampler = new ViewSampler(PAPER.withVideoPlacement(VideoPlacement.ANYWHERE_IN_AUDIO_WINDOW));
    ClipCounts three = new ClipCounts(3, 3);
    assertThat(sampler.refusal(three)).isEmpty();
    assertThat(sampler.neededSamples(3)).isEqualTo(32_000 + 2 * 16_000);
    for (int i = 0; i < 500; i++) {
      ViewPlan plan = (ViewPlan) sampler.plan(CLIP, three, SampleRandom.forSample(7, 0, i));
      assertThat(plan.audioOffsets()).containsExactly(0, 16_000, 32_000);
      assertThat(plan.videoOffsets()).containsExactly(0, 4, 8);
      assertThat(plan.audioSampleCount()).isEqualTo(64_000);
      assertThat(plan.videoFrameCount()).isEqualTo(16);
      assertInsideClip(plan, CLIP_SAMPLES);
      assertThat((long) plan.videoStartFrame() * SPF).isBetween((long) plan.audioStartSample(),
          (long) plan.audioStartSample() + 64_000 - 16_000);
    }
    // Synchronous placement: each clip's video drifts hA - hV = 12,000 samples against its audio, and the 24,000
    // samples of play are used up by three clips (no frame boundary is left for most audio starts).
    ViewSampler synchronous = new ViewSampler(PAPER);
    assertThat(synchronous.refusal(new ClipCounts(2, 2))).isEmpty();
    assertThat(synchronous.refusal(three)).get().asString().contains("3 video and 3 audio clips")
        .contains("less than one frame");
    assertThat(synchronous.refusal(new ClipCounts(0, 3))).isEmpty();
    SamplingSettings quarter = new SamplingSettings(RelaxationMode.MILD, 16, 8, 16000, 32000, 0.75,
        VideoPlacement.SYNCHRONOUS);
    ViewSampler near = new ViewSampler(quarter);
    for (int i = 0; i < 300; i++) {
      ViewPlan plan = (ViewPlan) near.plan(CLIP, new ClipCounts(4, 4), SampleRandom.forSample(7, 0, i));
      assertThat(plan.audioOffsets()).containsExactly(0, 8_000, 16_000, 24_000);
      assertThat(plan.videoOffsets()).containsExactly(0, 2, 4, 6);
      assertThat(synchronous(plan)).as("v_i inside a_i: %s", plan).isTrue();
    }
  }

  @Test
  void extremeSplitsTheClipIntoOnePartPerPair() {
    ViewSampler sampler = new ViewSampler(PAPER.withRelaxation(RelaxationMode.EXTREME));
    ClipCounts four = new ClipCounts(4, 4);
    assertThat(sampler.neededSamples(4)).isEqualTo(4 * 32_000);
    for (int i = 0; i < 500; i++) {
      ViewPlan plan = (ViewPlan) sampler.plan(CLIP, four, SampleRandom.forSample(7, 0, i));
      for (int clip = 1; clip <= 4; clip++) {
        long part = CLIP_SAMPLES * (clip - 1) / 4;
        assertThat((long) plan.audioViewStart(clip)).isBetween(part, part + CLIP_SAMPLES / 4 - 32_000);
      }
      assertInsideClip(plan, CLIP_SAMPLES);
      assertThat(synchronous(plan)).isTrue();
    }
    assertThat(sampler.plan(7.9, four, SampleRandom.of(1))).isInstanceOf(SamplingOutcome.TooShort.class);
  }

  @Test
  void mediumLaysClipsEndToEndAndSynchronousMediumKeepsToTwo() {
    ViewSampler anywhere = new ViewSampler(PAPER.withRelaxation(RelaxationMode.MEDIUM)
        .withVideoPlacement(VideoPlacement.ANYWHERE_IN_AUDIO_WINDOW));
    for (int i = 0; i < 300; i++) {
      ViewPlan plan = (ViewPlan) anywhere.plan(CLIP, new ClipCounts(3, 3), SampleRandom.forSample(7, 0, i));
      assertThat(plan.audioOffsets()).containsExactly(0, 32_000, 64_000);
      assertThat(plan.videoOffsets()).containsExactly(0, 8, 16);
      assertInsideClip(plan, CLIP_SAMPLES);
      assertThat((long) plan.videoStartFrame() * SPF).isBetween((long) plan.audioStartSample(),
          (long) plan.audioStartSample() + 96_000 - 24_000);
    }
    ViewSampler synchronous = new ViewSampler(PAPER.withRelaxation(RelaxationMode.MEDIUM));
    assertThat(synchronous.refusal(new ClipCounts(3, 3))).get().asString().contains("medium")
        .contains("sampling.video-placement");
    assertThatThrownBy(() -> synchronous.plan(CLIP, new ClipCounts(3, 3), SampleRandom.of(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shared view boundary");
  }

  @Test
  void mixedPlacesEveryPairIndependently() {
    ViewSampler sampler = new ViewSampler(PAPER.withRelaxation(RelaxationMode.MIXED));
    java.util.Set<Long> gaps = new java.util.HashSet<>();
    for (int i = 0; i < 300; i++) {
      ViewPlan plan = (ViewPlan) sampler.plan(CLIP, new ClipCounts(3, 3), SampleRandom.forSample(7, 0, i));
      assertInsideClip(plan, CLIP_SAMPLES);
      assertThat(synchronous(plan)).isTrue();
      gaps.add((long) plan.audioViewStart(3) - plan.audioViewStart(2));
    }
    assertThat(gaps).hasSizeGreaterThan(250);
  }

  @Test
  void aModalityWithFewerClipsGetsTheFirstOnesAndASmallerWindow() {
    ViewSampler sampler = new ViewSampler(PAPER);
    for (int i = 0; i < 200; i++) {
      SampleRandom random = SampleRandom.forSample(7, 0, i);
      ViewPlan both = (ViewPlan) sampler.plan(CLIP, new ClipCounts(2, 2), random);
      ViewPlan oneVideo = (ViewPlan) sampler.plan(CLIP, new ClipCounts(1, 2), random);
      assertThat(oneVideo.videoClips()).isEqualTo(1);
      assertThat(oneVideo.videoFrameCount()).isEqualTo(8);
      assertThat(oneVideo.videoViewStart(1)).isEqualTo(both.videoViewStart(1));
      assertThat(oneVideo.audioOffsets()).isEqualTo(both.audioOffsets());
      ViewPlan audioOnly = (ViewPlan) sampler.plan(CLIP, new ClipCounts(0, 2), random);
      assertThat(audioOnly.hasVideo()).isFalse();
      assertThat(audioOnly.audioViewStart(2)).isEqualTo(both.audioViewStart(2));
    }
    assertThatThrownBy(() -> new ClipCounts(0, 0)).hasMessageContaining("video, audio or both");
  }

  private static ViewPlan plan(SamplingSettings settings, double clipSeconds, int sample) {
    SamplingOutcome outcome = new ViewSampler(settings).plan(clipSeconds, true,
        SampleRandom.forSample(7, 0, sample));
    assertThat(outcome).isInstanceOf(ViewPlan.class);
    return (ViewPlan) outcome;
  }

  private static void assertTooShort(RelaxationMode mode, double clip, double needed) {
    SamplingOutcome outcome = new ViewSampler(PAPER.withRelaxation(mode)).plan(clip, true, SampleRandom.of(3));
    assertThat(outcome).isInstanceOf(SamplingOutcome.TooShort.class);
    assertThat(((SamplingOutcome.TooShort) outcome).neededSeconds()).isEqualTo(needed);
  }

  private static long overlap(long start1, long start2, long length) {
    return Math.max(0, Math.min(start1, start2) + length - Math.max(start1, start2));
  }

  private static void assertInsideClip(ViewPlan plan, long clipSamples) {
    assertThat(plan.audioStartSample()).isGreaterThanOrEqualTo(0);
    assertThat((long) plan.audioStartSample() + plan.audioSampleCount()).isLessThanOrEqualTo(clipSamples);
    assertThat(plan.videoStartFrame()).isGreaterThanOrEqualTo(0);
    assertThat((long) (plan.videoStartFrame() + plan.videoFrameCount()) * SPF).isLessThanOrEqualTo(clipSamples);
  }

  private static void assertSynchronous(ViewPlan plan) {
    assertThat(synchronous(plan)).as("v_i inside a_i: %s", plan).isTrue();
  }

  private static boolean synchronous(ViewPlan plan) {
    for (int view = 1; view <= plan.videoClips(); view++) {
      long videoStart = (long) plan.videoViewStart(view) * SPF;
      long videoEnd = videoStart + (long) plan.framesPerView() * SPF;
      long audioStart = plan.audioViewStart(view);
      if (videoStart < audioStart || videoEnd > audioStart + plan.audioViewSamples()) {
        return false;
      }
    }
    return true;
  }
}
