package crisscross.pipeline.decode;

/**
 * One decode window in integer units of the target grids, so that what the view sampler planned is exactly what
 * comes back: video frame {@code k} is the frame displayed at {@code k / fps} seconds, audio sample {@code j} is
 * the sample at {@code j / sampleRate} seconds, both counted from the start of the file (where its video stream
 * starts, or its audio stream in an audio-only file).
 *
 * <p>Both views of a sample are slices of one request: the decoder opens and seeks the file once for both.
 *
 * @param videoStartFrame index of the first frame on the video grid
 * @param videoFrameCount frames wanted; 0 = no video needed (the video stream is then not decoded at all)
 * @param audioStartSample index of the first sample on the audio grid
 * @param audioSampleCount samples wanted; 0 = no audio needed
 * @param shortSide the decoded frames' short side in pixels (aspect ratio kept)
 */
public record DecodeRequest(long videoStartFrame, int videoFrameCount, long audioStartSample, int audioSampleCount,
    int shortSide) implements DecodePlan {
  public DecodeRequest {
    if (videoStartFrame < 0 || videoFrameCount < 0 || audioStartSample < 0 || audioSampleCount < 0) {
      throw new IllegalArgumentException("negative decode window: video [" + videoStartFrame + " +"
          + videoFrameCount + "], audio [" + audioStartSample + " +" + audioSampleCount + "]");
    }
    if (shortSide < 1) {
      throw new IllegalArgumentException("shortSide must be positive: " + shortSide);
    }
  }

  /** Video frames only. */
  public static DecodeRequest video(long startFrame, int frameCount, int shortSide) {
    return new DecodeRequest(startFrame, frameCount, 0, 0, shortSide);
  }

  /** Audio samples only. */
  public static DecodeRequest audio(long startSample, int sampleCount) {
    return new DecodeRequest(0, 0, startSample, sampleCount, 1);
  }

  public boolean needsVideo() {
    return videoFrameCount > 0;
  }

  public boolean needsAudio() {
    return audioSampleCount > 0;
  }

  /** Time of the first video frame wanted, in seconds. */
  public double videoStartSeconds(int fps) {
    return videoStartFrame / (double) fps;
  }

  /** Time of the first audio sample wanted, in seconds. */
  public double audioStartSeconds(int sampleRate) {
    return audioStartSample / (double) sampleRate;
  }
}
