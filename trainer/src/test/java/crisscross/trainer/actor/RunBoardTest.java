package crisscross.trainer.actor;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.stream.PipelineMetrics;
import crisscross.trainer.checkpoint.CheckpointManifest;
import crisscross.trainer.checkpoint.MetricPoint;
import crisscross.trainer.checkpoint.TrainerState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RunBoardTest {
  /** A method's acc_* terms are its pretext accuracies: their own gauge and chart series, not losses. */
  @Test
  void accuracyTermsArePublishedAsPretextAccuraciesBesideTheLosses() {
    RunBoard board = new RunBoard(new PipelineMetrics());
    TrainerState state = TrainerState.initial(1, List.of("L_speed_v", "acc_speed_v"));
    board.restored(state);
    board.stepped(state, new MetricPoint(1, 0, 0, 1.5, new double[] {1.2, 0.75}, 10, 1e-3, 0.1));
    assertThat(board.metrics().value("crisscross_loss", "L_speed_v")).isEqualTo(1.2);
    assertThat(board.metrics().value("crisscross_pretext_accuracy", "speed_v")).isEqualTo(0.75);
    assertThat(board.metrics().scrape()).doesNotContain("crisscross_loss{term=\"acc_speed_v\"}");
    Map<String, Object> history = board.history();
    assertThat(List.copyOf(((Map<?, ?>) history.get("loss")).keySet())).isEqualTo(List.of("total", "L_speed_v"));
    assertThat(((Map<?, ?>) history.get("accuracy")).get("speed_v")).isEqualTo(List.of(0.75));
  }

  /** After a resume the age on /metrics counts from when the restored checkpoint was written, not from nothing. */
  @Test
  void aRestoredCheckpointsAgeCountsFromWhenItWasWritten() {
    RunBoard board = new RunBoard(new PipelineMetrics());
    assertThat(board.metrics().value("crisscross_checkpoint_age_seconds")).isNaN();
    assertThat(board.metrics().value("crisscross_checkpoint_failures_in_a_row")).isZero();
    board.checkpointRestored(new CheckpointManifest(CheckpointManifest.FORMAT, "step-000000000040", 40, 1, 8,
        "crisscross", "crisscross", "c", "d", "test", Instant.now().minusSeconds(600).toString(), "sha", null,
        new TreeMap<>()));
    assertThat(board.metrics().value("crisscross_checkpoint_age_seconds")).isBetween(600.0, 660.0);
    assertThat(board.status()).containsEntry("last_checkpoint", "step-000000000040");
  }

  @Test
  void failedWritesInARowAreCountedUntilTheNextGoodOne() {
    RunBoard board = new RunBoard(new PipelineMetrics());
    board.checkpointFailed("step 8: No space left on device");
    board.checkpointFailed("step 9: No space left on device");
    assertThat(board.metrics().value("crisscross_checkpoint_failures_in_a_row")).isEqualTo(2);
    assertThat(board.metrics().value("crisscross_checkpoint_writes_total", "failed")).isEqualTo(2);
    assertThat(board.status()).containsEntry("checkpoint_failures_in_a_row", 2L)
        .containsEntry("last_checkpoint_failure", "step 9: No space left on device");
    board.checkpointWritten(new CheckpointManifest(CheckpointManifest.FORMAT, "step-000000000010", 10, 1, 8,
        "crisscross", "crisscross", "c", "d", "test", Instant.now().toString(), "sha", null, new TreeMap<>()));
    assertThat(board.metrics().value("crisscross_checkpoint_failures_in_a_row")).isZero();
    assertThat(board.metrics().value("crisscross_checkpoint_age_seconds")).isBetween(0.0, 60.0);
  }

  @Test
  void theProgressLineShowsTheLossesInParenthesesAndTheAccuraciesApart() {
    assertThat(Trainer.termSummary(List.of("L_nce_vv", "L_speed_v", "acc_speed_v"), new double[] {0.5, 0.25, 0.75}))
        .isEqualTo(" (L_nce_vv 0.5000, L_speed_v 0.2500) | accuracy speed_v 0.750");
    assertThat(Trainer.termSummary(List.of("L_intra"), new double[] {0.5})).isEmpty();
  }
}
