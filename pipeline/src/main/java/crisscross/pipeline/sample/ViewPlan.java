package crisscross.pipeline.sample;

import crisscross.pipeline.media.AudioSamples;
import crisscross.pipeline.media.VideoFrames;

/**
 * Where the two views of one sample are cut, in whole units of the target grids: frames of the
 * {@code sampling.video-fps} grid counted from t = 0 and samples of the {@code sampling.audio-sample-rate} grid
 * counted from t = 0. Both views of both modalities come from one decode window per modality; the offsets
 * place each view inside its window.
 *
 * @param videoStartFrame first frame of the video decode window
 * @param videoFrameCount frames in the video decode window; 0 when video is not needed
 * @param audioStartSample first sample of the audio decode window
 * @param audioSampleCount samples in the audio decode window
 * @param v1Offset first frame of video view 1, relative to {@code videoStartFrame}
 * @param v2Offset first frame of video view 2, relative to {@code videoStartFrame}
 * @param a1Offset first sample of audio view 1, relative to {@code audioStartSample}
 * @param a2Offset first sample of audio view 2, relative to {@code audioStartSample}
 * @param framesPerView frames in each video view
 * @param audioViewSamples samples in each audio view
 */
public record ViewPlan(RelaxationMode mode, int videoStartFrame, int videoFrameCount, int audioStartSample,
    int audioSampleCount, int v1Offset, int v2Offset, int a1Offset, int a2Offset, int framesPerView,
    int audioViewSamples) implements SamplingOutcome {

  public ViewPlan {
    if (videoStartFrame < 0 || audioStartSample < 0 || videoFrameCount < 0 || audioSampleCount < 1) {
      throw new IllegalArgumentException("negative or empty window: " + windowsText(videoStartFrame,
          videoFrameCount, audioStartSample, audioSampleCount));
    }
    if (videoFrameCount > 0) {
      requireInside("video view 1", v1Offset, framesPerView, videoFrameCount);
      requireInside("video view 2", v2Offset, framesPerView, videoFrameCount);
    } else if (v1Offset != 0 || v2Offset != 0) {
      throw new IllegalArgumentException("video offsets without a video window");
    }
    requireInside("audio view 1", a1Offset, audioViewSamples, audioSampleCount);
    requireInside("audio view 2", a2Offset, audioViewSamples, audioSampleCount);
  }

  public boolean hasVideo() {
    return videoFrameCount > 0;
  }

  /** First frame of video view {@code view} (1 or 2) on the frame grid. */
  public int videoViewStart(int view) {
    return videoStartFrame + (checkView(view) == 1 ? v1Offset : v2Offset);
  }

  /** First sample of audio view {@code view} (1 or 2) on the sample grid. */
  public int audioViewStart(int view) {
    return audioStartSample + (checkView(view) == 1 ? a1Offset : a2Offset);
  }

  /** Video view {@code view} (1 or 2) cut out of the decoded window (which must hold the whole window). */
  public VideoFrames videoView(VideoFrames window, int view) {
    if (!hasVideo()) {
      throw new IllegalStateException("this plan has no video window");
    }
    if (window.frames() != videoFrameCount) {
      throw new IllegalArgumentException("decoded video window has " + window.frames() + " frames, the plan "
          + "asked for " + videoFrameCount);
    }
    int from = checkView(view) == 1 ? v1Offset : v2Offset;
    return window.slice(from, from + framesPerView);
  }

  /** Audio view {@code view} (1 or 2) cut out of the decoded window (which must hold the whole window). */
  public AudioSamples audioView(AudioSamples window, int view) {
    if (window.samples().length != audioSampleCount) {
      throw new IllegalArgumentException("decoded audio window has " + window.samples().length + " samples, the "
          + "plan asked for " + audioSampleCount);
    }
    int from = checkView(view) == 1 ? a1Offset : a2Offset;
    return window.slice(from, from + audioViewSamples);
  }

  private static int checkView(int view) {
    if (view != 1 && view != 2) {
      throw new IllegalArgumentException("view must be 1 or 2: " + view);
    }
    return view;
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
