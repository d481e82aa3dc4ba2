package crisscross.trainer.actor;

import crisscross.pipeline.stream.Batch;
import crisscross.pipeline.stream.LoadedSample;
import crisscross.trainer.checkpoint.Checkpoint;
import crisscross.trainer.checkpoint.CheckpointManifest;
import crisscross.trainer.checkpoint.CheckpointStore;
import crisscross.trainer.checkpoint.MetricPoint;
import crisscross.trainer.checkpoint.ResumePoint;
import crisscross.trainer.checkpoint.TrainerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Owns one model ({@link TrainingEngine}) and trains it batch by batch. On every start, including restarts after
 * a failure, it reloads the newest good checkpoint (or initialises from the run seed) and tells the supervisor
 * where it stands, so the data feed restarts exactly there. A batch that does not start where the trainer stands
 * is refused, and the feed told where the trainer stands: this is what makes consumption exactly-once across
 * restarts.
 */
public final class Trainer extends AbstractBehavior<Trainer.Command> {
  public sealed interface Command {}

  /** Train on this batch and tell {@code replyTo} when done. */
  public record Train(long generation, Batch batch, ActorRef<DataFeed.Command> replyTo) implements Command {}

  /** Write a checkpoint after the current step and reply when it is written. */
  public record CheckpointNow(ActorRef<RunSupervisor.ControlReply> replyTo) implements Command {}

  /** Tell the supervisor where the trainer stands ({@link RunSupervisor.TrainerReady}): the feed restarts there. */
  public record ReportPosition() implements Command {}

  /** Write a final checkpoint, report to the supervisor and stop. */
  public record Finish(String reason) implements Command {}

  private record WriteOutcome(CheckpointWriter.Outcome outcome) implements Command {}

  /** Checkpoints keep failing: stop as {@link Finish} does, reported as a failure. */
  private record GiveUp(String reason) implements Command {}

  /** The backoff after a failed checkpoint write is over: write the current state. */
  private enum RetryCheckpoint implements Command { INSTANCE }

