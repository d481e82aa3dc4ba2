package crisscross.pipeline.sample;

/**
 * How many clips of each modality a method trains on per sample (0: the modality is not used). Clip {@code i} of
 * video and clip {@code i} of audio form the sample's {@code i}-th audio-visual pair, placed by the relaxation
 * mode; a method may ask for fewer clips of one modality than of the other.
 */
public record ClipCounts(int video, int audio) {
  /** The paper's two clips of each modality (§3: t1 and t2). */
  public static final ClipCounts PAIR_OF_EACH = new ClipCounts(2, 2);

  public ClipCounts {
    if (video < 0 || audio < 0) {
      throw new IllegalArgumentException("clip counts cannot be negative: video " + video + ", audio " + audio);
    }
    if (video == 0 && audio == 0) {
      throw new IllegalArgumentException("a method needs clips of video, audio or both");
    }
  }

  /** Two clips of each modality a method uses, none of one it does not. */
  public static ClipCounts pairs(boolean video, boolean audio) {
    return new ClipCounts(video ? 2 : 0, audio ? 2 : 0);
  }

  public boolean needVideo() {
    return video > 0;
  }

  public boolean needAudio() {
    return audio > 0;
  }

  /** Audio-visual pairs the sampler places: audio is its time reference even where audio is not decoded. */
  public int pairs() {
    return Math.max(video, audio);
  }

  @Override
  public String toString() {
    return video + " video and " + audio + " audio clip" + (audio == 1 ? "" : "s");
  }
}
