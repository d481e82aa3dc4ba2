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
 * @param videoPlaybacks the {@link PlaybackClips} of video, numbered after the pairs' video clips
 * @param audioPlaybacks the {@link PlaybackClips} of audio, numbered after every pair's audio clip
 */
public record ViewPlan(RelaxationMode mode, int videoStartFrame, int videoFrameCount, int audioStartSample,
    int audioSampleCount, List<Integer> videoOffsets, List<Integer> audioOffsets, int framesPerView,
    int audioViewSamples, List<PlaybackClip> videoPlaybacks, List<PlaybackClip> audioPlaybacks)
    implements SamplingOutcome {

  /**
   * A clip played at its own speed and direction.
   *
   * @param offset its first source frame or sample, relative to the start of its modality's decode window
   */
  public record PlaybackClip(int offset, Playback playback) {}

  /** A plan of the pairs alone. */
  public ViewPlan(RelaxationMode mode, int videoStartFrame, int videoFrameCount, int audioStartSample,
      int audioSampleCount, List<Integer> videoOffsets, List<Integer> audioOffsets, int framesPerView,
      int audioViewSamples) {
    this(mode, videoStartFrame, videoFrameCount, audioStartSample, audioSampleCount, videoOffsets, audioOffsets,
        framesPerView, audioViewSamples, List.of(), List.of());
  }

  public ViewPlan {
    videoOffsets = List.copyOf(videoOffsets);
    audioOffsets = List.copyOf(audioOffsets);
    videoPlaybacks = List.copyOf(videoPlaybacks);
    audioPlaybacks = List.copyOf(audioPlaybacks);
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
    if (!videoPlaybacks.isEmpty() && videoOffsets.isEmpty()) {
      throw new IllegalArgumentException("video playback clips need the pairs' video window");
    }
    for (int i = 0; i < videoPlaybacks.size(); i++) {
      PlaybackClip c = videoPlaybacks.get(i);
      requireInside("video clip " + (videoOffsets.size() + i + 1) + " (" + c.playback() + ")", c.offset(),
          Math.toIntExact(c.playback().videoSpan(framesPerView)), videoFrameCount);
    }
    for (int i = 0; i < audioPlaybacks.size(); i++) {
      PlaybackClip c = audioPlaybacks.get(i);
      requireInside("audio clip " + (audioOffsets.size() + i + 1) + " (" + c.playback() + ")", c.offset(),
          Math.toIntExact(c.playback().audioSpan(audioViewSamples)), audioSampleCount);
    }
  }

  public boolean hasVideo() {
    return videoFrameCount > 0;
  }

  /** Video clips this plan cuts: the pairs' and the playback clips. */
  public int videoClips() {
    return videoOffsets.size() + videoPlaybacks.size();
  }

  /** Audio clips this plan can cut: one per pair, then the playback clips. */
  public int audioClips() {
    return audioOffsets.size() + audioPlaybacks.size();
  }

  /** Audio clips of the pairs (one per pair). */
  public int audioPairClips() {
    return audioOffsets.size();
  }

  /**
   * The plan's numbers of the audio clips a method using the first {@code pairClips} pairs' audio clips trains on,
   * in the order it receives them: those pairs' clips, then the playback clips.
   */
  public List<Integer> audioClipsUsed(int pairClips) {
    if (pairClips > audioPairClips()) {
      throw new IllegalArgumentException(pairClips + " audio clips asked of a plan with " + audioPairClips()
          + " pairs");
    }
    List<Integer> used = new java.util.ArrayList<>();
    for (int clip = 1; clip <= pairClips; clip++) {
      used.add(clip);
    }
    for (int clip = audioPairClips() + 1; clip <= audioClips(); clip++) {
      used.add(clip);
    }
    return List.copyOf(used);
  }

  /** First frame of video clip {@code clip} (from 1) on the frame grid. */
  public int videoViewStart(int clip) {
    return videoStartFrame + videoOffset(checkClip("video", clip, videoClips()));
  }

  /** First sample of audio clip {@code clip} (from 1) on the sample grid. */
  public int audioViewStart(int clip) {
    return audioStartSample + audioOffset(checkClip("audio", clip, audioClips()));
  }

  /** How video clip {@code clip} (from 1) plays: as recorded for the pairs' clips. */
  public Playback videoPlayback(int clip) {
    int i = checkClip("video", clip, videoClips()) - 1 - videoOffsets.size();
    return i < 0 ? Playback.NORMAL : videoPlaybacks.get(i).playback();
  }

  /** How audio clip {@code clip} (from 1) plays: as recorded for the pairs' clips. */
  public Playback audioPlayback(int clip) {
    int i = checkClip("audio", clip, audioClips()) - 1 - audioOffsets.size();
    return i < 0 ? Playback.NORMAL : audioPlaybacks.get(i).playback();
  }

  /** Source span and playback of video clip {@code clip} on a grid of {@code fps} frames per second. */
  public ClipTiming videoTiming(int clip, int fps) {
    return new ClipTiming(videoPlayback(clip), videoViewStart(clip) / (double) fps,
        videoPlayback(clip).videoSpan(framesPerView) / (double) fps);
  }

  /** Source span and playback of audio clip {@code clip} on a grid of {@code rate} samples per second. */
  public ClipTiming audioTiming(int clip, int rate) {
    return new ClipTiming(audioPlayback(clip), audioViewStart(clip) / (double) rate,
        audioPlayback(clip).audioSpan(audioViewSamples) / (double) rate);
  }

  private int videoOffset(int clip) {
    return clip <= videoOffsets.size() ? videoOffsets.get(clip - 1)
        : videoPlaybacks.get(clip - 1 - videoOffsets.size()).offset();
  }

  private int audioOffset(int clip) {
    return clip <= audioOffsets.size() ? audioOffsets.get(clip - 1)
        : audioPlaybacks.get(clip - 1 - audioOffsets.size()).offset();
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
    int from = videoOffset(checkClip("video", clip, videoClips()));
    Playback playback = videoPlayback(clip);
    return playback.equals(Playback.NORMAL) ? window.slice(from, from + framesPerView)
        : playback.cut(window, from, framesPerView);
  }

  /** Audio clip {@code clip} (from 1) cut out of the decoded window (which must hold the whole window). */
  public AudioSamples audioView(AudioSamples window, int clip) {
    if (window.samples().length != audioSampleCount) {
      throw new IllegalArgumentException("decoded audio window has " + window.samples().length + " samples, the "
          + "plan asked for " + audioSampleCount);
    }
    int from = audioOffset(checkClip("audio", clip, audioClips()));
    Playback playback = audioPlayback(clip);
    return playback.equals(Playback.NORMAL) ? window.slice(from, from + audioViewSamples)
        : playback.cut(window, from, audioViewSamples);
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
