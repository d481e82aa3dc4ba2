package crisscross.pipeline.decode;

/**
 * Places resampled audio on the target grid. A run of contiguous decoded frames is placed from the timestamp of its
 * first frame, to the nearest grid sample, then sample by sample (the resampler keeps output aligned with input
 * time), so timestamp rounding never jitters the samples within a run; the run as a whole is as exact as that one
 * timestamp (to the sample in MP4, to the millisecond in Matroska). A frame whose timestamp is later than the
 * samples counted so far by more than half a frame starts a new run: packets were lost or the file is damaged, and
 * counting on would shift everything after the gap.
 *
 * <p>A timestamp earlier than the count is not a loss: Matroska stores one timestamp per block, and when a block
 * laces several packets (mkvmerge laces Vorbis, as in WebM files from video sites) FFmpeg interpolates the others
 * from millisecond-rounded packet durations, which lag the true time by up to a millisecond per packet (eight
 * 128-sample Vorbis packets at 44.1 kHz: 2 ms steps for 2.9 ms of sound). Restarting runs there placed those
 * packets' samples over earlier ones and left gaps after them, so a healthy file decoded 2-3 % short. Only a jump back
 * by more than {@link #MAX_LAG_SECONDS}, far beyond such drift (a timestamp reset in a damaged or concatenated file),
 * starts a new run.
 */
final class AudioTimeline {
  /** Disagreements below this are timestamp rounding, not gaps (containers round to a millisecond). */
  static final double MIN_GAP_SECONDS = 0.002;
  /** Timestamps may lag the sample count by this much before the lag is taken as a discontinuity. */
  static final double MAX_LAG_SECONDS = 0.05;

  private final int outputRate;
  private boolean running;
  /** Whether the run's frames are being resampled and placed (false while frames before the window are counted). */
  private boolean placing;
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
   * true for the first frame, after a gap and after a jump back (the caller then flushes the resampler into the old
   * run first and calls {@link #startRun}).
   */
  boolean startsRun(double seconds, int samples, int rate) {
    if (!running || rate != inputRate) {
      return true;
    }
    double ahead = seconds - (runStart + runInputSamples / (double) inputRate);
    return ahead > Math.max(MIN_GAP_SECONDS, 0.5 * samples / rate) || ahead < -MAX_LAG_SECONDS;
  }

  /** A new run begins with the frame at {@code seconds}; its samples are placed from there. */
  void startRun(double seconds, int rate) {
    running = true;
    placing = true;
    runStart = seconds;
    runInputSamples = 0;
    inputRate = rate;
    position = Math.round(seconds * outputRate);
    if (firstRunPosition == Long.MIN_VALUE) {
      firstRunPosition = position;
    }
  }

  /**
   * A frame before the window, decoded but not resampled: it is counted, so that the run's time comes from the
   * timestamps seen and the samples counted since (the latest start they imply: the exact ones of whole blocks). A
   * run must not start at the first frame the window needs: inside a laced block that frame's timestamp is
   * interpolated and lags (see the class comment), and the block's exact timestamp after it would then look like a
   * gap.
   */
  void skipped(double seconds, int samples, int rate, boolean timed) {
    if (!running || rate != inputRate || (timed && startsRun(seconds, samples, rate))) {
      startRun(timed || !running ? seconds : runStart + runInputSamples / (double) inputRate, rate);
    } else if (timed) {
      // Timestamps lag (interpolated) or are exact, never lead: the latest start they imply is the truest.
      runStart = Math.max(runStart, seconds - runInputSamples / (double) inputRate);
    }
    placing = false;
    consumed(samples);
  }

  /** Whether the run's samples are being placed; false after {@link #skipped} until {@link #placeFromCount}. */
  boolean placing() {
    return placing;
  }

  /** The first frame to place continues a run of skipped frames: it goes where their sample count says. */
  void placeFromCount() {
    placing = true;
    position = Math.round(countedSeconds() * outputRate);
  }

  /** Grid position where the first run started. */
  long firstRunPosition() {
    return firstRunPosition;
  }

  /** The frame just checked with {@link #startsRun} was fed to the resampler. */
  void consumed(int inputSamples) {
    runInputSamples += inputSamples;
  }

  /** Time where the samples counted so far in the run end: the time of the next frame if nothing is lost. */
  double countedSeconds() {
    return runStart + runInputSamples / (double) inputRate;
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
