package crisscross.trainer.actor;

import crisscross.trainer.checkpoint.CheckpointManifest;
import crisscross.trainer.checkpoint.CheckpointStore;
import crisscross.trainer.checkpoint.TrainerState;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One pretraining run. Each child's failure policy is declared where it is spawned: the health monitor and the
 * checkpoint writer are restarted (they keep nothing a restart would lose); the data feed is restarted with
 * backoff and started again where the trainer stands; the trainer is restarted with backoff, reloading the newest
 * good checkpoint, up to {@code trainer.max-restarts} without a healthy {@code trainer.restart-window}. A trainer
 * stuck in a step (seen by its watchdog) cannot be restarted in place: it is retired, its later checkpoint writes
 * refused, and a new trainer resumes from the newest good checkpoint, at most {@code trainer.max-restarts} times in
 * a run. The run ends on completion, stop request, {@code max-steps}, or when the trainer gives up.
 */
public final class RunSupervisor extends AbstractBehavior<RunSupervisor.Command> {
  public sealed interface Command {}

  /** {@code trainer} (re)started, or was asked, and stands at (epoch, position) after {@code step} steps. */
  public record TrainerReady(ActorRef<Trainer.Command> trainer, int epoch, long position, long step)
      implements Command {}

  /** The watchdog saw a step that has not returned within its limit. */
  private record TrainerStuck(StepWatchdog.Stuck stuck) implements Command {}

  /** The data feed failed and is being restarted: it needs to be told where the trainer stands. */
  public record FeedRestarted() implements Command {}

  /** The stream delivered every epoch. */
  public record DataExhausted() implements Command {}

  /**
   * The trainer stopped after its final checkpoint (or a failed attempt at one: {@code checkpointError});
   * {@code failed}: it stopped because it could not go on safely (checkpoints could not be written).
   */
  public record TrainerFinished(ActorRef<Trainer.Command> trainer, String reason, TrainerState state,
      Optional<CheckpointManifest> checkpoint, String checkpointError, boolean failed) implements Command {}

  /** Control action: write a checkpoint now. */
  public record CheckpointNow(ActorRef<ControlReply> replyTo) implements Command {}

  /** Control action or signal: finish the current step, checkpoint, stop. */
  public record Stop(String reason, ActorRef<ControlReply> replyTo) implements Command {}

  private record WritesFlushed(Throwable trainerFailure) implements Command {}

  /** Answer to a control action. */
  public record ControlReply(boolean ok, String message) {}

  /** Dispatcher giving the trainer a thread of its own (its steps block for seconds). */
  public static final String TRAINER_DISPATCHER = "crisscross-trainer-dispatcher";

  private final RunSpec spec;
  private final CompletableFuture<RunOutcome> outcome;
  private final ActorRef<HealthMonitor.Command> health;
  private final ActorRef<CheckpointWriter.Command> writer;
  private final ActorRef<StepWatchdog.Stuck> stuckAdapter;
  private final ActorRef<DataFeed.Command> feed;
  private ActorRef<Trainer.Command> trainer;
  private ActorRef<StepWatchdog.Command> watchdog;
  private int trainerIncarnation = -1;
  private String stopReason;
  private RunOutcome.Status stopStatus;

  public static Behavior<Command> create(RunSpec spec, CompletableFuture<RunOutcome> outcome) {
    return Behaviors.setup(context -> new RunSupervisor(context, spec, outcome));
  }

  private RunSupervisor(ActorContext<Command> context, RunSpec spec, CompletableFuture<RunOutcome> outcome) {
    super(context);
    this.spec = spec;
    this.outcome = outcome;
    spec.board().attach(context.getSelf(), context.getSystem().scheduler());
    spec.board().phase("starting");
    health = context.spawn(
        Behaviors.supervise(HealthMonitor.create(spec.board()))
            .onFailure(Exception.class, SupervisorStrategy.restart()),
        "health-monitor");
    writer = context.spawn(
        Behaviors.supervise(CheckpointWriter.create(spec.store(), spec.board(), health))
            .onFailure(Exception.class, SupervisorStrategy.restart()),
        "checkpoint-writer", DispatcherSelector.blocking());
    stuckAdapter = context.messageAdapter(StepWatchdog.Stuck.class, TrainerStuck::new);
    spawnTrainer();
    feed = context.spawn(
        Behaviors.supervise(DataFeed.create(spec.streams(), context.getSelf(), health))
            .onFailure(Exception.class, SupervisorStrategy.restartWithBackoff(DataFeed.FIRST_RETRY,
                DataFeed.LAST_RETRY, 0.2)),
        "data-feed");
  }

