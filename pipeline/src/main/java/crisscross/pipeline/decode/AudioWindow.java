package crisscross.pipeline.decode;

import java.util.Arrays;

/**
 * Collects resampled audio into a window of the target grid. Chunks arrive with their position on the grid; the
 * part inside the window is copied, and positions are counted once, so a gap in the stream (a damaged or missing
 * packet) leaves the window short and is caught by comparing counts.
 *
 * <p>A window of unknown length (whole file) grows until the stream ends.
 */
final class AudioWindow {
  private final long start;
  private final long end;
  private float[] samples;
  private long coveredUntil;
  private int filled;
  private long highest;
  private long firstFilled = -1;
  private long firstGap = -1;

  /**
   * @param start index of the first sample wanted on the grid
   * @param count samples wanted, or -1 for all samples until the stream ends
   */
  AudioWindow(long start, int count) {
    if (start < 0 || count < -1) {
      throw new IllegalArgumentException("bad audio window start=" + start + " count=" + count);
    }
    this.start = start;
    this.end = count < 0 ? Long.MAX_VALUE : start + count;
    this.samples = new float[count < 0 ? 16_384 : count];
    this.coveredUntil = start;
    this.highest = start;
  }

  /** {@code length} samples from {@code chunk[offset]} belong at grid position {@code position} onwards. */
  void put(long position, float[] chunk, int offset, int length) {
    long from = Math.max(position, start);
    long until = Math.min(position + length, end);
    if (from >= until) {
      return;
    }
    int slot = (int) (from - start);
    int count = (int) (until - from);
    ensureCapacity(slot + count);
    System.arraycopy(chunk, offset + (int) (from - position), samples, slot, count);
    long fresh = until - Math.max(from, coveredUntil);
    if (fresh > 0) {
      filled += (int) fresh;
    }
    if (firstFilled < 0) {
      firstFilled = from - start;
    } else if (firstGap < 0 && from > coveredUntil) {
      firstGap = coveredUntil - start;
    }
    coveredUntil = Math.max(coveredUntil, until);
    highest = Math.max(highest, until);
  }

  private void ensureCapacity(int size) {
    if (size > samples.length) {
      samples = Arrays.copyOf(samples, Math.max(size, samples.length * 2));
    }
  }

  /** Every position of the window has been reached (gaps included): later audio cannot be needed. */
  boolean complete() {
    return coveredUntil >= end;
  }

  /** Positions that received a sample. */
  int filled() {
    return filled;
  }

  /** Offset from the window's start of the earliest sample received, -1 if none. */
  long firstFilled() {
    return firstFilled;
  }

  /**
   * Offset from the window's start of the first position left without a sample, -1 if there is none: the start
   * itself if sound began after it, else where the first gap opened (even if a later chunk has filled it since),
   * else where the received positions end. A whole-file window starts at its first sample and ends where the
   * samples stop, which is missing only if the stream claims to last longer.
   */
  long firstMissing() {
    if (end == Long.MAX_VALUE) {
      return firstGap >= 0 ? firstGap : highest - start;
    }
    if (filled == end - start) {
      return -1;
    }
    if (firstFilled != 0) {
      return 0;
    }
    return firstGap >= 0 ? firstGap : coveredUntil - start;
  }

  /** Positions from the start up to the last one received (whole-file windows end there). */
  int span() {
    return (int) (highest - start);
  }

  /**
   * Samples {@code from} (inclusive) to {@code to} (exclusive), as offsets from the window's start. The window hands
   * over its array when it holds exactly that, so it must not be used afterwards.
   */
  float[] samples(int from, int to) {
    return from == 0 && to == samples.length ? samples : Arrays.copyOfRange(samples, from, to);
  }
}
