package crisscross.trainer.actor;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.pipeline.stream.PipelineMetrics;
import crisscross.trainer.checkpoint.MetricPoint;
import crisscross.trainer.checkpoint.TrainerState;
import java.util.List;
import java.util.Map;
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

  @Test
  void theProgressLineShowsTheLossesInParenthesesAndTheAccuraciesApart() {
    assertThat(Trainer.termSummary(List.of("L_nce_vv", "L_speed_v", "acc_speed_v"), new double[] {0.5, 0.25, 0.75}))
        .isEqualTo(" (L_nce_vv 0.5000, L_speed_v 0.2500) | accuracy speed_v 0.750");
    assertThat(Trainer.termSummary(List.of("L_intra"), new double[] {0.5})).isEmpty();
  }
}
