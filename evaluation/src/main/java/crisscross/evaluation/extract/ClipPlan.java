package crisscross.evaluation.extract;

import crisscross.pipeline.random.SampleRandom;

/**
 * Where the clips of one sample lie in time. A clip occupies a span of the sample; each modality's window is
 * centred in the span, so the video clip of an audio-visual clip sits in the middle of its audio clip (late fusion,
 * Appendix E.1), and is placed on its own grid (video frames at the decoding frame rate, audio samples at the
 * sample rate).
 */
public final class ClipPlan {
  private ClipPlan() {}

  /**
   * Starts of {@code count} spans spaced evenly over a sample of {@code usableSeconds}: the first at 0, the last
   * ending at the end ({@code numpy.linspace(0, usable - span, count)}); a single span is centred. Appendix E.1/E.3:
   * "we uniformly select 10 clips per sample".
   *
   * @throws IllegalArgumentException when the sample is shorter than the span
   */
  public static double[] uniform(double usableSeconds, double spanSeconds, int count) {
    double room = room(usableSeconds, spanSeconds, count);
    double[] starts = new double[count];
    if (count == 1) {
      starts[0] = room / 2;
      return starts;
    }
    for (int i = 0; i < count; i++) {
      starts[i] = room * i / (count - 1);
    }
    return starts;
  }

  /**
   * Starts of {@code count} spans drawn uniformly and independently in {@code [0, usable - span]}, from
   * {@code random} (Appendix E.1: "we randomly pick 25 clips per sample").
   */
  public static double[] random(double usableSeconds, double spanSeconds, int count, SampleRandom random) {
    double room = room(usableSeconds, spanSeconds, count);
    double[] starts = new double[count];
    for (int i = 0; i < count; i++) {
      starts[i] = random.uniform(0, room);
    }
    return starts;
  }

  /**
   * The first grid index of a window of {@code length} grid units centred in the span that starts at
   * {@code spanStart}: {@code round((spanStart + (span - length / rate) / 2) * rate)}, moved back inside
   * {@code [0, available - length]} when rounding pushes it past either end.
   *
   * @param rate grid units per second (frames per second, samples per second)
   * @param available grid units the stream holds
   * @throws IllegalArgumentException when the window is longer than the stream
   */
  public static long windowStart(double spanStart, double spanSeconds, int length, double rate, long available) {
    if (length > available) {
      throw new IllegalArgumentException("a window of " + length + " units does not fit in " + available);
    }
    long start = Math.round((spanStart + (spanSeconds - length / rate) / 2) * rate);
    return Math.max(0, Math.min(available - length, start));
  }

  private static double room(double usableSeconds, double spanSeconds, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("at least one clip per sample, got " + count);
    }
    if (!(spanSeconds > 0)) {
      throw new IllegalArgumentException("a clip must last some time, got " + spanSeconds + " s");
    }
    if (usableSeconds < spanSeconds) {
      throw new IllegalArgumentException("a sample of " + usableSeconds + " s cannot hold a clip of " + spanSeconds
          + " s");
    }
    return usableSeconds - spanSeconds;
  }
}
