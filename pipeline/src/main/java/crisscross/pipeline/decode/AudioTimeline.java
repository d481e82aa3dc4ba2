package crisscross.pipeline.decode;

/**
 * Places resampled audio on the target grid. A run of contiguous decoded frames is placed from the timestamp of its
 * first frame, to the nearest grid sample, then sample by sample (the resampler keeps output aligned with input
 * time), so timestamp rounding never jitters the samples within a run; the run as a whole is as exact as that one
 * timestamp (to the sample in MP4, to the millisecond in Matroska). A frame whose timestamp disagrees with the
 * samples counted so far by more than half a frame starts a new run: packets were lost or the file is damaged, and
 * counting on would shift everything after the gap.
 */
final class AudioTimeline {
  /** Disagreements below this are timestamp rounding, not gaps (containers round to a millisecond). */
  static final double MIN_GAP_SECONDS = 0.002;

  private final int outputRate;
  private boolean running;
  private double runStart;
  private long runInputSamples;
  private int inputRate;
  private long position;
  private long firstRunPosition = Long.MIN_VALUE;

  AudioTimeline(int outputRate) {
    this.outputRate = outputRate;
  }

  /**
   * Whether a decoded frame at {@code seconds} holding {@code samples} samples at {@code rate} starts a new run:
   * true for the first frame and after a gap (the caller then flushes the resampler into the old run first and
   * calls {@link #startRun}).
   */
  boolean startsRun(double seconds, int samples, int rate) {
    if (!running || rate != inputRate) {
      return true;
    }
    double expected = runStart + runInputSamples / (double) inputRate;
    double tolerance = Math.max(MIN_GAP_SECONDS, 0.5 * samples / rate);
    return Math.abs(seconds - expected) > tolerance;
  }

  /** A new run begins with the frame at {@code seconds}. */
  void startRun(double seconds, int rate) {
    running = true;
    runStart = seconds;
    runInputSamples = 0;
    inputRate = rate;
    position = Math.round(seconds * outputRate);
    if (firstRunPosition == Long.MIN_VALUE) {
      firstRunPosition = position;
    }
  }

  /** Grid position where the first run started. */
  long firstRunPosition() {
    return firstRunPosition;
  }

  /** The frame just checked with {@link #startsRun} was fed to the resampler. */
  void consumed(int inputSamples) {
    runInputSamples += inputSamples;
  }

  /** Whether a run has started. */
  boolean running() {
    return running;
  }

  int outputRate() {
    return outputRate;
  }

  /** Grid position of the next resampled sample. */
  long position() {
    return position;
  }

  /** {@code outputSamples} resampled samples were placed at {@link #position()}. */
  void advance(int outputSamples) {
    position += outputSamples;
  }
}
