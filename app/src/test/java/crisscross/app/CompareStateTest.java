package crisscross.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.evaluation.report.ComparisonReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareStateTest {
  @TempDir Path dir;

  private static final ComparePlan PLAN = new ComparePlan(List.of("crisscross", "xdc"), "/data/train",
      "synthetic=/data/heldout", 4, List.of("demo"), List.of("optim.epochs=2"));

  private static ComparisonReport.Entry entry(String name, double top1) {
    return new ComparisonReport.Entry(name, name.equals("random-init") ? "" : "runs/" + name, "evaluation/" + name,
        List.of(new ComparisonReport.Measurement(new ComparisonReport.Metric("Synthetic/linear-svm/video/top1",
            "video SVM top-1"), top1)));
  }

  @Test
  void recordsFinishedStepsInOrderAndRoundTripsThroughItsFile() throws Exception {
    CompareState state = CompareState.begin(PLAN)
        .withPretrained("crisscross", new CompareState.Pretrained("runs/crisscross", "step-000000000004", 4))
        .withEvaluated(entry("crisscross", 0.75))
        .withPretrained("xdc", new CompareState.Pretrained("runs/xdc", "step-000000000004", 4));

    state.write(dir);

    assertThat(CompareState.read(dir)).contains(state);
    assertThat(state.progress()).isEqualTo("3 of 5 steps done");
    assertThat(Files.readString(dir.resolve(CompareState.FILE))).contains("\"run_directory\" : \"runs/xdc\"")
        .contains("\"max_steps\" : 4");
    assertThat(CompareState.read(dir.resolve("elsewhere"))).isEmpty();
  }

  @Test
  void aDamagedFileIsAUserErrorNamingIt() throws Exception {
    Files.writeString(dir.resolve(CompareState.FILE), "{\"plan\": ");

    assertThatThrownBy(() -> CompareState.read(dir)).isInstanceOf(UserError.class)
        .hasMessageContaining(dir.resolve(CompareState.FILE).toString()).hasMessageContaining("cannot be read");
  }
}