  /** A new trainer (with its own watchdog), which restores the newest good checkpoint and reports when ready. */
  private void spawnTrainer() {
    int incarnation = ++trainerIncarnation;
    watchdog = getContext().spawn(StepWatchdog.create(spec.stepTimeout(), stuckAdapter),
        "step-watchdog-" + incarnation);
    RunSpec.RestartPolicy restarts = spec.restarts();
    trainer = getContext().spawn(
        Behaviors.supervise(Trainer.create(spec, incarnation, getContext().getSelf(), writer, health, watchdog))
            .onFailure(Exception.class, SupervisorStrategy
                .restartWithBackoff(restarts.minBackoff(), restarts.maxBackoff(), 0.2)
                .withMaxRestarts(restarts.maxRestarts())
                .withResetBackoffAfter(restarts.window())),
        "trainer-" + incarnation, DispatcherSelector.fromConfig(TRAINER_DISPATCHER));
    getContext().watch(trainer);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(TrainerReady.class, this::onTrainerReady)
        .onMessage(DataExhausted.class, this::onDataExhausted)
        .onMessage(TrainerFinished.class, this::onTrainerFinished)
        .onMessage(TrainerStuck.class, this::onTrainerStuck)
        .onMessage(FeedRestarted.class, this::onFeedRestarted)
        .onMessage(CheckpointNow.class, this::onCheckpointNow)
        .onMessage(Stop.class, this::onStop)
        .onMessage(WritesFlushed.class, this::onWritesFlushed)
        .onSignal(ChildFailed.class, this::onChildFailed)
        .onSignal(Terminated.class, this::onTerminated)
        .build();
  }

  private Behavior<Command> onTrainerReady(TrainerReady ready) {
    if (!ready.trainer().equals(trainer)) {
      return this;
    }
    if (stopReason != null) {
      trainer.tell(new Trainer.Finish(stopReason));
      return this;
    }
    if (spec.reachedMaxSteps(ready.step())) {
      return beginStop(spec.maxStepsReason(ready.step()), RunOutcome.Status.MAX_STEPS);
    }
    spec.board().phase("training");
    feed.tell(new DataFeed.StartFrom(trainer, ready.epoch(), ready.position()));
    return this;
  }

  private Behavior<Command> onFeedRestarted(FeedRestarted restarted) {
    if (stopReason == null) {
      trainer.tell(new Trainer.ReportPosition());
    }
    return this;
  }

  private Behavior<Command> onDataExhausted(DataExhausted exhausted) {
    return beginStop("all " + spec.epochs() + " epochs done", RunOutcome.Status.COMPLETED);
  }

  private Behavior<Command> onStop(Stop stop) {
    if (stopReason != null) {
      stop.replyTo().tell(new ControlReply(true, "already stopping: " + stopReason));
      return this;
    }
    beginStop(stop.reason(), RunOutcome.Status.STOPPED);
    stop.replyTo().tell(new ControlReply(true, "stopping after the current step: " + stop.reason()));
    return this;
  }

  private Behavior<Command> beginStop(String reason, RunOutcome.Status status) {
    if (stopReason == null) {
      stopReason = reason;
      stopStatus = status;
      spec.board().phase("stopping");
      feed.tell(new DataFeed.Halt());
      trainer.tell(new Trainer.Finish(reason));
    }
    return this;
  }

  private Behavior<Command> onCheckpointNow(CheckpointNow request) {
    trainer.tell(new Trainer.CheckpointNow(request.replyTo()));
    return this;
  }

  private Behavior<Command> onTrainerFinished(TrainerFinished finished) {
    if (!finished.trainer().equals(trainer)) {
      return this;
    }
    if (stopStatus == RunOutcome.Status.COMPLETED && finished.state().epoch() < spec.epochs()) {
      throw new IllegalStateException("the run was reported complete but the trainer stands at epoch "
          + finished.state().epoch() + " of " + spec.epochs());
    }
    RunOutcome.Status status = finished.failed() ? RunOutcome.Status.FAILED : stopStatus != null ? stopStatus
        : finished.reason().startsWith(RunSpec.MAX_STEPS_REASON) ? RunOutcome.Status.MAX_STEPS
        : RunOutcome.Status.STOPPED;
    String message = finished.reason() + (finished.checkpointError().isEmpty() ? ""
        : "; the final checkpoint failed: " + finished.checkpointError());
    spec.board().phase(status == RunOutcome.Status.FAILED ? "failed" : "stopped");
    outcome.complete(new RunOutcome(status, message, Optional.of(finished.state()), finished.checkpoint(),
        spec.board().restarts()));
    feed.tell(new DataFeed.Halt());
    return Behaviors.stopped();
  }

