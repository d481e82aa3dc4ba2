package crisscross.trainer.actor;

import crisscross.pipeline.media.SkipReason;
import crisscross.pipeline.stream.PipelineMetrics;
import crisscross.trainer.checkpoint.CheckpointManifest;
import crisscross.trainer.checkpoint.MetricPoint;
import crisscross.trainer.checkpoint.TrainerState;
import crisscross.trainer.monitor.Metrics;
import crisscross.trainer.monitor.RunControl;
import crisscross.trainer.monitor.RunView;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.bytedeco.javacpp.Pointer;

/**
 * The run as operators see it: metrics, phase, recent history and the actor table, updated by the actors and
 * read by the monitor's HTTP threads. Control actions are forwarded to the run supervisor.
 */
public final class RunBoard implements RunView, RunControl {
  static final int HISTORY_POINTS = 2000;

  private final Metrics metrics = new Metrics();
  private final PipelineMetrics pipeline;
  private final AtomicReference<String> phase = new AtomicReference<>("starting");
  private final AtomicReference<Map<String, Object>> actors = new AtomicReference<>(Map.of());
  private final AtomicLong lastCheckpointMillis = new AtomicLong(0);
  private final AtomicReference<String> lastCheckpoint = new AtomicReference<>("");
  private final AtomicLong checkpointFailuresInARow = new AtomicLong();
  private final AtomicReference<String> lastCheckpointFailure = new AtomicReference<>("");
  private final AtomicLong restarts = new AtomicLong();
  private final ArrayDeque<MetricPoint> history = new ArrayDeque<>();
  private volatile List<String> termNames = List.of();
  private volatile long step;
  private volatile int epoch;
  private volatile ActorRef<RunSupervisor.Command> supervisor;
  private volatile Scheduler scheduler;

  public RunBoard(PipelineMetrics pipeline) {
    this.pipeline = pipeline;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    metrics.gaugeFunction("crisscross_jvm_heap_used_bytes", "JVM heap in use",
        () -> memory.getHeapMemoryUsage().getUsed());
    metrics.gaugeFunction("crisscross_jvm_heap_max_bytes", "JVM heap limit", () -> memory.getHeapMemoryUsage().getMax());
    metrics.gaugeFunction("crisscross_native_physical_bytes", "Resident memory of the process (JavaCPP)",
        Pointer::physicalBytes);
    metrics.gaugeFunction("crisscross_native_tracked_bytes", "Native memory allocated through JavaCPP (ND4J, FFmpeg)",
        Pointer::totalBytes);
    metrics.gaugeFunction("crisscross_pipeline_buffer_batches", "Batches ready in the pipeline buffer",
        pipeline::bufferFill);
    metrics.gaugeFunction("crisscross_pipeline_load_seconds",
        "Mean time to load one sample (fetch, decode, views, augmentation)", () -> pipeline.meanLoadMillis() / 1000);
    metrics.gaugeFunction("crisscross_pipeline_samples_loaded_per_second", "Samples loaded per second by the pipeline",
        pipeline::samplesPerSecond);
    java.util.Map<String, java.util.function.DoubleSupplier> skips = new java.util.LinkedHashMap<>();
    for (SkipReason reason : SkipReason.values()) {
      skips.put(reason.label(), () -> pipeline.skipped(reason));
    }
    metrics.counterFunction("crisscross_pipeline_skipped_total",
        "Visits skipped by the pipeline, by reason (replays after restarts included)", "reason", skips);
    java.util.Map<String, java.util.function.DoubleSupplier> badFiles = new java.util.LinkedHashMap<>();
    for (SkipReason reason : SkipReason.values()) {
      if (reason.permanent()) {
        badFiles.put(reason.label(), () -> pipeline.badFiles(reason));
      }
    }
    metrics.counterFunction("crisscross_pipeline_bad_files_total",
        "Files found unusable for good (no stream, not media, too short), remembered for the run", "reason", badFiles);
    metrics.gaugeFunction("crisscross_checkpoint_age_seconds",
        "Seconds since the newest good checkpoint was written (restored ones included)",
        () -> lastCheckpointMillis.get() == 0 ? Double.NaN
            : (System.currentTimeMillis() - lastCheckpointMillis.get()) / 1000.0);
    metrics.gaugeFunction("crisscross_checkpoint_failures_in_a_row",
        "Checkpoint writes failed since the newest good one (the run stops at checkpoint.max-consecutive-failures)",
        checkpointFailuresInARow::get);
    metrics.gaugeFunction("crisscross_ready", "1 while training", () -> ready() ? 1 : 0);
    metrics.counter("crisscross_restarts_total", "Trainer restarts after failures").touch();
    metrics.counter("crisscross_checkpoint_writes_total", "Checkpoint writes by outcome", "outcome").touch("ok");
    metrics.counter("crisscross_checkpoint_writes_total", "Checkpoint writes by outcome", "outcome").touch("failed");
  }

