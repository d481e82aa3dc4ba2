package crisscross.pipeline.media;

/** Why a sample was left out of a batch. Each is counted and logged once per sample. */
public enum SkipReason {
  /** The container or a stream cannot be opened or decoded. */
  UNREADABLE,
  /** An audio stream is needed and the file has none ({@code hasAudio()} false). */
  NO_AUDIO,
  /** A video stream is needed and the file has none. */
  NO_VIDEO,
  /** Fewer video frames decoded than the window asked for (truncated or damaged file). */
  TRUNCATED_VIDEO,
  /** Fewer audio samples decoded than the window asked for (truncated or damaged file). */
  TRUNCATED_AUDIO,
  /** The clip is shorter than the sampling window of the relaxation mode. */
  TOO_SHORT,
  /** Decoding took longer than {@code pipeline.decode-timeout}. */
  TIMEOUT,
  /** The object could not be fetched from storage after all retries. */
  FETCH_FAILED,
  /** A decode failure injected by {@code faults.decode-failure-rate} (drills and tests). */
  INJECTED_FAILURE;

  /**
   * Whether the reason is a property of the file that no later visit can change (no stream, not media, too short
   * for the sampling window), so the file is skipped for the rest of the run without being opened again.
   */
  public boolean permanent() {
    return this == UNREADABLE || this == NO_AUDIO || this == NO_VIDEO || this == TOO_SHORT;
  }

  /** Lower-case name used in metrics labels and logs. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