  private Behavior<Command> onTrainerStuck(TrainerStuck message) {
    if (outcome.isDone()) {
      return this;
    }
    Optional<CheckpointManifest> lastGood = lastGoodCheckpoint();
    String stuck = "step " + message.stuck().step() + " has not returned after "
        + message.stuck().limit().toSeconds() + " s (trainer.step-timeout; thread stacks logged)";
    String resumeFrom = lastGood.map(m -> m.name() + " in " + spec.store().location())
        .orElse("the start (no checkpoint yet)");
    if (trainerIncarnation >= spec.restarts().maxRestarts()) {
      return fail(stuck + "; " + trainerIncarnation + " stuck trainer(s) were already replaced in this run "
          + "(trainer.max-restarts), so the run stops: resume it with --run-dir to continue from " + resumeFrom,
          lastGood);
    }
    getContext().getLog().error("{}; a step stuck in native code cannot be interrupted: trainer {} is retired and a "
        + "new trainer resumes from {}", stuck, trainer.path().name(), resumeFrom);
    // The retired trainer's thread stays blocked; whatever it does once its step returns must not reach the run.
    getContext().unwatch(trainer);
    getContext().stop(trainer);
    getContext().stop(watchdog);
    feed.tell(new DataFeed.Halt());
    writer.tell(new CheckpointWriter.RefuseBefore(trainerIncarnation + 1));
    health.tell(new HealthMonitor.Heartbeat(trainer.path().name(), "retired: " + stuck));
    spec.board().restarted();
    spawnTrainer();
    return this;
  }

  private Behavior<Command> onChildFailed(ChildFailed failed) {
    if (!failed.getRef().equals(trainer)) {
      throw new IllegalStateException("run actor " + failed.getRef().path().name() + " failed", failed.getCause());
    }
    spec.board().phase("failing");
    feed.tell(new DataFeed.Halt());
    // Checkpoints the trainer queued before failing are good: let them land before naming the last good one.
    Throwable cause = failed.getCause();
    writer.tell(new CheckpointWriter.Flush(getContext().messageAdapter(CheckpointWriter.Flushed.class,
        flushed -> new WritesFlushed(cause))));
    return this;
  }

  private Behavior<Command> onWritesFlushed(WritesFlushed flushed) {
    Optional<CheckpointManifest> lastGood = lastGoodCheckpoint();
    String message = "the trainer failed " + (spec.restarts().maxRestarts() + 1) + " times without "
        + spec.restarts().window() + " of healthy training (trainer.max-restarts / trainer.restart-window); last "
        + "failure: " + flushed.trainerFailure() + "; last good checkpoint: "
        + lastGood.map(m -> m.name() + " in " + spec.store().location()).orElse("none");
    return fail(message, lastGood);
  }

  /** Ends the run as failed with {@code message} and the newest good checkpoint. */
  private Behavior<Command> fail(String message, Optional<CheckpointManifest> lastGood) {
    getContext().getLog().error(message);
    spec.board().phase("failed");
    outcome.complete(new RunOutcome(RunOutcome.Status.FAILED, message, Optional.empty(), lastGood,
        spec.board().restarts()));
    feed.tell(new DataFeed.Halt());
    return Behaviors.stopped();
  }

  private Behavior<Command> onTerminated(Terminated terminated) {
    if (terminated.getRef().equals(trainer) && !outcome.isDone() && !spec.board().phase().equals("failing")) {
      spec.board().phase("failed");
      outcome.complete(new RunOutcome(RunOutcome.Status.FAILED, "the trainer stopped unexpectedly",
          Optional.empty(), lastGoodCheckpoint(), spec.board().restarts()));
      return Behaviors.stopped();
    }
    return this;
  }

  private Optional<CheckpointManifest> lastGoodCheckpoint() {
    try {
      for (String name : spec.store().names()) {
        CheckpointStore.Verification verification = spec.store().verify(name);
        if (verification.ok()) {
          return Optional.of(spec.store().manifest(name));
        }
      }
    } catch (IOException e) {
      getContext().getLog().warn("cannot list checkpoints in {}: {}", spec.store().location(), e.getMessage());
    }
    return Optional.empty();
  }
}
