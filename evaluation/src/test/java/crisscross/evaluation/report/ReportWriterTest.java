package crisscross.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import crisscross.evaluation.linear.CrossValidatedResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
  @TempDir Path dir;

  private static List<EvaluationResult> results() {
    CrossValidatedResult esc = new CrossValidatedResult(
        List.of(ReportFixtures.linear(0.80, 1e-3, 0.82, 5e-3), ReportFixtures.linear(0.70, 1e-3, 0.74, 5e-3)),
        List.of(), 0.75, 0.05);
    return List.of(
        EvaluationResult.linear("UCF101", Modality.VIDEO, EncoderKind.PRETRAINED,
            ReportFixtures.linear(0.748, 1e-3, 0.76, 5e-3)),
        EvaluationResult.linear("UCF101", Modality.VIDEO, EncoderKind.RANDOM_INIT,
            ReportFixtures.linear(0.50, 1e-3, 0.52, 5e-3)),
        EvaluationResult.linear("Kinetics-Sound", Modality.AUDIO_VIDEO, EncoderKind.PRETRAINED,
            ReportFixtures.linear(0.667, 1e-3, 0.70, 5e-3)),
        EvaluationResult.groupedCv("ESC-50 fold 1", Modality.AUDIO, EncoderKind.PRETRAINED, esc),
        EvaluationResult.retrieval("UCF101", Modality.VIDEO, EncoderKind.PRETRAINED,
            ReportFixtures.retrieval(0.638, 0.787, 0.899)));
  }

  private static Map<String, String> provenance() {
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("checkpoint", "runs/ks/checkpoints/step-5000");
    provenance.put("configuration sha256", "abc123");
    return provenance;
  }

  @Test
  void markdownHasThePapersTablesWithPretrainedAndRandomInitSideBySide() {
    String md = ReportWriter.markdown("CrissCross evaluation", provenance(), results());
    assertThat(md).startsWith("# CrissCross evaluation\n\n- checkpoint: `runs/ks/checkpoints/step-5000`\n");
    assertThat(md).contains("| UCF101 | v | linear SVM | 74.8 | 50.0 | +24.8 | 0.001 |\n");
    assertThat(md).contains("| Kinetics-Sound | a+v | linear SVM | 66.7 | – | – | 0.001 |\n");
    assertThat(md).contains("| ESC-50 fold 1 | a | linear SVM, grouped CV | 75.0 ± 5.0 | – | – | per fold |\n");
    assertThat(md).contains("## Best over the cost sweep on the test split (optimistic)")
        .contains("| UCF101 | v | Pretrained | 76.0 | 0.005 | 74.8 |\n")
        .contains("| ESC-50 fold 1 | a | Pretrained | 78.0 | per fold | 75.0 |\n");
    assertThat(md).contains("| Dataset | Modality | Encoder | R@1 | R@5 | R@20 |\n")
        .contains("| UCF101 | v | Pretrained | 63.8 | 78.7 | 89.9 |\n");
    assertThat(md).contains("### UCF101 · video · random-init\n")
        .contains("| 0.001 ◀ | 70.0 ± 5.0 | 50.0 |\n")
        .contains("| 0.00001 | 40.0 ± 5.0 | 38.0 |\n")
        .contains("### ESC-50 fold 1 · audio · pretrained · outer fold 2\n");
  }

  @Test
  void jsonCarriesEveryNumberAndWritesAtomically() throws Exception {
    ReportWriter.write(dir, "CrissCross evaluation", provenance(), results());
    assertThat(dir.resolve("report.md")).isRegularFile();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("report.md", "report.json");
    }
    JsonNode root = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertThat(root.path("provenance").path("configuration sha256").asText()).isEqualTo("abc123");
    JsonNode ucf = root.path("results").get(0);
    assertThat(ucf.path("dataset").asText()).isEqualTo("UCF101");
    assertThat(ucf.path("protocol").asText()).isEqualTo("linear-svm");
    assertThat(ucf.path("modality").asText()).isEqualTo("video");
    assertThat(ucf.path("encoder").asText()).isEqualTo("pretrained");
    assertThat(ucf.path("top1").asDouble()).isEqualTo(0.748);
    assertThat(ucf.path("chosen_c").asDouble()).isEqualTo(1e-3);
    assertThat(ucf.path("best_on_test").path("top1").asDouble()).isEqualTo(0.76);
    assertThat(ucf.path("cost_sweep")).hasSize(4);
    assertThat(ucf.path("cost_sweep").get(1).path("cv_top1").asDouble()).isEqualTo(0.70);
    assertThat(ucf.path("cost_sweep").get(1).path("cv_fold_top1")).hasSize(2);
    assertThat(ucf.path("confusion").get(2).get(1).asInt()).isEqualTo(3);
    assertThat(root.path("results").get(1).path("encoder").asText()).isEqualTo("random-init");
    assertThat(root.path("results").get(2).path("modality").asText()).isEqualTo("audio+video");
    JsonNode esc = root.path("results").get(3);
    assertThat(esc.path("protocol").asText()).isEqualTo("linear-svm-grouped-cv");
    assertThat(esc.path("top1_std").asDouble()).isEqualTo(0.05);
    assertThat(esc.path("folds")).hasSize(2);
    JsonNode retrieval = root.path("results").get(4);
    assertThat(retrieval.path("recall_at_k").path("5").asDouble()).isEqualTo(0.787);
    assertThat(retrieval.has("top1")).isFalse();
    assertThat(root.path("best_on_test_note").asText()).contains("optimistic");
  }

  @Test
  void aResultMustCarryItsProtocolsOutcome() {
    assertThatThrownBy(() -> new EvaluationResult("UCF101", Protocol.RETRIEVAL, Modality.VIDEO,
        EncoderKind.PRETRAINED, Optional.of(ReportFixtures.linear(0.5, 1e-3, 0.5, 1e-3)), Optional.empty(),
        Optional.empty())).hasMessageContaining("retrieval");
  }
}