  /** A step produced a loss that is not a finite number; the trainer restarts from the last good checkpoint. */
  public static final class NonFiniteLoss extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NonFiniteLoss(long step, double loss) {
      super("loss is " + loss + " at step " + step);
    }
  }

  /** The final checkpoint is worth a retry: without it the run's last steps are lost. */
  private static final int FINAL_WRITE_ATTEMPTS = 3;

  private final RunSpec spec;
  private final int incarnation;
  private final ActorRef<RunSupervisor.Command> supervisor;
  private final ActorRef<CheckpointWriter.Command> writer;
  private final ActorRef<HealthMonitor.Command> health;
  private final ActorRef<StepWatchdog.Command> watchdog;
  private final ActorRef<CheckpointWriter.Outcome> writeAdapter;
  private final TrainingEngine engine;
  private final TimerScheduler<Command> timers;
  private final Map<Long, List<ActorRef<RunSupervisor.ControlReply>>> waitingForCheckpoint = new HashMap<>();
  private TrainerState state;
  private long lastWrittenStep = -1;
  private Optional<CheckpointManifest> lastManifest = Optional.empty();
  private long writeInFlight = -1;
  private String finishing;
  private int finalWriteAttempts;
  private int consecutiveWriteFailures;
  private boolean givingUp;
  private RuntimeException lastFailure;
  private long lastStepEndNanos;
  private double secondsPerStep = Double.NaN;
  private long timedSteps;
  private boolean smallBatchLogged;

  /**
   * @param incarnation which trainer of the run this is (a new one replaces a trainer stuck in a step); its
   *     checkpoint writes carry it
   */
  public static Behavior<Command> create(RunSpec spec, int incarnation, ActorRef<RunSupervisor.Command> supervisor,
      ActorRef<CheckpointWriter.Command> writer, ActorRef<HealthMonitor.Command> health,
      ActorRef<StepWatchdog.Command> watchdog) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new Trainer(context, timers, spec, incarnation,
        supervisor, writer, health, watchdog)));
  }

  private Trainer(ActorContext<Command> context, TimerScheduler<Command> timers, RunSpec spec, int incarnation,
      ActorRef<RunSupervisor.Command> supervisor, ActorRef<CheckpointWriter.Command> writer,
      ActorRef<HealthMonitor.Command> health, ActorRef<StepWatchdog.Command> watchdog) {
    super(context);
    this.incarnation = incarnation;
    this.watchdog = watchdog;
    this.timers = timers;
    this.spec = spec;
    this.supervisor = supervisor;
    this.writer = writer;
    this.health = health;
    this.writeAdapter = context.messageAdapter(CheckpointWriter.Outcome.class, WriteOutcome::new);
    health.tell(new HealthMonitor.Heartbeat(name(), "restoring"));
    TrainingEngine created = spec.engines().create();
    try {
      this.state = restoreInto(created);
    } catch (RuntimeException e) {
      created.close();
      throw e;
    }
    this.engine = created;
    try {
      prepareEpoch();
    } catch (RuntimeException e) {
      created.close();
      throw e;
    }
    spec.board().restored(state);
    lastStepEndNanos = System.nanoTime();
    health.tell(new HealthMonitor.Heartbeat(name(), "ready at step " + state.step()));
    supervisor.tell(new RunSupervisor.TrainerReady(getContext().getSelf(), state.epoch(), state.positionInEpoch(),
        state.step()));
  }

  private TrainerState restoreInto(TrainingEngine fresh) {
    try {
      // Never discards: deleting unreadable checkpoints is decided once, when the run starts.
      Optional<CheckpointStore.Loaded> loaded = ResumePoint.find(spec.store(), false,
          warning -> getContext().getLog().warn(warning));
      if (loaded.isPresent()) {
        fresh.restore(loaded.get().checkpoint().model());
        lastWrittenStep = loaded.get().manifest().step();
        lastManifest = Optional.of(loaded.get().manifest());
        spec.board().checkpointRestored(loaded.get().manifest());
        getContext().getLog().info("trainer: restored checkpoint {} (step {}, epoch {}, position {})",
            loaded.get().name(), loaded.get().manifest().step(), loaded.get().manifest().epoch(),
            loaded.get().manifest().positionInEpoch());
        return loaded.get().checkpoint().trainerState();
      }
    } catch (ResumePoint.UnreadableCheckpointsException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + spec.store().location(), e);
    }
    getContext().getLog().info("trainer: no checkpoint in {}; starting from the initial weights (seed {})",
        spec.store().location(), spec.runSeed());
    return TrainerState.initial(spec.runSeed(), fresh.termNames());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Train.class, this::onTrain)
        .onMessage(CheckpointNow.class, this::onCheckpointNow)
        .onMessage(Finish.class, this::onFinish)
        .onMessage(ReportPosition.class, this::onReportPosition)
        .onMessage(WriteOutcome.class, this::onWriteOutcome)
        .onMessage(GiveUp.class, giveUp -> {
          givingUp = true;
          return onFinish(new Finish(giveUp.reason()));
        })
        .onMessage(RetryCheckpoint.class, retry -> {
          if (finishing == null) {
            writeCheckpoint();
          }
          return this;
        })
        .onSignal(PreRestart.class, signal -> onPreRestart())
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  private Behavior<Command> onTrain(Train train) {
    Batch batch = train.batch();
    if (finishing != null) {
      return this;
    }
    if (batch.epoch() != state.epoch() || batch.startPosition() != state.positionInEpoch()) {
      getContext().getLog().debug("trainer: ignoring a batch for epoch {} position {}; the trainer stands at epoch "
          + "{} position {}", batch.epoch(), batch.startPosition(), state.epoch(), state.positionInEpoch());
      train.replyTo().tell(new DataFeed.Misplaced(train.generation(), state.epoch(), state.positionInEpoch()));
      return this;
    }
    if (spec.reachedMaxSteps(state.step())) {
      return onFinish(new Finish(spec.maxStepsReason(state.step())));
    }
    closingOnFailure(() -> step(batch));
    train.replyTo().tell(new DataFeed.Trained(train.generation(), state.epoch(), state.positionInEpoch()));
    boolean due = spec.checkpointEvery() > 0 && state.step() % spec.checkpointEvery() == 0
        && state.step() != lastWrittenStep;
    if (batch.lastOfEpoch() || due) {
      writeCheckpoint();
    }
    if (spec.reachedMaxSteps(state.step())) {
      return onFinish(new Finish(spec.maxStepsReason(state.step())));
    }
    if (batch.lastOfEpoch()) {
      closingOnFailure(this::prepareEpoch);
    }
    return this;
  }

  /** Runs engine work; on failure this incarnation is finished whatever supervision decides: free native memory now. */
  private void closingOnFailure(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      lastFailure = e;
      engine.close();
      throw e;
    }
  }

  /**
   * Readies the engine for the epoch the trainer stands in, before that epoch's first batch is drawn, and, when the
   * method chooses the epoch's samples, hands their order to the pipeline (which waits for it).
   */
  private void prepareEpoch() {
    int epoch = state.epoch();
    if (epoch >= spec.epochs() || spec.reachedMaxSteps(state.step())) {
      return;
    }
    health.tell(new HealthMonitor.Heartbeat(name(), "preparing epoch " + epoch));
    engine.prepareEpoch(epoch);
    if (spec.epochOrders() != null) {
      Optional<int[]> order = engine.epochOrder(epoch, spec.epochOrders().epochSize());
      if (order.isPresent()) {
        spec.epochOrders().publish(epoch, order.get());
      } else {
        spec.epochOrders().publishDefault(epoch);
      }
    }
  }

  private void step(Batch batch) {
    long nextStep = state.step() + 1;
    boolean trains = batch.size() >= engine.minimumBatch();
    TrainingEngine.StepReport report = null;
    if (trains) {
      if (spec.faults().shouldCrashBefore(nextStep)) {
        throw new RunSpec.InjectedCrash(nextStep);
      }
      watchdog.tell(new StepWatchdog.StepStarted(nextStep));
      long started = System.nanoTime();
      report = engine.train(batch);
      watchdog.tell(new StepWatchdog.StepEnded(nextStep, (System.nanoTime() - started) / 1e9));
      if (!Double.isFinite(report.total())) {
        throw new NonFiniteLoss(nextStep, report.total());
      }
    } else if (batch.size() > 0 && !smallBatchLogged) {
      smallBatchLogged = true;
      getContext().getLog().info("trainer: a batch of {} sample(s) at the end of epoch {} is consumed without a step "
          + "(batch normalisation needs {})", batch.size(), batch.epoch(), engine.minimumBatch());
    }
    HashMap<String, Long> skipped = new HashMap<>(state.skippedByReason());
    for (LoadedSample.Skipped s : batch.skipped()) {
      skipped.merge(s.reason().label(), 1L, Long::sum);
    }
    int epoch = batch.lastOfEpoch() ? batch.epoch() + 1 : batch.epoch();
    long position = batch.lastOfEpoch() ? 0 : batch.endPosition();
    long visits = batch.endPosition() - batch.startPosition();
    long digest = consumptionDigest(state.consumptionDigest(), batch);
    long now = System.nanoTime();
    double seconds = (now - lastStepEndNanos) / 1e9;
    lastStepEndNanos = now;
    if (!trains) {
      state = state.advanced(state.step(), epoch, position, 0, skipped, visits, digest);
      return;
    }
    // The first step of an incarnation includes building the graph (tens of seconds), so the ETA's average of
    // step times starts from the second.
    if (timedSteps++ > 0) {
      secondsPerStep = Double.isNaN(secondsPerStep) ? seconds : 0.9 * secondsPerStep + 0.1 * seconds;
    }
    double samplesPerSecond = seconds > 0 ? batch.size() / seconds : 0;
    MetricPoint point = new MetricPoint(nextStep, batch.epoch(), System.currentTimeMillis(), report.total(),
        report.terms(), samplesPerSecond, report.encoderLr(), report.collapse());
    state = state.advanced(nextStep, epoch, position, batch.size(), skipped, visits, digest);
    spec.board().stepped(state, point);
    if (!report.diagnostics().isEmpty()) {
      spec.board().methodDiagnostics(report.diagnostics());
    }
    if (spec.logEvery() > 0 && nextStep % spec.logEvery() == 0) {
      getContext().getLog().info(progressLine(point));
    }
    health.tell(new HealthMonitor.Heartbeat(name(), "training: step " + nextStep));
  }

  private String progressLine(MetricPoint point) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "step %d | epoch %d | loss %.4f",
        point.step(), point.epoch(), point.total()));
    line.append(termSummary(state.termNames(), point.terms()));
    line.append(String.format(Locale.ROOT, " | %.1f samples/s | lr %.2e | collapse %.3f", point.samplesPerSecond(),
        point.encoderLr(), point.collapse()));
    long total = spec.maxSteps() > 0 ? spec.maxSteps() : spec.epochs() * spec.stepsPerEpoch();
    if (total > point.step() && Double.isFinite(secondsPerStep)) {
      line.append(" | ETA ").append(formatDuration((long) ((total - point.step()) * secondsPerStep)));
    }
    return line.toString();
  }

  /**
   * The loss terms in parentheses (when there is more than one) and the method's pretext accuracies
   * ({@code acc_*} terms) after them: {@code " (L_a 0.5000, L_b 0.2500) | accuracy speed_v 0.750"}.
   */
  static String termSummary(List<String> terms, double[] values) {
    StringBuilder losses = new StringBuilder();
    StringBuilder accuracies = new StringBuilder();
    int lossTerms = 0;
    for (int i = 0; i < terms.size(); i++) {
      boolean accuracy = RunBoard.isAccuracy(terms.get(i));
      StringBuilder to = accuracy ? accuracies : losses;
      lossTerms += accuracy ? 0 : 1;
      to.append(to.length() == 0 ? "" : ", ")
          .append(accuracy ? terms.get(i).substring(RunBoard.ACCURACY_PREFIX.length()) : terms.get(i))
          .append(String.format(Locale.ROOT, accuracy ? " %.3f" : " %.4f", values[i]));
    }
    StringBuilder out = new StringBuilder();
    if (lossTerms > 1) {
      out.append(" (").append(losses).append(')');
    }
    if (accuracies.length() > 0) {
      out.append(" | accuracy ").append(accuracies);
    }
    return out.toString();
  }

  /** Chains one batch's consumption (its span, trained sample indices and skipped positions) onto {@code digest}. */
  static long consumptionDigest(long digest, Batch batch) {
    long h = mix(digest, batch.epoch());
    h = mix(h, batch.startPosition());
    h = mix(h, batch.endPosition());
    for (int index : batch.sampleIndices()) {
      h = mix(h, index);
    }
    for (LoadedSample.Skipped s : batch.skipped()) {
      h = mix(h, -1 - s.visit().position());
    }
    return h;
  }

  private static long mix(long h, long value) {
    long z = h * 0x9E3779B97F4A7C15L + value;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static String formatDuration(long seconds) {
    if (seconds >= 3600) {
      return (seconds / 3600) + "h" + String.format(Locale.ROOT, "%02dm", (seconds % 3600) / 60);
    }
    if (seconds >= 60) {
      return (seconds / 60) + "m" + String.format(Locale.ROOT, "%02ds", seconds % 60);
    }
    return seconds + "s";
  }

  private void writeCheckpoint() {
    if (writeInFlight == state.step() || lastWrittenStep == state.step()) {
      return;
    }
    if (finishing != null) {
      finalWriteAttempts++;
    }
    TrainerState saved = state.withHistory(spec.board().historySnapshot());
    RunSpec.Provenance provenance = spec.provenance();
    Checkpoint checkpoint = new Checkpoint(spec.method(), spec.objective(), provenance.effectiveConfig(), provenance.configHash(),
        provenance.dataManifestHash(), provenance.codeVersion(), provenance.kernels(), saved, engine.snapshot());
    writeInFlight = state.step();
    writer.tell(new CheckpointWriter.Write(checkpoint, incarnation, writeAdapter));
  }

  private Behavior<Command> onCheckpointNow(CheckpointNow request) {
    if (lastWrittenStep == state.step() && lastManifest.isPresent()) {
      request.replyTo().tell(new RunSupervisor.ControlReply(true, "checkpoint " + lastManifest.get().name()
          + " is current"));
      return this;
    }
    waitingForCheckpoint.computeIfAbsent(state.step(), s -> new ArrayList<>()).add(request.replyTo());
    writeCheckpoint();
    return this;
  }

  private Behavior<Command> onReportPosition(ReportPosition report) {
    if (finishing == null) {
      supervisor.tell(new RunSupervisor.TrainerReady(getContext().getSelf(), state.epoch(), state.positionInEpoch(),
        state.step()));
    }
    return this;
  }

  private Behavior<Command> onWriteOutcome(WriteOutcome message) {
    CheckpointWriter.Outcome outcome = message.outcome();
    if (outcome.step() == writeInFlight) {
      writeInFlight = -1;
    }
    boolean ok = outcome instanceof CheckpointWriter.Written;
    if (ok) {
      lastWrittenStep = Math.max(lastWrittenStep, outcome.step());
      lastManifest = Optional.of(((CheckpointWriter.Written) outcome).manifest());
    }
    String description = ok ? "checkpoint " + ((CheckpointWriter.Written) outcome).manifest().name() + " written"
        : "checkpoint at step " + outcome.step() + " failed: " + ((CheckpointWriter.Failed) outcome).error();
    for (ActorRef<RunSupervisor.ControlReply> waiting : waitingForCheckpoint.getOrDefault(outcome.step(), List.of())) {
      waiting.tell(new RunSupervisor.ControlReply(ok, description));
    }
    waitingForCheckpoint.remove(outcome.step());
    if (finishing != null && outcome.step() == state.step()) {
      if (!ok && finalWriteAttempts < FINAL_WRITE_ATTEMPTS) {
        getContext().getLog().warn("trainer: the final checkpoint failed ({}); trying again", description);
        writeCheckpoint();
        return this;
      }
      return finish(ok ? "" : description);
    }
    if (ok) {
      consecutiveWriteFailures = 0;
      timers.cancel(RetryCheckpoint.INSTANCE);
    } else if (finishing == null) {
      consecutiveWriteFailures++;
      RunSpec.CheckpointRetry retry = spec.checkpointRetry();
      if (consecutiveWriteFailures >= retry.maxConsecutiveFailures()) {
        String reason = "checkpoint writes failed " + consecutiveWriteFailures + " times in a row (last: "
            + ((CheckpointWriter.Failed) outcome).error() + "); the newest good checkpoint is "
            + lastManifest.map(CheckpointManifest::name).orElse("none") + " in " + spec.store().location();
        getContext().getLog().error("trainer: stopping: {}", reason);
        getContext().getSelf().tell(new GiveUp(reason));
      } else {
        Duration wait = retry.backoff(consecutiveWriteFailures);
        getContext().getLog().warn("trainer: checkpoint write failed {} time(s) in a row; training goes on and the "
            + "state is written again in {} s", consecutiveWriteFailures, wait.toMillis() / 1000.0);
        timers.startSingleTimer(RetryCheckpoint.INSTANCE, RetryCheckpoint.INSTANCE, wait);
      }
    }
    return this;
  }

  private Behavior<Command> onFinish(Finish finish) {
    if (finishing != null) {
      return this;
    }
    finishing = finish.reason();
    health.tell(new HealthMonitor.Heartbeat(name(), "finishing: " + finishing));
    if (lastWrittenStep == state.step() && lastManifest.isPresent()) {
      return finish("");
    }
    if (writeInFlight != state.step()) {
      writeCheckpoint();
    }
    return this;
  }

  private Behavior<Command> finish(String checkpointError) {
    supervisor.tell(new RunSupervisor.TrainerFinished(getContext().getSelf(), finishing, state,
        lastWrittenStep == state.step() ? lastManifest : Optional.empty(), checkpointError, givingUp));
    return Behaviors.stopped();
  }

  private Behavior<Command> onPreRestart() {
    String cause = lastFailure == null ? "unknown failure" : lastFailure.toString();
    getContext().getLog().warn("trainer: restarting after failure at step {}: {}", state.step() + 1, cause);
    spec.board().restarted();
    health.tell(new HealthMonitor.Restarted(name(), cause));
    engine.close();
    return this;
  }

  private Behavior<Command> onPostStop() {
    engine.close();
    return this;
  }

  private String name() {
    return getContext().getSelf().path().name();
  }
}
