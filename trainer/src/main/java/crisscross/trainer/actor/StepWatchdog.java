package crisscross.trainer.actor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Notices a training step that never returns (a native deadlock, a read stuck in the kernel): the trainer reports
 * each step's start and end, and a step still running after its limit makes the watchdog log every thread's stack
 * once and tell its parent. A step stuck in native code cannot be interrupted, nor its actor restarted in place, so
 * the parent retires that trainer (and this watchdog with it) and starts a new one from the newest good checkpoint.
 */
public final class StepWatchdog extends AbstractBehavior<StepWatchdog.Command> {
  public sealed interface Command {}

  public record StepStarted(long step) implements Command {}

  public record StepEnded(long step, double seconds) implements Command {}

  private record Overdue(long step, Duration limit) implements Command {}

  /** Told to the parent, once per stuck step. */
  public record Stuck(long step, Duration limit) {}

  /**
   * How long a step may take: {@code fixed} when positive, else {@code medianMultiple} times the median of the
   * last steps, never less than {@code minimum} (which is also the limit before any step has ended: the first
   * steps build graphs and warm up).
   */
  public record Policy(Duration fixed, double medianMultiple, Duration minimum) {
    public Duration limit(double medianSeconds) {
      if (!fixed.isZero() && !fixed.isNegative()) {
        return fixed;
      }
      Duration scaled = Double.isNaN(medianSeconds) ? Duration.ZERO
          : Duration.ofMillis((long) Math.ceil(medianSeconds * medianMultiple * 1000));
      return scaled.compareTo(minimum) > 0 ? scaled : minimum;
    }
  }

  /** Step times kept for the running median. */
  static final int WINDOW = 101;

  private final Policy policy;
  private final ActorRef<Stuck> parent;
  private final TimerScheduler<Command> timers;
  private final Deque<Double> recent = new ArrayDeque<>();
  private long running = -1;

  public static Behavior<Command> create(Policy policy, ActorRef<Stuck> parent) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new StepWatchdog(context, timers, policy,
        parent)));
  }

  private StepWatchdog(ActorContext<Command> context, TimerScheduler<Command> timers, Policy policy,
      ActorRef<Stuck> parent) {
    super(context);
    this.timers = timers;
    this.policy = policy;
    this.parent = parent;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(StepStarted.class, this::onStarted)
        .onMessage(StepEnded.class, this::onEnded)
        .onMessage(Overdue.class, this::onOverdue)
        .build();
  }

  private Behavior<Command> onStarted(StepStarted started) {
    running = started.step();
    Duration limit = policy.limit(median());
    timers.startSingleTimer("step", new Overdue(started.step(), limit), limit);
    return this;
  }

  private Behavior<Command> onEnded(StepEnded ended) {
    if (ended.step() == running) {
      running = -1;
      timers.cancel("step");
    }
    recent.addLast(ended.seconds());
    if (recent.size() > WINDOW) {
      recent.removeFirst();
    }
    return this;
  }

  private Behavior<Command> onOverdue(Overdue overdue) {
    if (overdue.step() != running) {
      return this;
    }
    getContext().getLog().error("watchdog: step {} has not returned after {} s (trainer.step-timeout); every "
        + "thread's stack:\n{}", overdue.step(), overdue.limit().toMillis() / 1000.0, threadDump());
    parent.tell(new Stuck(overdue.step(), overdue.limit()));
    running = -1;
    return this;
  }

  /** Median of the recent step times in seconds; NaN before the first. */
  double median() {
    if (recent.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = recent.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Every live thread's stack, with the locks it holds and waits for. */
  static String threadDump() {
    StringBuilder out = new StringBuilder();
    ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true);
    Arrays.sort(threads, (a, b) -> a.getThreadName().compareTo(b.getThreadName()));
    for (ThreadInfo thread : threads) {
      out.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState());
      if (thread.getLockName() != null) {
        out.append(" on ").append(thread.getLockName());
      }
      out.append('\n');
      for (StackTraceElement frame : thread.getStackTrace()) {
        out.append("    at ").append(frame).append('\n');
      }
    }
    return out.toString();
  }
}
