package crisscross.pipeline.sample;

import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.media.VideoFrames;
import java.util.List;

/**
 * Where the clips of one sample are cut, in whole units of the target grids: frames of the
 * {@code sampling.video-fps} grid counted from t = 0 and samples of the {@code sampling.audio-sample-rate} grid
 * counted from t = 0. All clips of a modality come from one decode window; the offsets place each clip inside
 * its window. Clips are numbered from 1 ({@code v1, v2, ...}, {@code a1, a2, ...}).
 *
 * @param videoStartFrame first frame of the video decode window
 * @param videoFrameCount frames in the video decode window; 0 when video is not needed
 * @param audioStartSample first sample of the audio decode window
 * @param audioSampleCount samples in the audio decode window
 * @param videoOffsets first frame of each video clip, relative to {@code videoStartFrame}; empty without video
 * @param audioOffsets first sample of each pair's audio clip, relative to {@code audioStartSample}: one per
 *     audio-visual pair, also where audio is not decoded (audio is the sampler's time reference)
 * @param framesPerView frames in each video clip
 * @param audioViewSamples samples in each audio clip
 */
public record ViewPlan(RelaxationMode mode, int videoStartFrame, int videoFrameCount, int audioStartSample,
    int audioSampleCount, List<Integer> videoOffsets, List<Integer> audioOffsets, int framesPerView,
    int audioViewSamples) implements SamplingOutcome {

  public ViewPlan {
    videoOffsets = List.copyOf(videoOffsets);
    audioOffsets = List.copyOf(audioOffsets);
    if (videoStartFrame < 0 || audioStartSample < 0 || videoFrameCount < 0 || audioSampleCount < 1) {
      throw new IllegalArgumentException("negative or empty window: " + windowsText(videoStartFrame,
          videoFrameCount, audioStartSample, audioSampleCount));
    }
    if (audioOffsets.isEmpty()) {
      throw new IllegalArgumentException("a plan places at least one audio-visual pair");
    }
    if (videoOffsets.size() > audioOffsets.size()) {
      throw new IllegalArgumentException(videoOffsets.size() + " video clips for " + audioOffsets.size()
          + " audio-visual pairs");
    }
    if ((videoFrameCount > 0) != !videoOffsets.isEmpty()) {
      throw new IllegalArgumentException("video clips need a video window and a video window needs clips: "
          + videoOffsets.size() + " clips, window of " + videoFrameCount + " frames");
    }
    for (int i = 0; i < videoOffsets.size(); i++) {
      requireInside("video clip " + (i + 1), videoOffsets.get(i), framesPerView, videoFrameCount);
    }
    for (int i = 0; i < audioOffsets.size(); i++) {
      requireInside("audio clip " + (i + 1), audioOffsets.get(i), audioViewSamples, audioSampleCount);
    }
  }

  public boolean hasVideo() {
    return videoFrameCount > 0;
  }

  /** Video clips this plan cuts. */
  public int videoClips() {
    return videoOffsets.size();
  }

  /** Audio clips this plan can cut (one per pair). */
  public int audioClips() {
    return audioOffsets.size();
  }

  /** First frame of video clip {@code clip} (from 1) on the frame grid. */
  public int videoViewStart(int clip) {
    return videoStartFrame + videoOffsets.get(checkClip("video", clip, videoClips()) - 1);
  }

  /** First sample of audio clip {@code clip} (from 1) on the sample grid. */
  public int audioViewStart(int clip) {
    return audioStartSample + audioOffsets.get(checkClip("audio", clip, audioClips()) - 1);
  }

  /** Video clip {@code clip} (from 1) cut out of the decoded window (which must hold the whole window). */
  public VideoFrames videoView(VideoFrames window, int clip) {
    if (!hasVideo()) {
      throw new IllegalStateException("this plan has no video window");
    }
    if (window.frames() != videoFrameCount) {
      throw new IllegalArgumentException("decoded video window has " + window.frames() + " frames, the plan "
          + "asked for " + videoFrameCount);
    }
    int from = videoOffsets.get(checkClip("video", clip, videoClips()) - 1);
    return window.slice(from, from + framesPerView);
  }

  /** Audio clip {@code clip} (from 1) cut out of the decoded window (which must hold the whole window). */
  public AudioSamples audioView(AudioSamples window, int clip) {
    if (window.samples().length != audioSampleCount) {
      throw new IllegalArgumentException("decoded audio window has " + window.samples().length + " samples, the "
          + "plan asked for " + audioSampleCount);
    }
    int from = audioOffsets.get(checkClip("audio", clip, audioClips()) - 1);
    return window.slice(from, from + audioViewSamples);
  }

  private static int checkClip(String modality, int clip, int clips) {
    if (clip < 1 || clip > clips) {
      throw new IllegalArgumentException(modality + " clip must be 1 to " + clips + ": " + clip);
    }
    return clip;
  }

  private static void requireInside(String what, int offset, int length, int window) {
    if (offset < 0 || length < 1 || offset + length > window) {
      throw new IllegalArgumentException(what + " [" + offset + ", " + (offset + length) + ") is not inside its "
          + "window of " + window);
    }
  }

  private static String windowsText(int videoStart, int videoCount, int audioStart, int audioCount) {
    return "video [" + videoStart + " +" + videoCount + "], audio [" + audioStart + " +" + audioCount + "]";
  }
}
