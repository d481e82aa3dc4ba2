package crisscross.pipeline.sample;

/**
 * Where a clip comes from in its source and how it is played: the labels of the temporal pretext tasks (speed and
 * direction from {@link #playback}, order from the start times of two clips).
 *
 * @param startSeconds time of the first source frame or sample the clip covers
 * @param spanSeconds source time the clip covers (a 4x clip covers four times its playing time)
 */
public record ClipTiming(Playback playback, double startSeconds, double spanSeconds) {
  public ClipTiming {
    if (playback == null || !(startSeconds >= 0) || !(spanSeconds > 0)) {
      throw new IllegalArgumentException("a clip timing needs a playback, a start >= 0 and a positive span: "
          + playback + " " + startSeconds + " " + spanSeconds);
    }
  }

  public double endSeconds() {
    return startSeconds + spanSeconds;
  }

  /** Whether this clip's source span ends before {@code other}'s begins (no overlap). */
  public boolean endsBefore(ClipTiming other) {
    return endSeconds() <= other.startSeconds + 1e-9;
  }
}
