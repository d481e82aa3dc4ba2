package crisscross.trainer.actor;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.trainer.checkpoint.CheckpointStore;
import crisscross.trainer.checkpoint.LocalCheckpointStore;
import crisscross.trainer.checkpoint.TrainerState;
import crisscross.trainer.checkpoint.UnreadableCheckpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSupervisorTest {
  @TempDir Path dir;

  /** Parameters' digest and per-sample visit counts of a store's newest checkpoint. */
  record Ending(String parameterSha, long[] visits, TrainerState state) {}

  static Ending ending(LocalCheckpointStore store) throws Exception {
    CheckpointStore.Loaded loaded = store.loadLatestValid(w -> { }).orElseThrow();
    return new Ending(loaded.manifest().parameterSha256(), loaded.checkpoint().model().parameters().get(1).longs(),
        loaded.checkpoint().trainerState());
  }

  static void assertEverySampleOfEveryEpochOnce(Ending ending) {
    for (int i = 0; i < RunFixture.DATASET; i++) {
      assertThat(ending.visits()[i]).as("visits of sample %d", i)
          .isEqualTo(RunFixture.DAMAGED.contains(i) ? 0 : RunFixture.EPOCHS);
    }
    assertThat(ending.state().skippedByReason()).containsEntry("truncated_audio",
        (long) RunFixture.DAMAGED.size() * RunFixture.EPOCHS);
    assertThat(ending.state().samplesTrained())
        .isEqualTo((long) (RunFixture.DATASET - RunFixture.DAMAGED.size()) * RunFixture.EPOCHS);
    assertThat(ending.state().consumedVisits()).isEqualTo((long) RunFixture.DATASET * RunFixture.EPOCHS);
  }

  @Test
  void anUninterruptedRunConsumesEverySampleOfEveryEpochOnce() throws Exception {
    try (RunFixture run = new RunFixture(dir.resolve("a"), 3, 0)) {
      RunOutcome outcome = run.run(run.spec(0, 5, RunSpec.Faults.none(), 0, 3));
      assertThat(outcome.status()).isEqualTo(RunOutcome.Status.COMPLETED);
      assertThat(outcome.restarts()).isZero();
      TrainerState state = outcome.finalState().orElseThrow();
      assertThat(state.epoch()).isEqualTo(RunFixture.EPOCHS);
      assertThat(state.positionInEpoch()).isZero();
      assertThat(outcome.checkpoint().orElseThrow().step()).isEqualTo(state.step());
      assertEverySampleOfEveryEpochOnce(ending(run.store));
      assertThat(run.board.phase()).isEqualTo("stopped");
    }
    assertThat(BatchDigestEngine.OPEN.get()).isZero();
  }

  @Test
  void aRunWhoseTrainerCrashesAndResumesEndsBitIdenticalToAnUninterruptedOne() throws Exception {
    Ending reference;
    BatchDigestEngine.LOG.clear();
    try (RunFixture run = new RunFixture(dir.resolve("straight"), 3, 0)) {
      run.run(run.spec(0, 4, RunSpec.Faults.none(), 0, 3));
      reference = ending(run.store);
    }
    java.util.List<String> straightLog = new java.util.ArrayList<>(BatchDigestEngine.LOG);
    BatchDigestEngine.LOG.clear();
    try (RunFixture run = new RunFixture(dir.resolve("crashing"), 3, 0)) {
      RunOutcome outcome = run.run(run.spec(0, 4, RunSpec.Faults.crashEvery(7), 0, 10));
      assertThat(outcome.status()).isEqualTo(RunOutcome.Status.COMPLETED);
      assertThat(outcome.restarts()).isGreaterThanOrEqualTo(3);
      Ending crashed = ending(run.store);
      assertThat(crashed.state().consumptionDigest()).isEqualTo(reference.state().consumptionDigest());
      if (!crashed.parameterSha().equals(reference.parameterSha())) {
        System.out.println("STRAIGHT " + straightLog);
        System.out.println("CRASHED  " + BatchDigestEngine.LOG);
      }
      assertThat(crashed.parameterSha()).isEqualTo(reference.parameterSha());
      assertEverySampleOfEveryEpochOnce(crashed);
      assertThat(run.board.metrics().value("crisscross_restarts_total")).isEqualTo(outcome.restarts());
      // The engine's own diagnostics reach /metrics and /status (XDC publishes its clustering there).
      assertThat(run.board.metrics().value("crisscross_method_diagnostic", "engine_steps")).isPositive();
      assertThat(run.board.status().get("method")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
          .containsKey("engine_steps");
    }
    assertThat(BatchDigestEngine.OPEN.get()).isZero();
  }

  @Test
  void epochsWhoseSamplesTheEngineChoosesAreStreamedAsChosenAndSurviveCrashesBitExactly() throws Exception {
    Ending reference;
    BatchDigestEngine.LOG.clear();
    try (RunFixture run = new RunFixture(dir.resolve("chosen-straight"), 3, 0)) {
      run.chosenOrders = true;
      RunOutcome outcome = run.run(run.spec(0, 4, RunSpec.Faults.none(), 0, 3));
      assertThat(outcome.status()).isEqualTo(RunOutcome.Status.COMPLETED);
      reference = ending(run.store);
    }
    // Each epoch visits the 15 least-visited samples so far (ties by index) twice each; the damaged ones are skipped
    // at every visit, so they stay least-visited and are chosen again.
    long[] expected = new long[RunFixture.DATASET];
    long[] seen = new long[RunFixture.DATASET];
    for (int epoch = 0; epoch < RunFixture.EPOCHS; epoch++) {
      Integer[] byVisits = java.util.stream.IntStream.range(0, RunFixture.DATASET).boxed()
          .sorted(java.util.Comparator.<Integer>comparingLong(i -> seen[i]).thenComparingInt(i -> i))
          .toArray(Integer[]::new);
      for (int k = 0; k < RunFixture.DATASET / 2; k++) {
        int sample = byVisits[k];
        if (!RunFixture.DAMAGED.contains(sample)) {
          seen[sample] += 2;
          expected[sample] += 2;
        }
      }
    }
    assertThat(reference.visits()).containsExactly(expected);
    assertThat(reference.state().consumedVisits()).isEqualTo((long) RunFixture.DATASET * RunFixture.EPOCHS);
    assertThat(BatchDigestEngine.LOG).contains("prepare:0", "prepare:1", "prepare:2").doesNotContain("prepare:3");
    try (RunFixture run = new RunFixture(dir.resolve("chosen-crashing"), 3, 0)) {
      run.chosenOrders = true;
      RunOutcome outcome = run.run(run.spec(0, 4, RunSpec.Faults.crashEvery(7), 0, 10));
      assertThat(outcome.status()).isEqualTo(RunOutcome.Status.COMPLETED);
      assertThat(outcome.restarts()).isGreaterThanOrEqualTo(3);
      Ending crashed = ending(run.store);
      assertThat(crashed.state().consumptionDigest()).isEqualTo(reference.state().consumptionDigest());
      assertThat(crashed.parameterSha()).isEqualTo(reference.parameterSha());
    }
    assertThat(BatchDigestEngine.OPEN.get()).isZero();
  }

  @Test
  void checkpointWriteFailuresAreSurvivedAndTheRunStaysExact() throws Exception {
    Ending reference;
    BatchDigestEngine.LOG.clear();
    try (RunFixture run = new RunFixture(dir.resolve("straight"), 3, 0)) {
      run.run(run.spec(0, 3, RunSpec.Faults.none(), 0, 3));
      reference = ending(run.store);
    }
    java.util.List<String> straightLog = new java.util.ArrayList<>(BatchDigestEngine.LOG);
    BatchDigestEngine.LOG.clear();
    try (RunFixture run = new RunFixture(dir.resolve("flaky-disk"), 3, 2)) {
      RunOutcome outcome = run.run(run.spec(0, 3, RunSpec.Faults.crashEvery(8), 0, 10));
      assertThat(outcome.status()).isEqualTo(RunOutcome.Status.COMPLETED);
      assertThat(run.board.metrics().value("crisscross_checkpoint_writes_total", "failed")).isPositive();
      if (!ending(run.store).parameterSha().equals(reference.parameterSha())) {
        System.out.println("STRAIGHT " + straightLog);
        System.out.println("FLAKY    " + BatchDigestEngine.LOG + " outcome " + outcome);
      }
      assertThat(ending(run.store).parameterSha()).isEqualTo(reference.parameterSha());
    }
  }

  @Test
  void aFullDiskIsRetriedWithBackoffWhileTrainingGoesOnAndTheRunEndsExactOnceThereIsRoom() throws Exception {
    Ending reference;
    try (RunFixture run = new RunFixture(dir.resolve("roomy"), 3, 0)) {
      run.run(run.spec(0, 3, RunSpec.Faults.none(), 0, 3));
      reference = ending(run.store);
    }
    try (RunFixture run = new RunFixture(dir.resolve("full"), 3, 0)) {
      run.stepMillis = 50;
      run.diskFull = true;
      run.start(run.spec(0, 3, RunSpec.Faults.none(), 0, 3));
      awaitUpTo(Duration.ofSeconds(30), () -> run.refusedWrites.get() >= 3);
      assertThat(run.refusedWrites.get()).as("writes tried again").isGreaterThanOrEqualTo(3);
      assertThat(run.store.names()).as("nothing half-written").isEmpty();
      assertThat(run.board.metrics().value("crisscross_checkpoint_failures_in_a_row")).isGreaterThanOrEqualTo(3);
      assertThat((String) run.board.status().get("last_checkpoint_failure")).contains("No space left on device");
      run.diskFull = false;
      RunOutcome outcome = run.outcome.get(120, TimeUnit.SECONDS);
      assertThat(outcome.status()).isEqualTo(RunOutcome.Status.COMPLETED);
      assertThat(run.board.metrics().value("crisscross_checkpoint_writes_total", "failed")).isGreaterThanOrEqualTo(3);
      assertThat(ending(run.store).parameterSha()).isEqualTo(reference.parameterSha());
      assertThat(run.board.metrics().value("crisscross_checkpoint_failures_in_a_row")).isZero();
    }
  }

  @Test
  void checkpointWritesFailingTooOftenInARowStopTheRunNamingTheNewestGoodCheckpoint() throws Exception {
    try (RunFixture run = new RunFixture(dir.resolve("filling-up"), 3, 0)) {
      run.checkpointRetry = new RunSpec.CheckpointRetry(3, Duration.ofMillis(10), Duration.ofMillis(40));
      run.stepMillis = 50;
      run.start(run.spec(0, 3, RunSpec.Faults.none(), 0, 3));
      awaitUpTo(Duration.ofSeconds(30), () -> !run.store.names().isEmpty());
      run.diskFull = true;
      RunOutcome outcome = run.outcome.get(120, TimeUnit.SECONDS);
      assertThat(outcome.message()).contains("checkpoint writes failed 3 times in a row")
          .contains("No space left on device").contains("the newest good checkpoint is step-");
      assertThat(outcome.status()).isEqualTo(RunOutcome.Status.FAILED);
      assertThat(run.board.phase()).isEqualTo("failed");
      assertThat(run.store.verify(run.store.names().get(0)).ok()).as("the previous checkpoint stays good").isTrue();
    }
  }

  @Test
  void aStepThatNeverReturnsIsCaughtByTheWatchdogAndANewTrainerResumesFromTheLastGoodCheckpointExactly()
      throws Exception {
    Ending reference;
    BatchDigestEngine.LOG.clear();
    try (RunFixture run = new RunFixture(dir.resolve("straight"), 3, 0)) {
      run.run(run.spec(0, 3, RunSpec.Faults.none(), 0, 3));
      reference = ending(run.store);
    }
    try (RunFixture run = new RunFixture(dir.resolve("hung-once"), 3, 0)) {
      run.stepTimeout = new StepWatchdog.Policy(Duration.ofSeconds(2), 20, Duration.ofMinutes(10));
      BatchDigestEngine.hangAtStep = 7;
      BatchDigestEngine.HANGS_LEFT.set(1);
      try {
        RunOutcome outcome = run.run(run.spec(0, 3, RunSpec.Faults.none(), 0, 3));
        assertThat(outcome.status()).isEqualTo(RunOutcome.Status.COMPLETED);
        assertThat(outcome.restarts()).as("the stuck trainer was replaced").isEqualTo(1);
        assertThat(run.board.metrics().value("crisscross_restarts_total")).isEqualTo(1);
        Ending resumed = ending(run.store);
        assertThat(resumed.parameterSha()).isEqualTo(reference.parameterSha());
        assertThat(resumed.state().consumptionDigest()).isEqualTo(reference.state().consumptionDigest());
        assertEverySampleOfEveryEpochOnce(resumed);
        assertThat(BatchDigestEngine.LOG).as("the new trainer restored step 6").contains("restore@6#"
            + BatchDigestEngine.LOG.stream().filter(line -> line.startsWith("6:")).findFirst().orElseThrow()
                .replaceAll(".*#", ""));
      } finally {
        BatchDigestEngine.hangAtStep = 0;
        BatchDigestEngine.releaseHungSteps();
      }
      awaitUpTo(Duration.ofSeconds(10), () -> BatchDigestEngine.OPEN.get() == 0);
      assertThat(BatchDigestEngine.OPEN.get()).as("the retired trainer freed its engine once its step ended")
          .isZero();
      assertThat(run.store.names()).as("the retired trainer wrote nothing after its step returned")
          .allMatch(name -> run.store.verify(name).ok());
    }
  }

  @Test
  void stepsThatKeepHangingStopTheRunAfterMaxRestartsNamingTheCheckpointToResumeFrom() throws Exception {
    try (RunFixture run = new RunFixture(dir.resolve("hung"), 3, 0)) {
      run.stepTimeout = new StepWatchdog.Policy(Duration.ofSeconds(2), 20, Duration.ofMinutes(10));
      BatchDigestEngine.hangAtStep = 7;
      BatchDigestEngine.HANGS_LEFT.set(Integer.MAX_VALUE);
      try {
        RunOutcome outcome = run.run(run.spec(0, 3, RunSpec.Faults.none(), 0, 1));
        assertThat(outcome.status()).isEqualTo(RunOutcome.Status.FAILED);
        assertThat(outcome.message()).contains("step 7 has not returned").contains("trainer.step-timeout")
            .contains("trainer.max-restarts").contains("step-000000000006");
        assertThat(outcome.checkpoint().orElseThrow().step()).isEqualTo(6);
        assertThat(outcome.restarts()).isEqualTo(1);
        assertThat(run.board.phase()).isEqualTo("failed");
      } finally {
        // The stuck threads would keep the actor system from stopping.
        BatchDigestEngine.hangAtStep = 0;
        BatchDigestEngine.releaseHungSteps();
      }
    }
    awaitUpTo(Duration.ofSeconds(10), () -> BatchDigestEngine.OPEN.get() == 0);
    assertThat(BatchDigestEngine.OPEN.get()).as("the hung engines freed once their steps failed").isZero();
  }

  /**
   * The stream fails after five batches (a stage that crashes) and, when the feed starts it again, the source cannot even be built (a
   * listing that throws): the feed itself fails, its parent restarts it, and it resumes where the trainer stands.
   */
  @Test
  void aDataFeedThatFailsIsRestartedWhereTheTrainerStandsAndTheRunEndsExact() throws Exception {
    Ending reference;
    try (RunFixture run = new RunFixture(dir.resolve("straight"), 3, 0)) {
      run.run(run.spec(0, 3, RunSpec.Faults.none(), 0, 3));
      reference = ending(run.store);
    }
    java.util.List<String> starts = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (RunFixture run = new RunFixture(dir.resolve("feed-fails"), 3, 0)) {
      run.streamFaults = streams -> (epoch, position) -> {
        starts.add(epoch + "@" + position);
        if (starts.size() == 1) {
          return streams.from(epoch, position).map(batch -> {
            if (batch.startPosition() == 20) {
              throw new IllegalStateException("decoder crashed");
            }
            return batch;
          });
        }
        if (starts.size() == 2) {
          throw new IllegalStateException("cannot list the corpus");
        }
        return streams.from(epoch, position);
      };
      RunOutcome outcome = run.run(run.spec(0, 3, RunSpec.Faults.none(), 0, 3));
      assertThat(outcome.status()).isEqualTo(RunOutcome.Status.COMPLETED);
      assertThat(starts).hasSizeGreaterThanOrEqualTo(3).startsWith("0@0");
      assertThat(starts.get(2)).as("the restarted feed starts where the trainer stood when the stream failed")
          .isEqualTo(starts.get(1));
      Ending ending = ending(run.store);
      assertThat(ending.parameterSha()).isEqualTo(reference.parameterSha());
      assertEverySampleOfEveryEpochOnce(ending);
    }
  }

  @Test
  void aHealthMonitorThatFailsIsRestartedAndTheRunGoesOn() throws Exception {
    try (RunFixture run = new RunFixture(dir.resolve("monitor-fails"), 3, 0)) {
      run.stepMillis = 100;
      run.start(run.spec(0, 3, RunSpec.Faults.none(), 0, 3));
      awaitUpTo(Duration.ofSeconds(60), () -> run.board.metrics().value("crisscross_step") >= 3);
      java.time.Instant crashed = java.time.Instant.now();
      // A heartbeat without an actor name makes the monitor's table throw, as a bug in it would.
      run.system.classicSystem().actorSelection("/user/run/health-monitor")
          .tell(new HealthMonitor.Heartbeat(null, "broken"), org.apache.pekko.actor.ActorRef.noSender());
      awaitUpTo(Duration.ofSeconds(30), () -> heartbeatsAfter(run.board, crashed));
      assertThat(heartbeatsAfter(run.board, crashed)).as("the restarted monitor publishes new heartbeats").isTrue();
      RunOutcome outcome = run.outcome.get(120, TimeUnit.SECONDS);
      assertThat(outcome.status()).isEqualTo(RunOutcome.Status.COMPLETED);
    }
  }

  @Test
  void aTrainerThatKeepsFailingEndsTheRunWithAClearErrorAndTheLastGoodCheckpoint() throws Exception {
    try (RunFixture run = new RunFixture(dir.resolve("diverging"), 3, 0)) {
      RunOutcome outcome = run.run(run.spec(0, 2, RunSpec.Faults.none(), 5, 2));
      assertThat(outcome.status()).isEqualTo(RunOutcome.Status.FAILED);
      assertThat(outcome.message()).contains("failed 3 times").contains("trainer.max-restarts")
          .contains("loss is NaN").contains("last good checkpoint: step-000000000004");
      assertThat(outcome.checkpoint().orElseThrow().step()).isEqualTo(4);
      assertThat(outcome.restarts()).isEqualTo(2);
      assertThat(run.board.phase()).isEqualTo("failed");
    }
    assertThat(BatchDigestEngine.OPEN.get()).as("native memory freed on restart and stop").isZero();
  }

  @Test
  void aStoppedRunWritesAFinalCheckpointAndAResumedRunEndsExact() throws Exception {
    Ending reference;
    try (RunFixture run = new RunFixture(dir.resolve("straight"), 3, 0)) {
      run.run(run.spec(0, 100, RunSpec.Faults.none(), 0, 3));
      reference = ending(run.store);
    }
    Path checkpoints = dir.resolve("stopped");
    try (RunFixture run = new RunFixture(checkpoints, 3, 0)) {
      run.stepMillis = 50;
      run.start(run.spec(0, 100, RunSpec.Faults.none(), 0, 3));
      awaitUpTo(Duration.ofSeconds(60), () -> run.board.metrics().value("crisscross_step") >= 5);
      String reply = run.board.requestStop().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(reply).contains("stopping");
      RunOutcome outcome = run.outcome.get(60, TimeUnit.SECONDS);
      assertThat(outcome.status()).isEqualTo(RunOutcome.Status.STOPPED);
      long stoppedAt = outcome.finalState().orElseThrow().step();
      assertThat(stoppedAt).isGreaterThanOrEqualTo(5).isLessThan(21);
      assertThat(outcome.checkpoint().orElseThrow().step()).isEqualTo(stoppedAt);
    }
    try (RunFixture resumed = new RunFixture(checkpoints, 3, 0)) {
      RunOutcome outcome = resumed.run(resumed.spec(0, 100, RunSpec.Faults.none(), 0, 3));
      assertThat(outcome.status()).isEqualTo(RunOutcome.Status.COMPLETED);
      Ending ending = ending(resumed.store);
      assertThat(ending.parameterSha()).isEqualTo(reference.parameterSha());
      assertEverySampleOfEveryEpochOnce(ending);
    }
  }

  @Test
  void aRunWhoseCheckpointsAreAllUnreadableStopsNamingThemInsteadOfStartingOver() throws Exception {
    Path checkpoints = dir.resolve("unreadable");
    try (RunFixture first = new RunFixture(checkpoints, 3, 0)) {
      assertThat(first.run(first.spec(5, 5, RunSpec.Faults.none(), 0, 3)).status())
          .isEqualTo(RunOutcome.Status.MAX_STEPS);
      assertThat(first.store.names()).containsExactly("step-000000000005");
      UnreadableCheckpoints.frameManifest(first.store, "step-000000000005");
    }
    try (RunFixture resumed = new RunFixture(checkpoints, 3, 0)) {
      RunOutcome outcome = resumed.run(resumed.spec(0, 5, RunSpec.Faults.none(), 0, 1));

      assertThat(outcome.status()).isEqualTo(RunOutcome.Status.FAILED);
      assertThat(outcome.message()).contains("step-000000000005").contains("refusing to start over")
          .contains("checkpoint.discard-unreadable");
      assertThat(resumed.store.names()).as("nothing written over the unreadable checkpoint")
          .containsExactly("step-000000000005");
    }
    assertThat(BatchDigestEngine.OPEN.get()).isZero();
  }

  @Test
  void maxStepsStopsWithACheckpointAtThatStep() throws Exception {
    try (RunFixture run = new RunFixture(dir.resolve("short"), 3, 0)) {
      RunOutcome outcome = run.run(run.spec(6, 100, RunSpec.Faults.none(), 0, 3));
      assertThat(outcome.status()).isEqualTo(RunOutcome.Status.MAX_STEPS);
      assertThat(outcome.finalState().orElseThrow().step()).isEqualTo(6);
      assertThat(outcome.checkpoint().orElseThrow().step()).isEqualTo(6);
    }
  }

  @Test
  void filesUnusableForGoodAreOpenedOnceAcrossCrashesAndResumesAndTheRunEndsAsAnUninterruptedOne() throws Exception {
    Ending reference;
    try (RunFixture run = new RunFixture(dir.resolve("straight"), 3, 0)) {
      run.badFilesRecord = dir.resolve("straight-bad-files.jsonl");
      assertThat(run.run(run.spec(0, 4, RunSpec.Faults.none(), 0, 3)).status())
          .isEqualTo(RunOutcome.Status.COMPLETED);
      reference = ending(run.store);
      for (int damaged : RunFixture.DAMAGED) {
        assertThat(run.opened.get(damaged).get()).as("opens of damaged sample %d", damaged).isEqualTo(1);
      }
    }
    Path checkpoints = dir.resolve("interrupted");
    Path record = dir.resolve("interrupted-bad-files.jsonl");
    try (RunFixture run = new RunFixture(checkpoints, 3, 0)) {
      run.badFilesRecord = record;
      RunOutcome outcome = run.run(run.spec(12, 4, RunSpec.Faults.crashEvery(7), 0, 10));
      assertThat(outcome.status()).isEqualTo(RunOutcome.Status.MAX_STEPS);
      assertThat(outcome.restarts()).isPositive();
      for (int damaged : RunFixture.DAMAGED) {
        assertThat(run.opened.get(damaged).get()).as("opens of damaged sample %d", damaged).isEqualTo(1);
      }
    }
    try (RunFixture resumed = new RunFixture(checkpoints, 3, 0)) {
      resumed.badFilesRecord = record;
      assertThat(resumed.run(resumed.spec(0, 4, RunSpec.Faults.crashEvery(5), 0, 10)).status())
          .isEqualTo(RunOutcome.Status.COMPLETED);
      for (int damaged : RunFixture.DAMAGED) {
        assertThat(resumed.opened.get(damaged)).as("damaged sample %d opened after the resume", damaged).isNull();
      }
      assertThat(resumed.pipeline.badFiles(crisscross.pipeline.media.SkipReason.NO_AUDIO))
          .isEqualTo(RunFixture.DAMAGED.size());
      assertThat(resumed.board.metrics().value("crisscross_pipeline_bad_files_total", "no_audio"))
          .isEqualTo(RunFixture.DAMAGED.size());
      Ending ending = ending(resumed.store);
      assertThat(ending.state().consumptionDigest()).isEqualTo(reference.state().consumptionDigest());
      assertThat(ending.parameterSha()).isEqualTo(reference.parameterSha());
      assertThat(ending.state().skippedByReason()).containsEntry("no_audio",
          (long) RunFixture.DAMAGED.size() * RunFixture.EPOCHS);
      assertThat(ending.state().consumedVisits()).isEqualTo((long) RunFixture.DATASET * RunFixture.EPOCHS);
    }
  }

  @Test
  void aRunResumedAtItsStepLimitTrainsNoFurtherStep() throws Exception {
    Path checkpoints = dir.resolve("at-limit");
    try (RunFixture run = new RunFixture(checkpoints, 3, 0)) {
      assertThat(run.run(run.spec(6, 100, RunSpec.Faults.none(), 0, 3)).status())
          .isEqualTo(RunOutcome.Status.MAX_STEPS);
    }
    String before = ending(new LocalCheckpointStore(checkpoints, 3, 0)).parameterSha();
    for (long limit : new long[] {6, 4}) {
      try (RunFixture resumed = new RunFixture(checkpoints, 3, 0)) {
        RunOutcome outcome = resumed.run(resumed.spec(limit, 100, RunSpec.Faults.none(), 0, 3));
        assertThat(outcome.status()).as("resumed with max-steps %d", limit).isEqualTo(RunOutcome.Status.MAX_STEPS);
        assertThat(outcome.finalState().orElseThrow().step()).as("resumed with max-steps %d", limit).isEqualTo(6);
        assertThat(outcome.checkpoint().orElseThrow().step()).isEqualTo(6);
        assertThat(outcome.message()).contains("trainer.max-steps = " + limit);
        assertThat(ending(resumed.store).parameterSha()).isEqualTo(before);
      }
    }
  }

  @Test
  void operatorsCanAskForACheckpointThroughTheBoard() throws Exception {
    try (RunFixture run = new RunFixture(dir.resolve("asked"), 5, 0)) {
      run.stepMillis = 30;
      run.start(run.spec(0, 1000, RunSpec.Faults.none(), 0, 3));
      awaitUpTo(Duration.ofSeconds(60), () -> run.board.metrics().value("crisscross_step") >= 3);
      String reply = run.board.requestCheckpoint().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(reply).containsPattern("step-0000000000\\d\\d");
      assertThat(run.store.names()).isNotEmpty();
      run.outcome.get(60, TimeUnit.SECONDS);
    }
  }

  /** Whether the actor table on /status holds a heartbeat received after {@code instant}. */
  static boolean heartbeatsAfter(RunBoard board, java.time.Instant instant) {
    @SuppressWarnings("unchecked")
    java.util.List<java.util.Map<String, Object>> rows =
        (java.util.List<java.util.Map<String, Object>>) board.status().get("actors");
    return rows.stream().anyMatch(row -> java.time.Instant.parse((String) row.get("last_heartbeat")).isAfter(instant));
  }

  /** What a test waits for while a run goes on. */
  @FunctionalInterface
  interface Condition {
    boolean holds() throws Exception;
  }

  /** Polls {@code condition} until it holds or {@code limit} has passed; the assertions after it tell which. */
  static void awaitUpTo(Duration limit, Condition condition) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.holds() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }
}
