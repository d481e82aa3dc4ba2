package crisscross.pipeline.sample;

import java.util.List;

/**
 * Clips a method asks for besides its audio-visual pairs, each played at a speed and in a direction drawn per clip
 * (the temporal pretext tasks' inputs). Video and audio clips are drawn and placed independently of each other and
 * of the pairs: each anywhere in the clip where its source span fits. A clip whose drawn speed does not fit falls
 * back to the fastest of {@code speeds} that does ({@link Playback#fitted}), and its timing says so.
 *
 * @param video extra video clips per sample, numbered after the pairs' video clips
 * @param audio extra audio clips per sample, numbered after the pairs' audio clips
 * @param speeds the speeds drawn from, uniformly (each at least 1)
 * @param reverse whether a clip is reversed with probability 1/2 (otherwise always forward)
 */
public record PlaybackClips(int video, int audio, List<Integer> speeds, boolean reverse) {
  /** No extra clips. */
  public static final PlaybackClips NONE = new PlaybackClips(0, 0, List.of(1), false);

  public PlaybackClips {
    speeds = List.copyOf(speeds);
    if (video < 0 || audio < 0) {
      throw new IllegalArgumentException("playback clip counts cannot be negative: video " + video + ", audio "
          + audio);
    }
    if (speeds.isEmpty() || speeds.stream().anyMatch(s -> s < 1) || speeds.stream().distinct().count() != speeds.size()) {
      throw new IllegalArgumentException("playback speeds must be distinct and at least 1: " + speeds);
    }
  }

  public boolean isEmpty() {
    return video == 0 && audio == 0;
  }

  /** The slowest speed: the last fallback. */
  public int slowest() {
    return speeds.stream().mapToInt(Integer::intValue).min().orElseThrow();
  }
}