  public Metrics metrics() {
    return metrics;
  }

  public PipelineMetrics pipeline() {
    return pipeline;
  }

  void attach(ActorRef<RunSupervisor.Command> supervisorRef, Scheduler actorScheduler) {
    this.supervisor = supervisorRef;
    this.scheduler = actorScheduler;
  }

  void phase(String value) {
    phase.set(value);
  }

  /** The trainer restored (or initialised) its state: history and counters continue from it. */
  synchronized void restored(TrainerState state) {
    termNames = List.copyOf(state.termNames());
    history.clear();
    history.addAll(state.history());
    step = state.step();
    epoch = state.epoch();
    publishRunTotals(state);
  }

  private Map<String, Double> methodDiagnostics = Map.of();

  synchronized void stepped(TrainerState state, MetricPoint point) {
    step = state.step();
    epoch = state.epoch();
    history.addLast(point);
    while (history.size() > HISTORY_POINTS) {
      history.removeFirst();
    }
    metrics.gauge("crisscross_step", "Optimiser steps taken").set(step);
    metrics.gauge("crisscross_epoch", "Current epoch").set(epoch);
    metrics.gauge("crisscross_position_in_epoch", "Samples of the epoch consumed").set(state.positionInEpoch());
    Metrics.Gauge loss = metrics.gauge("crisscross_loss", "Loss of the last step, per term", "term");
    loss.set(point.total(), "total");
    for (int i = 0; i < termNames.size() && i < point.terms().length; i++) {
      String term = termNames.get(i);
      if (isAccuracy(term)) {
        metrics.gauge("crisscross_pretext_accuracy", "Accuracy of a pretext task on the last batch", "task")
            .set(point.terms()[i], term.substring(ACCURACY_PREFIX.length()));
      } else {
        loss.set(point.terms()[i], term);
      }
    }
    metrics.gauge("crisscross_learning_rate", "Learning rate of the encoder groups").set(point.encoderLr());
    metrics.gauge("crisscross_samples_per_second", "Training throughput").set(point.samplesPerSecond());
    metrics.gauge("crisscross_collapse_std", "Std of the l2-normalised projections (0 = collapsed)")
        .set(point.collapse());
    publishRunTotals(state);
  }

  /** The method's newest health signals (XDC's clustering round and NMIs): a gauge each and a map on /status. */
  synchronized void methodDiagnostics(Map<String, Double> diagnostics) {
    methodDiagnostics = new java.util.TreeMap<>(diagnostics);
    Metrics.Gauge gauge = metrics.gauge("crisscross_method_diagnostic",
        "The method's own health signals (XDC: clustering round, NMI with the previous round and with the classes, "
            + "cluster sizes)", "name");
    diagnostics.forEach((name, value) -> gauge.set(value, name));
  }

  /** The newest metric point, if any step was taken or restored. */
  public synchronized java.util.Optional<MetricPoint> lastPoint() {
    return java.util.Optional.ofNullable(history.peekLast());
  }

  /** Metric points taken at or after {@code wallMillis}. */
  public synchronized List<MetricPoint> pointsSince(long wallMillis) {
    return history.stream().filter(p -> p.wallMillis() >= wallMillis).toList();
  }

  public List<String> termNames() {
    return termNames;
  }

  /** The state to keep in the next checkpoint's metric history. */
  synchronized ArrayList<MetricPoint> historySnapshot() {
    return new ArrayList<>(history);
  }

  private void publishRunTotals(TrainerState state) {
    metrics.gauge("crisscross_samples_trained", "Samples that went into optimiser steps (run total)")
        .set(state.samplesTrained());
    Metrics.Gauge skipped = metrics.gauge("crisscross_run_skipped_samples",
        "Samples skipped over the run, by reason (exact across restarts)", "reason");
    for (SkipReason reason : SkipReason.values()) {
      skipped.set(state.skippedByReason().getOrDefault(reason.label(), 0L), reason.label());
    }
  }

  void checkpointWritten(CheckpointManifest manifest) {
    lastCheckpointMillis.set(System.currentTimeMillis());
    lastCheckpoint.set(manifest.name());
    checkpointFailuresInARow.set(0);
    metrics.counter("crisscross_checkpoint_writes_total", "Checkpoint writes by outcome", "outcome").inc("ok");
  }

  /** The trainer resumed from {@code manifest}: its age counts from when it was written. */
  void checkpointRestored(CheckpointManifest manifest) {
    long written;
    try {
      written = java.time.Instant.parse(manifest.createdAt()).toEpochMilli();
    } catch (java.time.format.DateTimeParseException | NullPointerException e) {
      written = System.currentTimeMillis();
    }
    lastCheckpointMillis.set(written);
    lastCheckpoint.set(manifest.name());
  }

