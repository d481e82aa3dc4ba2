package crisscross.pipeline.augment;

import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.media.VideoFrames;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.sample.ViewPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The encoder inputs of one sample: its decoded windows cut into clips by the {@link ViewPlan} and each clip
 * augmented with its own draws (forks {@code view1.video}, {@code view2.video}, ..., {@code view1.audio}, ... of the
 * sample's generator), so that two clips of a modality get independent augmentations even when they cover the same
 * frames, as in the authors' code.
 */
public final class SampleAugmenter {
  private final VideoAugmenter video;
  private final AudioAugmenter audio;

  /**
   * @param video one {@code float[3][T][S][S]} per video clip, in clip order; empty when the plan has no video
   * @param audio one {@code float[1][bands][frames]} per audio clip; empty when no audio was decoded
   */
  public record Views(List<float[]> video, List<float[]> audio) {
    public Views {
      video = List.copyOf(video);
      audio = List.copyOf(audio);
    }
  }

  public SampleAugmenter(VideoAugmenter video, AudioAugmenter audio) {
    this.video = video;
    this.audio = audio;
  }

  /** The plan's video clips and all its audio clips (one per pair, then the playback clips). */
  public Views apply(ViewPlan plan, Optional<VideoFrames> videoWindow, AudioSamples audioWindow,
      SampleRandom random) {
    return apply(plan, videoWindow, Optional.of(audioWindow), plan.audioPairClips(), random);
  }

  /**
   * The plan's video clips, its first {@code audioClips} pairs' audio clips and its audio playback clips; no audio
   * when {@code audioWindow} is empty (video-only methods on silent videos).
   */
  public Views apply(ViewPlan plan, Optional<VideoFrames> videoWindow, Optional<AudioSamples> audioWindow,
      int audioClips, SampleRandom random) {
    List<Integer> audioUsed = plan.audioClipsUsed(audioClips);
    List<float[]> videoViews = new ArrayList<>();
    if (plan.hasVideo()) {
      VideoFrames frames = videoWindow.orElseThrow(() -> new IllegalArgumentException(
          "the plan has a video window of " + plan.videoFrameCount() + " frames but no video was decoded"));
      for (int clip = 1; clip <= plan.videoClips(); clip++) {
        videoViews.add(video.apply(plan.videoView(frames, clip), random.fork("view" + clip + ".video")));
      }
    }
    List<float[]> audioViews = new ArrayList<>();
    if (audioWindow.isPresent()) {
      for (int clip : audioUsed) {
        audioViews.add(audio.apply(plan.audioView(audioWindow.get(), clip), random.fork("view" + clip + ".audio")));
      }
    }
    return new Views(videoViews, audioViews);
  }
}
