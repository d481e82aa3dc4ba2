package crisscross.app;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.trainer.method.Methods;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refusals of {@code crisscross compare}, all before anything is trained (the work itself: CompareCommandIT). */
class CompareCommandTest {
  @TempDir Path dir;

  private record Outcome(int status, String stderr) {}

  private static Outcome compare(String... arguments) {
    PrintStream err = System.err;
    PrintStream out = System.out;
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      String[] all = new String[arguments.length + 1];
      all[0] = "compare";
      System.arraycopy(arguments, 0, all, 1, arguments.length);
      return new Outcome(Main.run(all), stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(err);
      System.setOut(out);
    }
  }

  @Test
  void anUnknownMethodIsRefusedNamingTheRegisteredOnes() {
    Outcome outcome = compare("--methods", "crisscross,simclr", "--data", dir.toString(), "--eval-data",
        dir.toString(), "--out", dir.resolve("out").toString());

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("unknown method 'simclr'; known: " + String.join(", ", Methods.names()));
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void otherOptionsOnAFolderHoldingAComparisonAreRefusedNamingWhatDiffers() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    CompareState.begin(new ComparePlan(List.of("crisscross", "xdc"), CompareCommand.location(dir.toString()),
        "synthetic=" + CompareCommand.location(dir.toString()), 2, List.of(), List.of())).write(out);
    String before = Files.readString(out.resolve(CompareState.FILE));

    Outcome outcome = compare("--methods", "crisscross", "--data", dir.toString(), "--eval-data", dir.toString(),
        "--out", out.toString(), "--max-steps", "2");

    assertThat(outcome.status()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("holds a comparison begun with other options: --methods (before: "
        + "crisscross,xdc; now: crisscross)").contains("another --out");
    assertThat(out.resolve(CompareState.FILE)).hasContent(before.strip());
  }

  @Test
  void aFolderHoldingOtherFilesAndKeysCompareSetsAreRefused() throws Exception {
    Path out = Files.createDirectories(dir.resolve("thesis"));
    Files.writeString(out.resolve("thesis.tex"), "precious");

    Outcome occupied = compare("--methods", "crisscross", "--data", dir.toString(), "--eval-data", dir.toString(),
        "--out", out.toString());
    Outcome ownKey = compare("--methods", "crisscross", "--data", dir.toString(), "--eval-data", dir.toString(),
        "--out", dir.resolve("x").toString(), "--set", "method=xdc");
    Outcome badDataset = compare("--methods", "crisscross", "--data", dir.toString(), "--eval-data",
        "imagenet=" + dir, "--out", dir.resolve("y").toString());

    assertThat(occupied.status()).isEqualTo(2);
    assertThat(occupied.stderr()).contains("holds files but no compare-state.json");
    assertThat(out.resolve(CompareState.FILE)).doesNotExist();
    assertThat(ownKey.status()).isEqualTo(2);
    assertThat(ownKey.stderr()).contains("--set method: compare sets method for each method itself");
    assertThat(badDataset.status()).isEqualTo(2);
    assertThat(badDataset.stderr()).contains("unknown dataset 'imagenet'");
  }

  @Test
  void aBareEvaluationPathIsSyntheticAndANamedOneIsParsedAsEvaluatesDatasets() {
    assertThat(CompareCommand.evaluationDataset("data/heldout").kind().id()).isEqualTo("synthetic");
    assertThat(CompareCommand.evaluationDataset("data/heldout").root())
        .isEqualTo(Path.of("data/heldout").toAbsolutePath().toString());
    assertThat(CompareCommand.evaluationDataset("ucf101=/data/UCF101").kind().id()).isEqualTo("ucf101");
    assertThat(CompareCommand.evaluationDataset("esc50=s3://bucket/esc").root()).isEqualTo("s3://bucket/esc");
  }
}
