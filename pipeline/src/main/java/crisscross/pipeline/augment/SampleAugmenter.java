package crisscross.pipeline.augment;

import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.media.VideoFrames;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.sample.ViewPlan;
import java.util.Optional;

/**
 * The four encoder inputs of one sample: its decoded windows cut into views by the {@link ViewPlan} and each
 * view augmented with its own draws (forks {@code view1.video}, {@code view2.video}, {@code view1.audio},
 * {@code view2.audio} of the sample's generator), so that the two views of a modality get independent
 * augmentations even when they cover the same frames, as in the authors' code.
 */
public final class SampleAugmenter {
  private final VideoAugmenter video;
  private final AudioAugmenter audio;

  /**
   * @param video1 {@code float[3][T][S][S]}, or null when the plan has no video
   * @param audio1 {@code float[1][bands][frames]}
   */
  public record Views(float[] video1, float[] video2, float[] audio1, float[] audio2) {}

  public SampleAugmenter(VideoAugmenter video, AudioAugmenter audio) {
    this.video = video;
    this.audio = audio;
  }

  public Views apply(ViewPlan plan, Optional<VideoFrames> videoWindow, AudioSamples audioWindow,
      SampleRandom random) {
    return apply(plan, videoWindow, Optional.of(audioWindow), random);
  }

  /**
   * As above for objectives that may not need audio (video-only objectives on silent videos): the audio views
   * are null when {@code audioWindow} is empty.
   */
  public Views apply(ViewPlan plan, Optional<VideoFrames> videoWindow, Optional<AudioSamples> audioWindow,
      SampleRandom random) {
    float[] video1 = null;
    float[] video2 = null;
    if (plan.hasVideo()) {
      VideoFrames frames = videoWindow.orElseThrow(() -> new IllegalArgumentException(
          "the plan has a video window of " + plan.videoFrameCount() + " frames but no video was decoded"));
      video1 = video.apply(plan.videoView(frames, 1), random.fork("view1.video"));
      video2 = video.apply(plan.videoView(frames, 2), random.fork("view2.video"));
    }
    float[] audio1 = null;
    float[] audio2 = null;
    if (audioWindow.isPresent()) {
      audio1 = audio.apply(plan.audioView(audioWindow.get(), 1), random.fork("view1.audio"));
      audio2 = audio.apply(plan.audioView(audioWindow.get(), 2), random.fork("view2.audio"));
    }
    return new Views(video1, video2, audio1, audio2);
  }

}
