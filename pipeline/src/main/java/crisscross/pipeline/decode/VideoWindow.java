package crisscross.pipeline.decode;

import crisscross.pipeline.media.VideoFrames;
import java.util.Arrays;

/**
 * Resamples a video to the target grid by timestamp: output frame {@code k} is the source frame displayed at
 * {@code t_k = (start + k) / fps}, the last one whose presentation time is at or before {@code t_k}. Source
 * frames arrive in presentation order; the latest one is held until the next arrives (or the stream ends), which
 * tells how long it stays on screen. A held frame is converted only if it covers a target, and only once however
 * many targets it covers, so frames between the targets are decoded but never converted or resized.
 *
 * <p>A window of unknown length (whole file) grows until the stream ends.
 */
final class VideoWindow {
  /** Frames starting within a microsecond after a target count as displayed at it (timestamps are rounded). */
  static final double TIME_TOLERANCE = 1e-6;

  /** Writes the held frame's pixels, resized, as RGB floats at {@code offset}. */
  interface Pixels {
    void writeTo(float[] rgb, int offset);
  }

  private final long start;
  private final long end;
  private final int fps;
  private final int frameSize;
  private final boolean extendFirstFrameBack;
  private float[] rgb;
  private double[] timestamps;
  private int filled;
  private int highest = -1;
  private int firstFilled = -1;
  private long resolvedUntil;
  private boolean holding;
  private double heldFrom;
  private double heldUntil;
  private double heldTime;
  private boolean sawFrame;

  /**
   * @param start index of the first target on the grid
   * @param count targets wanted, or -1 for every target until the stream ends
   * @param frameSize floats per converted frame (height x width x 3)
   * @param extendFirstFrameBack whether the first frame seen also covers the targets one frame duration before it:
   *     true when decoding from the start of the file, where players show the first frame from time 0 even if
   *     it is stamped a little later; false after a seek, where the frames before the first one seen exist but
   *     were not decoded
   */
  VideoWindow(long start, int count, int fps, int frameSize, boolean extendFirstFrameBack) {
    if (start < 0 || count < -1 || fps < 1 || frameSize < 1) {
      throw new IllegalArgumentException("bad video window start=" + start + " count=" + count + " fps=" + fps);
    }
    this.start = start;
    this.end = count < 0 ? Long.MAX_VALUE : start + count;
    this.fps = fps;
    this.frameSize = frameSize;
    this.extendFirstFrameBack = extendFirstFrameBack;
    int initial = count < 0 ? 16 : count;
    this.rgb = new float[Math.multiplyExact(initial, frameSize)];
    this.timestamps = new double[initial];
    this.resolvedUntil = start;
  }

  /** Index on the grid of the first target at or after {@code seconds}. */
  long firstTargetAtOrAfter(double seconds) {
    return (long) Math.ceil((seconds - TIME_TOLERANCE) * fps);
  }

  /**
   * A new source frame is displayed from {@code time} seconds for {@code duration} seconds (0 if unknown): the
   * frame held so far is shown until {@code time} and fills the targets it covers using {@code heldPixels};
   * then the new frame is held.
   */
  void next(double time, double duration, Pixels heldPixels) {
    if (holding) {
      cover(heldFrom, Math.max(time, heldFrom), heldTime, heldPixels);
    }
    double shown = Math.max(duration, 0);
    heldFrom = !sawFrame && extendFirstFrameBack ? time - shown : time;
    heldUntil = time + shown;
    heldTime = time;
    sawFrame = true;
    holding = true;
  }

  /** The stream ended: the held frame stays on screen for its duration. */
  void finish(Pixels heldPixels) {
    if (holding) {
      cover(heldFrom, heldUntil, heldTime, heldPixels);
      holding = false;
    }
  }

  private void cover(double from, double until, double presentation, Pixels pixels) {
    long first = Math.max(Math.max(firstTargetAtOrAfter(from), resolvedUntil), start);
    long last = Math.min(firstTargetAtOrAfter(until), end);
    if (first < last) {
      int firstSlot = (int) (first - start);
      int lastSlot = (int) (last - start);
      ensureCapacity(lastSlot);
      pixels.writeTo(rgb, firstSlot * frameSize);
      for (int slot = firstSlot; slot < lastSlot; slot++) {
        if (slot > firstSlot) {
          System.arraycopy(rgb, firstSlot * frameSize, rgb, slot * frameSize, frameSize);
        }
        timestamps[slot] = presentation;
      }
      filled += lastSlot - firstSlot;
      if (firstFilled < 0) {
        firstFilled = firstSlot;
      }
      highest = Math.max(highest, lastSlot - 1);
    }
    resolvedUntil = Math.max(resolvedUntil, Math.min(Math.max(last, start), end));
  }

  private void ensureCapacity(int slots) {
    if (slots > timestamps.length) {
      int grown = Math.max(slots, timestamps.length * 2);
      rgb = Arrays.copyOf(rgb, Math.multiplyExact(grown, frameSize));
      timestamps = Arrays.copyOf(timestamps, grown);
    }
  }

  /** Every target is decided: frames after this one cannot be needed. */
  boolean complete() {
    return resolvedUntil >= end;
  }

  /** Targets that received a frame. */
  int filled() {
    return filled;
  }

  /** Slot of the earliest target filled, -1 if none. */
  int firstFilled() {
    return firstFilled;
  }

  /** Targets from the first up to the last one filled (whole-file windows end there). */
  int span() {
    return highest + 1;
  }

  /**
   * Targets {@code from} (inclusive) to {@code to} (exclusive), as slots from the window's start. The window hands
   * over its arrays when they hold exactly that (no copy on the hot path), so it must not be used afterwards.
   */
  VideoFrames frames(int from, int to, int height, int width) {
    if ((long) height * width * 3 != frameSize) {
      throw new IllegalArgumentException(height + "x" + width + "x3 does not match the frame size " + frameSize);
    }
    if (from == 0 && to == timestamps.length) {
      return new VideoFrames(to, height, width, rgb, timestamps);
    }
    return new VideoFrames(to - from, height, width, Arrays.copyOfRange(rgb, from * frameSize, to * frameSize),
        Arrays.copyOfRange(timestamps, from, to));
  }
}
