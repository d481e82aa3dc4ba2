package crisscross.pipeline.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.audio.AudioSettings;
import crisscross.pipeline.audio.LogMelStatistics;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.media.VideoFrames;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.sample.RelaxationMode;
import crisscross.pipeline.sample.SamplingSettings;
import crisscross.pipeline.sample.ViewPlan;
import crisscross.pipeline.sample.ViewSampler;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SampleAugmenterTest {
  private static final Settings DEFAULTS = ConfigLoader.load(List.of(), List.of());
  private static final VideoAugmenter VIDEO = new VideoAugmenter(VideoAugmentSettings.from(DEFAULTS));
  private static final AudioAugmenter AUDIO = new AudioAugmenter(AudioSettings.from(DEFAULTS),
      AudioAugmentSettings.from(DEFAULTS).withDatasetStatistics(new LogMelStatistics(-5.0, 4.0)));

  @Test
  void eachViewIsCutByThePlanAndAugmentedWithItsOwnDraws() {
    ViewPlan plan = (ViewPlan) new ViewSampler(SamplingSettings.from(DEFAULTS)).plan(5.0, true,
        SampleRandom.of(2));
    VideoFrames video = VideoAugmenterTest.movingClip(plan.videoFrameCount(), 32, 40, 1);
    AudioSamples audio = new AudioSamples(AudioAugmenterTest.testSignal(plan.audioSampleCount(), 3), 16000,
        plan.audioStartSample() / 16000.0);
    SampleRandom random = SampleRandom.forSample(42, 0, 9);
    SampleAugmenter.Views views = new SampleAugmenter(VIDEO, AUDIO).apply(plan, Optional.of(video), audio, random);
    assertThat(views.video().get(0)).isEqualTo(VIDEO.apply(video.slice(0, 8), random.fork("view1.video")));
    assertThat(views.video().get(1)).isEqualTo(VIDEO.apply(video.slice(4, 12), random.fork("view2.video")));
    assertThat(views.audio().get(0)).isEqualTo(AUDIO.apply(audio.slice(0, 32_000), random.fork("view1.audio")));
    assertThat(views.audio().get(1)).isEqualTo(AUDIO.apply(audio.slice(16_000, 48_000), random.fork("view2.audio")));
  }

  @Test
  void viewsOfTheSameWindowStillGetIndependentAugmentations() {
    SamplingSettings none = SamplingSettings.from(DEFAULTS).withRelaxation(RelaxationMode.NONE);
    ViewPlan plan = (ViewPlan) new ViewSampler(none).plan(2.0, true, SampleRandom.of(1));
    VideoFrames video = VideoAugmenterTest.movingClip(8, 32, 40, 1);
    AudioSamples audio = new AudioSamples(AudioAugmenterTest.testSignal(32_000, 3), 16000, 0);
    SampleAugmenter.Views views = new SampleAugmenter(VIDEO, AUDIO).apply(plan, Optional.of(video), audio,
        SampleRandom.of(5));
    assertThat(views.video().get(0)).isNotEqualTo(views.video().get(1));
    assertThat(views.audio().get(0)).isNotEqualTo(views.audio().get(1));
  }

  @Test
  void audioOnlyPlansNeedNoVideo() {
    ViewPlan plan = (ViewPlan) new ViewSampler(SamplingSettings.from(DEFAULTS)).plan(3.0, false,
        SampleRandom.of(1));
    AudioSamples audio = new AudioSamples(AudioAugmenterTest.testSignal(48_000, 3), 16000, 0);
    SampleAugmenter.Views views = new SampleAugmenter(VIDEO, AUDIO).apply(plan, Optional.empty(), audio,
        SampleRandom.of(5));
    assertThat(views.video()).isEmpty();
    assertThat(views.audio().get(1)).hasSize(80 * 200);
    ViewPlan withVideo = (ViewPlan) new ViewSampler(SamplingSettings.from(DEFAULTS)).plan(3.0, true,
        SampleRandom.of(1));
    assertThatThrownBy(() -> new SampleAugmenter(VIDEO, AUDIO).apply(withVideo, Optional.empty(), audio,
        SampleRandom.of(5))).hasMessageContaining("no video was decoded");
  }
}