  void checkpointFailed(String error) {
    checkpointFailuresInARow.incrementAndGet();
    lastCheckpointFailure.set(error);
    metrics.counter("crisscross_checkpoint_writes_total", "Checkpoint writes by outcome", "outcome").inc("failed");
  }

  void restarted() {
    restarts.incrementAndGet();
    metrics.counter("crisscross_restarts_total", "Trainer restarts after failures").inc();
  }

  void actors(Map<String, Object> table) {
    actors.set(table);
  }

  public long restarts() {
    return restarts.get();
  }

  public String lastCheckpoint() {
    return lastCheckpoint.get();
  }

  @Override
  public boolean live() {
    return !phase.get().equals("stopped") && !phase.get().equals("failed");
  }

  @Override
  public boolean ready() {
    return phase.get().equals("training");
  }

  @Override
  public String phase() {
    return phase.get();
  }

  @Override
  public String metricsText() {
    return metrics.scrape();
  }

  @Override
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", phase.get());
    status.put("step", step);
    status.put("epoch", epoch);
    status.put("restarts", restarts.get());
    status.put("last_checkpoint", lastCheckpoint.get());
    status.put("checkpoint_failures_in_a_row", checkpointFailuresInARow.get());
    status.put("last_checkpoint_failure", lastCheckpointFailure.get());
    status.put("actors", actors.get().getOrDefault("actors", List.of()));
    synchronized (this) {
      Map<String, Object> method = new LinkedHashMap<>();
      methodDiagnostics.forEach((name, value) -> method.put(name, finite(value)));
      status.put("method", method);
    }
    return status;
  }

  @Override
  public synchronized Map<String, Object> history() {
    List<Long> steps = new ArrayList<>(history.size());
    Map<String, List<Double>> loss = new LinkedHashMap<>();
    Map<String, List<Double>> accuracy = new LinkedHashMap<>();
    loss.put("total", new ArrayList<>());
    for (String term : termNames) {
      if (isAccuracy(term)) {
        accuracy.put(term.substring(ACCURACY_PREFIX.length()), new ArrayList<>());
      } else {
        loss.put(term, new ArrayList<>());
      }
    }
    List<Double> throughput = new ArrayList<>();
    List<Double> lr = new ArrayList<>();
    List<Double> collapse = new ArrayList<>();
    for (MetricPoint point : history) {
      steps.add(point.step());
      loss.get("total").add(finite(point.total()));
      for (int i = 0; i < termNames.size(); i++) {
        String term = termNames.get(i);
        List<Double> series = isAccuracy(term) ? accuracy.get(term.substring(ACCURACY_PREFIX.length()))
            : loss.get(term);
        series.add(i < point.terms().length ? finite(point.terms()[i]) : null);
      }
      throughput.add(finite(point.samplesPerSecond()));
      lr.add(finite(point.encoderLr()));
      collapse.add(finite(point.collapse()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("phase", phase.get());
    out.put("step", step);
    out.put("epoch", epoch);
    out.put("steps", steps);
    out.put("loss", loss);
    out.put("accuracy", accuracy);
    out.put("samples_per_second", throughput);
    out.put("lr", lr);
    out.put("collapse", collapse);
    return out;
  }

  /** Terms named {@code acc_<task>} are a method's pretext accuracies, not losses. */
  static final String ACCURACY_PREFIX = "acc_";

  static boolean isAccuracy(String term) {
    return term.startsWith(ACCURACY_PREFIX);
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  @Override
  public CompletionStage<String> requestCheckpoint() {
    if (supervisor == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("the run has not started yet"));
    }
    return AskPattern.<RunSupervisor.Command, RunSupervisor.ControlReply>ask(supervisor,
            RunSupervisor.CheckpointNow::new, Duration.ofMinutes(10), scheduler)
        .thenCompose(RunBoard::unwrap);
  }

  @Override
  public CompletionStage<String> requestStop() {
    if (supervisor == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("the run has not started yet"));
    }
    return AskPattern.<RunSupervisor.Command, RunSupervisor.ControlReply>ask(supervisor,
            replyTo -> new RunSupervisor.Stop("stop requested through the monitor", replyTo),
            Duration.ofSeconds(30), scheduler)
        .thenCompose(RunBoard::unwrap);
  }

  private static CompletionStage<String> unwrap(RunSupervisor.ControlReply reply) {
    return reply.ok() ? CompletableFuture.completedFuture(reply.message())
        : CompletableFuture.failedFuture(new IllegalStateException(reply.message()));
  }
}
