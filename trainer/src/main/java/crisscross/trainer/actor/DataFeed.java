package crisscross.trainer.actor;

import crisscross.pipeline.stream.Batch;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;

/**
 * Runs the batch stream and hands batches to the trainer one at a time. The stream enters through
 * {@code ActorSink.actorRefWithBackpressure}: the next batch is pulled only after the trainer has finished the
 * previous one, so nothing queues up in a mailbox. Each (re)start of the stream gets a new generation; anything
 * from an older generation is ignored. A stream that fails (storage down for longer than its retries, a stage that
 * crashes) is started again where the trainer stands, after {@link #FIRST_RETRY} doubling up to {@link #LAST_RETRY}
 * while failures follow one another without a batch trained in between. A failure of the feed itself is its
 * parent's to handle: before it is restarted the feed asks the supervisor for a fresh {@link StartFrom}, since
 * where the trainer stands is not the feed's to remember across incarnations.
 */
public final class DataFeed extends AbstractBehavior<DataFeed.Command> {
  public sealed interface Command {}

  /** (Re)start the stream at (epoch, position) for {@code trainer}, dropping the current one. */
  public record StartFrom(ActorRef<Trainer.Command> trainer, int epoch, long position) implements Command {}

  /** The trainer is done with the batch of this generation; {@code epoch}/{@code position} is where it now stands. */
  public record Trained(long generation, int epoch, long position) implements Command {}

  /**
   * The trainer refused the batch of this generation: it stands at (epoch, position), not where the batch starts
   * (two restarts crossed). The stream starts again there, at once: nothing failed.
   */
  public record Misplaced(long generation, int epoch, long position) implements Command {}

  /** Stop streaming (the run is finishing). */
  public record Halt() implements Command {}

  /** The acknowledgement the stream waits for before sending the next batch. */
  enum Ack { INSTANCE }

  private record StreamStarted(long generation, ActorRef<Ack> ackTo) implements Command {}

  private record StreamElement(long generation, Batch batch, ActorRef<Ack> ackTo) implements Command {}

  private record StreamCompleted(long generation) implements Command {}

  private record StreamFailed(long generation, Throwable cause) implements Command {}

  private record RetryStream(long generation) implements Command {}

  static final Duration FIRST_RETRY = Duration.ofSeconds(2);
  static final Duration LAST_RETRY = Duration.ofMinutes(1);
  private static final Backoff RETRY = new Backoff(FIRST_RETRY, LAST_RETRY);

  private final RunSpec.BatchStreams streams;
  private final ActorRef<RunSupervisor.Command> supervisor;
  private final ActorRef<HealthMonitor.Command> health;
  private final TimerScheduler<Command> timers;
  private final Materializer materializer;
  private long generation;
  private UniqueKillSwitch killSwitch;
  private ActorRef<Trainer.Command> trainer;
  private ActorRef<Ack> pendingAck;
  private boolean streamCompleted;
  private int epoch;
  private long position;
  private long batches;
  private int failuresInARow;
  /** Why this incarnation failed, for the restart's report. */
  private String failure = "the data feed failed";

  public static Behavior<Command> create(RunSpec.BatchStreams streams, ActorRef<RunSupervisor.Command> supervisor,
      ActorRef<HealthMonitor.Command> health) {
    return Behaviors.setup(context -> Behaviors.withTimers(
        timers -> new DataFeed(context, timers, streams, supervisor, health)));
  }

  private DataFeed(ActorContext<Command> context, TimerScheduler<Command> timers, RunSpec.BatchStreams streams,
      ActorRef<RunSupervisor.Command> supervisor, ActorRef<HealthMonitor.Command> health) {
    super(context);
    this.timers = timers;
    this.streams = streams;
    this.supervisor = supervisor;
    this.health = health;
    this.materializer = Materializer.createMaterializer(context.getSystem());
    health.tell(new HealthMonitor.Heartbeat(name(), "waiting for the trainer"));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(StartFrom.class, this::onStartFrom)
        .onMessage(StreamStarted.class, this::onStreamStarted)
        .onMessage(StreamElement.class, this::onElement)
        .onMessage(Trained.class, this::onTrained)
        .onMessage(Misplaced.class, this::onMisplaced)
        .onMessage(StreamCompleted.class, this::onCompleted)
        .onMessage(StreamFailed.class, this::onFailed)
        .onMessage(RetryStream.class, this::onRetry)
        .onMessage(Halt.class, this::onHalt)
        .onSignal(PreRestart.class, signal -> onPreRestart())
        .onSignal(PostStop.class, signal -> onHalt(new Halt()))
        .build();
  }

  private Behavior<Command> onStartFrom(StartFrom start) {
    trainer = start.trainer();
    epoch = start.epoch();
    position = start.position();
    startStream();
    return this;
  }

