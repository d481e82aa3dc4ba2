package crisscross.trainer.method.temporal;

import crisscross.pipeline.sample.ClipTiming;
import crisscross.pipeline.sample.Playback;
import java.util.List;

/**
 * The pretext tasks' targets, from the clips' timings: one row per sample, one-hot, or zero where the sample gives
 * no label (two clips that overlap in source time have no order). Pure functions.
 */
final class TemporalLabels {
  /** Direction classes. */
  static final int FORWARD = 0;
  static final int REVERSED = 1;
  /** Order classes: the clip shown first (intra), or the video clip (inter), is the earlier one. */
  static final int FIRST_EARLIER = 0;
  static final int FIRST_LATER = 1;

  private TemporalLabels() {}

  /** [B, speeds] one-hot: the class of the speed each clip really plays at (after any fallback). */
  static float[] speed(ClipTiming[] clips, List<Integer> speeds) {
    float[] out = new float[clips.length * speeds.size()];
    for (int i = 0; i < clips.length; i++) {
      int speed = clips[i].playback().speed();
      int c = speeds.indexOf(speed);
      if (c < 0) {
        throw new IllegalArgumentException("sample " + i + "'s clip plays at speed " + speed + ", not one of the "
            + "speed classes " + speeds);
      }
      out[i * speeds.size() + c] = 1;
    }
    return out;
  }

  /** [B, 2] one-hot: {@link #FORWARD} or {@link #REVERSED}. */
  static float[] direction(ClipTiming[] clips) {
    float[] out = new float[clips.length * 2];
    for (int i = 0; i < clips.length; i++) {
      out[i * 2 + (clips[i].playback().reversed() ? REVERSED : FORWARD)] = 1;
    }
    return out;
  }

  /**
   * [B, 2]: whether the clip shown first to the order head comes first in source time. Sample {@code i} shows
   * {@code second[i]} first when {@code swapped[i]}, else {@code first[i]}.
   */
  static float[] order(ClipTiming[] first, ClipTiming[] second, boolean[] swapped) {
    float[] out = new float[first.length * 2];
    for (int i = 0; i < first.length; i++) {
      ClipTiming shownFirst = swapped[i] ? second[i] : first[i];
      ClipTiming shownSecond = swapped[i] ? first[i] : second[i];
      set(out, i, shownFirst, shownSecond);
    }
    return out;
  }

  /**
   * [B, 2]: whether the video clip comes before the audio window it is shown with ({@link #FIRST_EARLIER}: the audio
   * is after the video). Sample {@code i} pairs (v2, a1) when {@code crossed[i]}, else (v1, a2).
   */
  static float[] interOrder(ClipTiming[] v1, ClipTiming[] v2, ClipTiming[] a1, ClipTiming[] a2, boolean[] crossed) {
    float[] out = new float[v1.length * 2];
    for (int i = 0; i < v1.length; i++) {
      set(out, i, crossed[i] ? v2[i] : v1[i], crossed[i] ? a1[i] : a2[i]);
    }
    return out;
  }

  private static void set(float[] out, int i, ClipTiming shownFirst, ClipTiming shownSecond) {
    if (shownFirst.endsBefore(shownSecond)) {
      out[i * 2 + FIRST_EARLIER] = 1;
    } else if (shownSecond.endsBefore(shownFirst)) {
      out[i * 2 + FIRST_LATER] = 1;
    }
  }

  /** [B, 1]: 1 where the clip is temporally transformed (not as recorded), a negative of its own sample. */
  static float[] transformed(ClipTiming[] clips) {
    float[] out = new float[clips.length];
    for (int i = 0; i < clips.length; i++) {
      out[i] = clips[i].playback().equals(Playback.NORMAL) ? 0 : 1;
    }
    return out;
  }

  /** [B, B] identity: the positive of row i in the batch block is column i. */
  static float[] identity(int batch) {
    float[] out = new float[batch * batch];
    for (int i = 0; i < batch; i++) {
      out[i * batch + i] = 1;
    }
    return out;
  }
}
