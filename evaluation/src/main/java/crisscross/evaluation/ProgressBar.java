package crisscross.evaluation;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long evaluation step (feature extraction, finetuning) on the console: one line redrawn in place
 * when the stream is a terminal, otherwise a line at every tenth of the way, so logs stay short. Thread-safe.
 */
public final class ProgressBar {
  private static final int BAR_WIDTH = 24;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream out;
  private final boolean interactive;

  private ProgressBar(PrintStream out, boolean interactive) {
    this.out = out;
    this.interactive = interactive;
  }

  /** Draws on {@code out}; redraws in place when the process has a console. */
  public static ProgressBar console(PrintStream out) {
    return new ProgressBar(out, System.console() != null);
  }

  /** Writes a line at every tenth of the way (and at the end) to {@code out}, for logs and tests. */
  public static ProgressBar lines(PrintStream out) {
    return new ProgressBar(out, false);
  }

  /** Shows nothing. */
  public static ProgressBar silent() {
    return new ProgressBar(null, false);
  }

  /** Starts a task of {@code total} units (clips, steps ...). */
  public Task start(String label, long total, String unit) {
    return new Task(label, total, unit);
  }

  /**
   * One line: label, bar, count, rate, and the time left (or, once {@code finished}, the time taken; a finished
   * task may be short of its total when samples were skipped).
   */
  public static String render(String label, long done, long total, String unit, double seconds,
      boolean finished) {
    double fraction = total <= 0 ? 1 : Math.min(1, done / (double) total);
    int filled = (int) Math.round(fraction * BAR_WIDTH);
    String bar = "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled);
    double rate = seconds > 0 ? done / seconds : 0;
    String eta = finished ? "done in " + clock(seconds)
        : rate > 0 ? "ETA " + clock(Math.max(0, total - done) / rate) : "ETA --:--";
    return String.format(Locale.ROOT, "%s [%s] %d/%d %s, %.1f %s/s, %s", label, bar, done, total, unit, rate, unit,
        eta);
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  /** A task in progress. */
  public final class Task {
    private final String label;
    private final long total;
    private final String unit;
    private final long started = System.nanoTime();
    private long done;
    private long lastDrawn;
    private int lastTenth = -1;
    private boolean finished;

    private Task(String label, long total, String unit) {
      this.label = label;
      this.total = total;
      this.unit = unit;
      draw(true);
    }

    public synchronized void advance(long units) {
      done += units;
      draw(false);
    }

    public synchronized long done() {
      return done;
    }

    /** Ends the line (the count may be short of the total when samples were skipped). */
    public synchronized void finish() {
      if (!finished) {
        finished = true;
        if (out != null) {
          String line = render(label, done, total, unit, seconds(), true);
          out.print(interactive ? "\r" + line + "\n" : line + "\n");
          out.flush();
        }
      }
    }

    private double seconds() {
      return (System.nanoTime() - started) / 1e9;
    }

    private void draw(boolean first) {
      if (out == null || finished) {
        return;
      }
      long now = System.nanoTime();
      if (interactive) {
        if (first || now - lastDrawn >= REDRAW_NANOS || done >= total) {
          out.print("\r" + render(label, done, total, unit, seconds(), false));
          out.flush();
          lastDrawn = now;
        }
        return;
      }
      int tenth = total <= 0 ? 10 : (int) Math.min(10, done * 10 / total);
      if (tenth > lastTenth && tenth < 10) {
        out.println(render(label, done, total, unit, seconds(), false));
        out.flush();
        lastTenth = tenth;
      }
    }
  }
}