  private void startStream() {
    stopStream();
    long g = ++generation;
    getContext().getLog().info("data feed: stream generation {} starts at epoch {} position {}", g, epoch, position);
    Source<Batch, UniqueKillSwitch> batches;
    try {
      batches = streams.from(epoch, position);
    } catch (RuntimeException e) {
      failure = "cannot start the stream at epoch " + epoch + " position " + position + ": " + e;
      throw e;
    }
    killSwitch = batches
        .toMat(ActorSink.<Batch, Command, Ack>actorRefWithBackpressure(getContext().getSelf(),
            (ackTo, batch) -> new StreamElement(g, batch, ackTo),
            ackTo -> new StreamStarted(g, ackTo),
            Ack.INSTANCE,
            new StreamCompleted(g),
            cause -> new StreamFailed(g, cause)), Keep.left())
        .run(materializer);
    health.tell(new HealthMonitor.Heartbeat(name(), "streaming from epoch " + epoch + " position " + position));
  }

  private void stopStream() {
    if (killSwitch != null) {
      killSwitch.shutdown();
      killSwitch = null;
    }
    pendingAck = null;
    streamCompleted = false;
  }

  private Behavior<Command> onStreamStarted(StreamStarted started) {
    if (started.generation() == generation) {
      started.ackTo().tell(Ack.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> onElement(StreamElement element) {
    if (element.generation() != generation) {
      return this;
    }
    pendingAck = element.ackTo();
    batches++;
    trainer.tell(new Trainer.Train(generation, element.batch(), getContext().getSelf()));
    if (batches % 10 == 0) {
      health.tell(new HealthMonitor.Heartbeat(name(), "fed " + batches + " batches (generation " + generation + ")"));
    }
    return this;
  }

  private Behavior<Command> onTrained(Trained trained) {
    if (trained.generation() == generation && pendingAck != null) {
      failuresInARow = 0;
      epoch = trained.epoch();
      position = trained.position();
      ActorRef<Ack> ack = pendingAck;
      pendingAck = null;
      ack.tell(Ack.INSTANCE);
      if (streamCompleted) {
        reportExhausted();
      }
    }
    return this;
  }

  private Behavior<Command> onMisplaced(Misplaced misplaced) {
    if (misplaced.generation() == generation && pendingAck != null) {
      getContext().getLog().info("data feed: the trainer stands at epoch {} position {}, not at {} position {}; "
          + "streaming from there", misplaced.epoch(), misplaced.position(), epoch, position);
      epoch = misplaced.epoch();
      position = misplaced.position();
      startStream();
    }
    return this;
  }

  private Behavior<Command> onCompleted(StreamCompleted completed) {
    if (completed.generation() != generation) {
      return this;
    }
    // The sink completes before the last batch is acknowledged: the data is exhausted only once the trainer
    // has finished that batch (it may yet fail on it and restart from an earlier checkpoint).
    if (pendingAck == null) {
      reportExhausted();
    } else {
      streamCompleted = true;
    }
    return this;
  }

  private void reportExhausted() {
    streamCompleted = false;
    health.tell(new HealthMonitor.Heartbeat(name(), "all epochs trained"));
    supervisor.tell(new RunSupervisor.DataExhausted());
  }

  private Behavior<Command> onFailed(StreamFailed failed) {
    if (failed.generation() == generation) {
      Duration wait = retryAfter(++failuresInARow);
      getContext().getLog().warn("data feed: stream generation {} failed ({}, {} in a row); restarting it at epoch {} "
          + "position {} in {} s", generation, failed.cause().toString(), failuresInARow, epoch, position,
          wait.toSeconds());
      health.tell(new HealthMonitor.Heartbeat(name(), "stream failed: " + failed.cause().getMessage()));
      timers.startSingleTimer(new RetryStream(generation), wait);
    }
    return this;
  }

  /** The wait before the restart after the {@code failures}-th failure in a row. */
  static Duration retryAfter(int failures) {
    return RETRY.after(failures);
  }

  private Behavior<Command> onRetry(RetryStream retry) {
    if (retry.generation() == generation) {
      startStream();
    }
    return this;
  }

  private Behavior<Command> onHalt(Halt halt) {
    stopStream();
    generation++;
    return this;
  }

  private Behavior<Command> onPreRestart() {
    stopStream();
    materializer.shutdown();
    getContext().getLog().warn("data feed: restarting ({}); asking where the trainer stands", failure);
    health.tell(new HealthMonitor.Restarted(name(), failure));
    supervisor.tell(new RunSupervisor.FeedRestarted());
    return this;
  }

  private String name() {
    return getContext().getSelf().path().name();
  }
}
