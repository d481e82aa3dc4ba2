package crisscross.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.config.ConfigError;
import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import crisscross.trainer.checkpoint.LocalCheckpointStore;
import crisscross.trainer.checkpoint.UnreadableCheckpoints;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code pretrain} does at start with a checkpoint directory whose checkpoints are all unreadable. */
class ResumeAtStartTest {
  @TempDir Path dir;

  @Test
  void theRunIsRefusedWithAMessageNamingTheCheckpointsAndTheDiscardOption() throws Exception {
    LocalCheckpointStore store = new LocalCheckpointStore(dir.resolve("checkpoints"), 3, 0);
    UnreadableCheckpoints.writeUnreadable(store, 3);
    Settings settings = ConfigLoader.fromArguments(List.of("demo"), List.of());

    // The dataset and kernels are only consulted once a checkpoint is found, which none is.
    assertThatThrownBy(() -> PretrainRun.checkResumable(store, settings, null, null))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("step-000000000003")
        .hasMessageContaining(store.location())
        .hasMessageContaining("checkpoint.discard-unreadable = true");
    assertThat(store.names()).containsExactly("step-000000000003");
  }

  @Test
  void withDiscardUnreadableTheyAreDeletedAndTheRunStartsFromTheInitialWeights() throws Exception {
    LocalCheckpointStore store = new LocalCheckpointStore(dir.resolve("checkpoints"), 3, 0);
    UnreadableCheckpoints.writeUnreadable(store, 3);
    UnreadableCheckpoints.writeUnreadable(store, 5);
    Settings settings = ConfigLoader.fromArguments(List.of("demo"), List.of("checkpoint.discard-unreadable=true"));

    assertThat(PretrainRun.checkResumable(store, settings, null, null)).isEmpty();
    assertThat(store.names()).isEmpty();
  }
}
