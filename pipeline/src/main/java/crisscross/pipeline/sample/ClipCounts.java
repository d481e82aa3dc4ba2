package crisscross.pipeline.sample;

/**
 * The clips a method trains on per sample. {@code video} and {@code audio} clips of the pairs (0: the modality is
 * not used): clip {@code i} of video and clip {@code i} of audio form the sample's {@code i}-th audio-visual pair,
 * placed by the relaxation mode (the method's own {@code relaxation} where it names one, else
 * {@code sampling.relaxation}); a method may ask for fewer clips of one modality than of the other. After them come
 * the {@link PlaybackClips} of each modality, numbered on.
 */
public record ClipCounts(int video, int audio, PlaybackClips playback,
    java.util.Optional<RelaxationMode> relaxation) {
  /** The paper's two clips of each modality (§3: t1 and t2). */
  public static final ClipCounts PAIR_OF_EACH = new ClipCounts(2, 2);

  public ClipCounts(int video, int audio) {
    this(video, audio, PlaybackClips.NONE, java.util.Optional.empty());
  }

  public ClipCounts {
    if (playback == null || relaxation == null) {
      throw new IllegalArgumentException("clip counts need playback clips (PlaybackClips.NONE) and a relaxation "
          + "(empty: the configured one)");
    }
    if ((playback.video() > 0 && video == 0) || (playback.audio() > 0 && audio == 0)) {
      throw new IllegalArgumentException("playback clips of a modality the pairs do not use: " + playback);
    }
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

  /** These clips under the configured relaxation ({@code sampling.relaxation}). */
  public ClipCounts withConfiguredRelaxation() {
    return new ClipCounts(video, audio, playback, java.util.Optional.empty());
  }

  /** Video clips cut per sample: the pairs' and the playback clips. */
  public int videoClips() {
    return video + playback.video();
  }

  /** Audio clips cut per sample: the pairs' and the playback clips. */
  public int audioClips() {
    return audio + playback.audio();
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
    String pairs = video + " video and " + audio + " audio clip" + (audio == 1 ? "" : "s");
    return playback.isEmpty() ? pairs : pairs + " + " + playback.video() + " video and " + playback.audio()
        + " audio clips at speeds " + playback.speeds() + (playback.reverse() ? ", forward or reversed" : "");
  }
}
