package crisscross.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import crisscross.evaluation.report.ComparisonReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code crisscross compare} end to end on a tiny generated corpus: CrissCross and XDC pretrained for two steps each
 * with a micro model, each evaluated beside the random-init floor; the same command again skips every finished step
 * and writes the same report; a comparison interrupted during XDC's pretraining continues from its checkpoint and
 * still ends with the same report.
 */
class CompareCommandIT {
  @TempDir Path dir;

  /** A micro model, one checkpoint per step, three clusters per space, and evaluation on few clips. */
  private static final List<String> SETTINGS = List.of(
      "pipeline.batch-size=4", "pipeline.workers=2", "optim.epochs=2", "checkpoint.every-steps=1",
      "checkpoint.keep=3", "trainer.log-every=1", "video.crop-size=32", "video.decode-short-side=36",
      "model.presets.tiny.video-channels=[4,8,8,16]", "model.presets.tiny.audio-channels=[4,8,8,16]",
      "model.presets.tiny.projector-hidden=16", "model.presets.tiny.projector-out=16",
      "model.presets.tiny.predictor-hidden=8", "xdc.k-video=3", "xdc.k-audio=3", "xdc.k-joint=3",
      "evaluation.video.train-clips=2", "evaluation.video.test-clips=2", "evaluation.audio.train-clips=2",
      "evaluation.audio.test-clips=2", "evaluation.linear.costs=[0.01, 1]", "evaluation.linear.cv-folds=2",
      "evaluation.extraction.workers=2", "evaluation.workers=2", "evaluation.retrieval.sheet-queries=2");

  private record Outcome(int status, String console) {}

  private static Outcome compare(Path corpus, Path out, String methods) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      List<String> arguments = new ArrayList<>(List.of("compare", "--methods", methods, "--data", corpus.toString(),
          "--eval-data", "synthetic=" + corpus, "--out", out.toString(), "--max-steps", "2"));
      for (String setting : SETTINGS) {
        arguments.addAll(List.of("--set", setting));
      }
      int status = Main.run(arguments.toArray(String[]::new));
      return new Outcome(status, console.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  private static Map<String, String> reports(Path out) throws Exception {
    Map<String, String> reports = new LinkedHashMap<>();
    for (String name : List.of("report.md", "report.json", "report.svg")) {
      reports.put(name, Files.readString(out.resolve(name)));
    }
    return reports;
  }

  @Test
  void comparesCrissCrossXdcAndTheFloorThenSkipsFinishedWorkAndContinuesAnInterruptedPretraining() throws Exception {
    Path corpus = dir.resolve("corpus");
    assertThat(Main.run("synth", "--out", corpus.toString(), "--clips", "12", "--classes", "3", "--seconds", "3.5",
        "--width", "64", "--height", "48", "--fps", "16", "--seed", "11")).isZero();
    Path out = dir.resolve("compare");

    Outcome first = compare(corpus, out, "crisscross,xdc");

    assertThat(first.status()).as(first.console()).isZero();
    ComparisonReport report = ComparisonReport.fromJson(Files.readString(out.resolve("report.json")));
    assertThat(report.rows()).extracting(ComparisonReport.Row::name).containsExactly("crisscross", "xdc",
        "random-init");
    assertThat(report.metrics()).extracting(ComparisonReport.Metric::label).contains("video SVM top-1",
        "audio SVM top-1", "video retrieval R@1", "video retrieval R@5", "audio retrieval R@1", "audio retrieval R@5");
    for (ComparisonReport.Row row : report.rows()) {
      assertThat(row.values()).as(row.name()).hasSameSizeAs(report.metrics());
      assertThat(row.values().values()).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
      assertThat(out.resolve(row.evaluationDirectory()).resolve("report.md")).isRegularFile();
    }
    assertThat(report.rows().get(0).runDirectory()).isEqualTo("runs/crisscross");
    assertThat(report.provenance().get("steps trained")).isEqualTo("crisscross 2, xdc 2");
    assertThat(out.resolve("report.md")).content().contains("| crisscross |").contains("| xdc |")
        .contains("| random-init |").contains("](report.svg)");
    assertThat(out.resolve("report.svg")).content().startsWith("<?xml").contains("<svg");
    assertThat(out.resolve("runs/xdc/summary.json")).content().contains("\"status\" : \"max_steps\"");
    assertThat(first.console()).contains("compare: crisscross: pretraining in runs/crisscross")
        .contains("compare: random-init: evaluating the backbones of crisscross at their initial weights");
    JsonNode state = new ObjectMapper().readTree(out.resolve(CompareState.FILE).toFile());
    assertThat(state.path("evaluated").size()).isEqualTo(3);
    Map<String, String> firstReports = reports(out);

    Outcome again = compare(corpus, out, "crisscross,xdc");

    assertThat(again.status()).as(again.console()).isZero();
    assertThat(again.console()).contains("(5 of 5 steps done)")
        .contains("compare: crisscross: pretrained already (runs/crisscross, step-000000000002), skipped")
        .contains("compare: xdc: evaluated already (evaluation/xdc), skipped")
        .contains("compare: random-init: evaluated already").doesNotContain("crisscross pretrain")
        .doesNotContain("evaluating");
    assertThat(reports(out)).isEqualTo(firstReports);

    Outcome other = compare(corpus, out, "crisscross");
    assertThat(other.status()).isEqualTo(2);
    assertThat(other.console()).contains("--methods (before: crisscross,xdc; now: crisscross)");

    // As if the comparison had been killed during XDC's second step: its state and last checkpoint gone.
    CompareState finished = CompareState.read(out).orElseThrow();
    Map<String, CompareState.Pretrained> pretrained = new LinkedHashMap<>(finished.pretrained());
    pretrained.remove("xdc");
    Map<String, ComparisonReport.Entry> evaluated = new LinkedHashMap<>(finished.evaluated());
    evaluated.remove("xdc");
    evaluated.remove(CompareState.RANDOM_INIT);
    new CompareState(finished.plan(), pretrained, evaluated).write(out);
    deleteTree(out.resolve("runs/xdc/checkpoints/step-000000000002"));

    Outcome resumed = compare(corpus, out, "crisscross,xdc");

    assertThat(resumed.status()).as(resumed.console()).isZero();
    assertThat(resumed.console()).contains("(2 of 5 steps done)")
        .contains("compare: crisscross: pretrained already").contains("compare: xdc: pretraining in runs/xdc "
            + "(continuing the run there)").contains("resuming from step-000000000001");
    assertThat(reports(out)).as("a resumed run ends as the uninterrupted one").isEqualTo(firstReports);
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
