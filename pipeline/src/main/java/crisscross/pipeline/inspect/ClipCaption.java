package crisscross.pipeline.inspect;

import crisscross.pipeline.sample.ClipTiming;
import crisscross.pipeline.sample.Playback;
import java.util.Locale;

/** One line of {@code inspect}'s views.txt per clip: where in the source it was cut and how it plays. Pure. */
public final class ClipCaption {
  private ClipCaption() {}

  /**
   * A video clip: {@code v3  frames 12-68 every 8th (0.750-4.313 s), x8 reversed}.
   *
   * @param firstFrame the clip's first source frame on the frame grid
   */
  public static String video(String key, int firstFrame, ClipTiming timing, int framesPerView) {
    Playback p = timing.playback();
    int lastFrame = firstFrame + (framesPerView - 1) * p.speed();
    return String.format(Locale.ROOT, "%-12s frames %d-%d%s (%.3f-%.3f s), %s", key, firstFrame, lastFrame,
        p.speed() == 1 ? "" : " every " + ordinal(p.speed()), timing.startSeconds(), timing.endSeconds(),
        transform(p));
  }

  /** An audio clip: {@code a3  0.250-4.250 s, x2 reversed (resampled: pitch x2)}. */
  public static String audio(String key, ClipTiming timing) {
    Playback p = timing.playback();
    return String.format(Locale.ROOT, "%-12s %.3f-%.3f s, %s%s", key, timing.startSeconds(), timing.endSeconds(),
        transform(p), p.speed() == 1 ? "" : " (resampled: pitch x" + p.speed() + ")");
  }

  /** {@code as recorded}, {@code x4}, {@code reversed} or {@code x4 reversed}. */
  static String transform(Playback p) {
    if (p.equals(Playback.NORMAL)) {
      return "as recorded";
    }
    String speed = p.speed() == 1 ? "" : "x" + p.speed();
    return p.reversed() ? (speed.isEmpty() ? "reversed" : speed + " reversed") : speed;
  }

  private static String ordinal(int n) {
    String suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : switch (n % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
    return n + suffix;
  }
}
