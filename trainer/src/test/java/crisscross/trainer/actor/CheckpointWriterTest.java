package crisscross.trainer.actor;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.stream.PipelineMetrics;
import crisscross.trainer.checkpoint.Checkpoint;
import crisscross.trainer.checkpoint.LocalCheckpointStore;
import crisscross.trainer.checkpoint.TrainerState;
import crisscross.trainer.host.NativeKernels;
import java.nio.file.Path;
import java.util.HashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint writer's protocol: writes answered one by one, and none from a retired trainer. */
class CheckpointWriterTest {
  static final ActorTestKit KIT = ActorTestKit.create();

  @TempDir Path dir;

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  static Checkpoint checkpointAt(long step) {
    BatchDigestEngine engine = new BatchDigestEngine(4, 0, 0);
    try {
      TrainerState state = TrainerState.initial(11, engine.termNames())
          .advanced(step, 0, step * 4, step * 4, new HashMap<>(), step * 4, step);
      return new Checkpoint("crisscross", "crisscross", "{}", "config-hash", "data-hash", "test",
          NativeKernels.current(), state, engine.snapshot());
    } finally {
      engine.close();
    }
  }

  @Test
  void writesOfARetiredTrainerAreRefusedAndNeverReachTheStore() throws Exception {
    LocalCheckpointStore store = new LocalCheckpointStore(dir, 5, 0);
    ActorRef<CheckpointWriter.Command> writer = KIT.spawn(CheckpointWriter.create(store,
        new RunBoard(new PipelineMetrics()), KIT.<HealthMonitor.Command>createTestProbe().getRef()));
    TestProbe<CheckpointWriter.Outcome> retired = KIT.createTestProbe();
    TestProbe<CheckpointWriter.Outcome> current = KIT.createTestProbe();

    writer.tell(new CheckpointWriter.Write(checkpointAt(6), 0, retired.getRef()));
    assertThat(retired.expectMessageClass(CheckpointWriter.Written.class).step()).isEqualTo(6);
    writer.tell(new CheckpointWriter.RefuseBefore(1));
    writer.tell(new CheckpointWriter.Write(checkpointAt(7), 0, retired.getRef()));
    CheckpointWriter.Failed refused = retired.expectMessageClass(CheckpointWriter.Failed.class);
    assertThat(refused.step()).isEqualTo(7);
    assertThat(refused.error()).contains("retired");
    writer.tell(new CheckpointWriter.Write(checkpointAt(8), 1, current.getRef()));
    assertThat(current.expectMessageClass(CheckpointWriter.Written.class).step()).isEqualTo(8);

    assertThat(store.names()).containsExactly("step-000000000008", "step-000000000006");
  }

  @Test
  void anOlderFenceDoesNotReopenTheStoreToRetiredTrainers() throws Exception {
    LocalCheckpointStore store = new LocalCheckpointStore(dir, 5, 0);
    ActorRef<CheckpointWriter.Command> writer = KIT.spawn(CheckpointWriter.create(store,
        new RunBoard(new PipelineMetrics()), KIT.<HealthMonitor.Command>createTestProbe().getRef()));
    TestProbe<CheckpointWriter.Outcome> replies = KIT.createTestProbe();
    writer.tell(new CheckpointWriter.RefuseBefore(2));
    writer.tell(new CheckpointWriter.RefuseBefore(1));
    writer.tell(new CheckpointWriter.Write(checkpointAt(3), 1, replies.getRef()));
    assertThat(replies.expectMessageClass(CheckpointWriter.Failed.class).step()).isEqualTo(3);
    assertThat(store.names()).isEmpty();
  }
}
