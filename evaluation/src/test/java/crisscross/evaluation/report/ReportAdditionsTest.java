package crisscross.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import crisscross.evaluation.finetune.FinetuneResult;
import crisscross.evaluation.linear.CrossValidatedResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Official splits, finetuning, the console table and the JSON lines of {@code --json}. */
class ReportAdditionsTest {
  @TempDir Path dir;

  private static FinetuneResult finetune(double... top1) {
    List<FinetuneResult.FinetuneSplit> splits = new ArrayList<>();
    for (int s = 0; s < top1.length; s++) {
      splits.add(new FinetuneResult.FinetuneSplit("split " + (s + 1), top1[s], top1[s] - 0.1,
          List.of(new FinetuneResult.Epoch(0, 0.0005, 2.0, 10, 640), new FinetuneResult.Epoch(1, 0.00015, 1.25, 10,
              640)), ReportFixtures.CLASSES, new int[][] {{2, 0, 0}, {0, 1, 1}, {0, 0, 2}}, 60, 1280, 6, 60));
    }
    return FinetuneResult.of(splits);
  }

  private static List<EvaluationResult> results() {
    CrossValidatedResult splits = CrossValidatedResult.of(List.of(ReportFixtures.linear(0.60, 1e-3, 0.62, 5e-3),
        ReportFixtures.linear(0.70, 1e-3, 0.74, 5e-3), ReportFixtures.linear(0.80, 1e-3, 0.80, 1e-3)), List.of());
    return List.of(
        EvaluationResult.splits("UCF101", Modality.VIDEO, EncoderKind.PRETRAINED, splits),
        EvaluationResult.splits("UCF101", Modality.VIDEO, EncoderKind.RANDOM_INIT,
            CrossValidatedResult.of(List.of(ReportFixtures.linear(0.40, 1e-3, 0.41, 5e-3),
                ReportFixtures.linear(0.40, 1e-3, 0.41, 5e-3), ReportFixtures.linear(0.40, 1e-3, 0.41, 5e-3)),
                List.of())),
        EvaluationResult.retrieval("UCF101 (split 1)", Modality.VIDEO, EncoderKind.PRETRAINED,
            ReportFixtures.retrieval(0.5, 0.75, 0.9)),
        EvaluationResult.retrieval("UCF101 (split 1)", Modality.VIDEO, EncoderKind.RANDOM_INIT,
            ReportFixtures.retrieval(0.25, 0.5, 0.8)),
        EvaluationResult.finetune("UCF101", EncoderKind.PRETRAINED, finetune(0.9, 0.8)),
        EvaluationResult.finetune("UCF101", EncoderKind.RANDOM_INIT, finetune(0.5, 0.5)));
  }

  @Test
  void splitsAndFinetuningAppearInTheMarkdown() {
    String md = ReportWriter.markdown("t", Map.of(), results());
    assertThat(md).contains("| UCF101 | v | linear SVM, mean over splits | 70.0 ± 8.2 | 40.0 ± 0.0 | +30.0 | per fold |");
    assertThat(md).contains("### UCF101 · video · pretrained · split 3");
    assertThat(md).contains("## Full finetuning")
        .contains("| UCF101 | 85.0 ± 5.0 | 50.0 ± 0.0 | +35.0 | 2 | 2 | 1.2500 |");
    assertThat(md).contains("### UCF101 · finetune · random-init · split 2")
        .contains("| 2 | 0.00015 | 1.2500 | 10 |");
  }

  @Test
  void jsonLinesCarryOneObjectPerResultWithItsNumbers() throws Exception {
    List<String> lines = ReportWriter.jsonLines(results());
    assertThat(lines).hasSize(6);
    ObjectMapper json = new ObjectMapper();
    JsonNode splits = json.readTree(lines.get(0));
    assertThat(splits.path("protocol").asText()).isEqualTo("linear-svm-splits");
    assertThat(splits.path("encoder").asText()).isEqualTo("pretrained");
    assertThat(splits.path("pretrained").asBoolean()).isTrue();
    assertThat(splits.path("top1").asDouble()).isEqualTo(0.7, within(1e-12));
    assertThat(splits.path("folds").asInt()).isEqualTo(3);
    JsonNode random = json.readTree(lines.get(1));
    assertThat(random.path("pretrained").asBoolean()).isFalse();
    assertThat(random.path("top1_std").asDouble()).isCloseTo(0, within(1e-12));
    JsonNode retrieval = json.readTree(lines.get(2));
    assertThat(retrieval.path("recall_at_k").path("20").asDouble()).isEqualTo(0.9);
    assertThat(retrieval.has("top1")).isFalse();
    JsonNode finetuned = json.readTree(lines.get(4));
    assertThat(finetuned.path("protocol").asText()).isEqualTo("finetune");
    assertThat(finetuned.path("top1").asDouble()).isEqualTo(0.85, within(1e-12));
    for (String line : lines) {
      assertThat(line).doesNotContain("\n");
    }
  }

  @Test
  void theConsoleTablePutsBothEncodersSideBySide() {
    String table = ReportWriter.consoleTable(results());
    String[] lines = table.split("\n");
    assertThat(lines[0]).startsWith("Dataset").contains("Pretrained").contains("Random init");
    assertThat(lines[1]).matches("-+");
    assertThat(table).contains("70.0 ± 8.2").contains("+30.0");
    assertThat(table).contains("R@1 50.0 R@5 75.0 R@20 90.0").contains("R@1 +25.0");
    assertThat(lines).as("header, rule, one row per protocol").hasSize(2 + 3);
  }

  @Test
  void theReportJsonHoldsTheFinetuningCurveAndFiguresItsConfusion() throws Exception {
    ReportWriter.write(dir, "t", Map.of(), results());
    JsonNode root = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    JsonNode finetuned = root.path("results").get(4);
    assertThat(finetuned.path("splits")).hasSize(2);
    assertThat(finetuned.path("splits").get(0).path("epochs").get(1).path("mean_loss").asDouble()).isEqualTo(1.25);
    assertThat(Figures.writeFor(dir.resolve("figures"), results()))
        .contains(dir.resolve("figures/ucf101-video-pretrained-finetune-confusion.png"));
  }

  @Test
  void aFinetuningResultCarriesOnlyItsOwnOutcome() {
    assertThatThrownBy(() -> new EvaluationResult("UCF101", Protocol.FINETUNE, Modality.VIDEO,
        EncoderKind.PRETRAINED, Optional.of(ReportFixtures.linear(0.5, 1e-3, 0.5, 1e-3)), Optional.empty(),
        Optional.empty(), Optional.of(finetune(0.5)))).hasMessageContaining("finetune");
  }
}
