package crisscross.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import crisscross.pipeline.synth.SynthSettings;
import crisscross.pipeline.synth.SyntheticCorpus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job as operators run it: real JVM processes of {@code crisscross pretrain} on a generated corpus with a
 * micro model, killed with SIGKILL, stopped with SIGTERM, crashed from inside, resumed. Every interrupted run must
 * end with exactly the parameters and the consumption record of the uninterrupted one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PretrainProcessIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path work;
  private static Path corpus;
  private static JsonNode reference;

  @BeforeAll
  static void corpus() throws Exception {
    corpus = work.resolve("corpus");
    SyntheticCorpus.generate(SynthSettings.defaults().withClips(12, 2).withSeconds(3.5).withPicture(64, 48, 16)
        .withSeed(11), corpus);
  }

  /** A micro model and inputs, so each step takes little time; everything else is the demo configuration. */
  static List<String> settings(String... extra) {
    List<String> args = new ArrayList<>(List.of(
        "--set", "data.root=" + corpus, "--set", "pipeline.batch-size=4", "--set", "pipeline.workers=2",
        "--set", "optim.epochs=2", "--set", "checkpoint.every-steps=2", "--set", "trainer.log-every=1",
        "--set", "video.crop-size=32", "--set", "video.decode-short-side=36",
        "--set", "model.presets.tiny.video-channels=[4,8,8,16]", "--set", "model.presets.tiny.audio-channels=[4,8,8,16]",
        "--set", "model.presets.tiny.projector-hidden=32", "--set", "model.presets.tiny.projector-out=32",
        "--set", "model.presets.tiny.predictor-hidden=8", "--set", "trainer.restart-min-backoff=100ms",
        "--set", "trainer.restart-max-backoff=200ms"));
    args.addAll(List.of(extra));
    return args;
  }

  static Process start(Path runDir, List<String> args) throws IOException {
    return start(runDir, args, Map.of());
  }

  static Process start(Path runDir, List<String> args, Map<String, String> environment) throws IOException {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "pretrain",
        "--run-dir", runDir.toString()));
    command.addAll(args);
    Files.createDirectories(runDir);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.resolve("console.log").toFile()));
    builder.environment().putAll(environment);
    return builder.start();
  }

  static int finish(Process process, Path runDir) throws Exception {
    if (!process.waitFor(15, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("pretrain did not finish; console:\n" + console(runDir));
    }
    return process.exitValue();
  }

  static String console(Path runDir) throws IOException {
    return Files.readString(runDir.resolve("console.log"));
  }

  static JsonNode info(Path runDir) throws Exception {
    StringBuilder out = new StringBuilder();
    java.io.PrintStream original = System.out;
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertThat(Main.run("checkpoint", "info", runDir.toString(), "--json")).isZero();
    } finally {
      System.setOut(original);
    }
    out.append(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
    return JSON.readTree(out.toString());
  }

  static JsonNode summary(Path runDir) throws IOException {
    return JSON.readTree(runDir.resolve("summary.json").toFile());
  }

  static void awaitCheckpoint(Path runDir, String name, Process process) throws Exception {
    Path target = runDir.resolve("checkpoints").resolve(name).resolve("manifest.json");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (!Files.exists(target)) {
      if (!process.isAlive()) {
        throw new AssertionError("pretrain ended before " + name + "; console:\n" + console(runDir));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + name + " in time; console:\n" + console(runDir));
      }
      Thread.sleep(200);
    }
  }

  static void assertSameEnding(JsonNode actual) {
    assertThat(actual.get("step").asLong()).isEqualTo(reference.get("step").asLong());
    assertThat(actual.get("consumed_visits").asLong()).isEqualTo(reference.get("consumed_visits").asLong());
    assertThat(actual.get("consumption_digest").asText()).isEqualTo(reference.get("consumption_digest").asText());
    assertThat(actual.get("parameter_sha256").asText()).isEqualTo(reference.get("parameter_sha256").asText());
  }

  @Test
  @Order(1)
  void anUninterruptedRunIsWatchableAndEndsWithACheckpoint() throws Exception {
    Path runDir = work.resolve("reference");
    Process process = start(runDir, settings());
    HttpClient http = HttpClient.newHttpClient();
    Path urlFile = runDir.resolve("monitor.url");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    boolean sawTraining = false;
    while (process.isAlive() && System.nanoTime() < deadline && !sawTraining) {
      if (Files.exists(urlFile)) {
        URI url = URI.create(Files.readString(urlFile).trim());
        try {
          String metrics = http.send(HttpRequest.newBuilder(url.resolve("metrics")).GET().build(),
              HttpResponse.BodyHandlers.ofString()).body();
          if (metrics.contains("\ncrisscross_step ")) {
            assertThat(http.send(HttpRequest.newBuilder(url.resolve("health")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            JsonNode status = JSON.readTree(http.send(HttpRequest.newBuilder(url.resolve("status")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
            assertThat(status.get("actors").toString()).contains("trainer-0").contains("data-feed")
                .contains("checkpoint-writer");
            JsonNode history = JSON.readTree(http.send(HttpRequest.newBuilder(url.resolve("api/history")).GET()
                .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(history.get("loss").get("L_sync")).isNotEmpty();
            assertThat(metrics).contains("crisscross_loss{term=\"total\"}").contains("crisscross_learning_rate")
                .contains("crisscross_pipeline_buffer_batches").contains("crisscross_native_physical_bytes");
            sawTraining = true;
          }
        } catch (IOException notListeningYet) {
          // The run may not have bound its port yet, or has just released it.
        }
      }
      Thread.sleep(250);
    }
    assertThat(finish(process, runDir)).as(console(runDir)).isZero();
    assertThat(sawTraining).as("the monitor answered while training").isTrue();
    assertThat(summary(runDir).get("status").asText()).isEqualTo("completed");
    assertThat(console(runDir)).contains("crisscross pretrain: done").contains("dashboard").contains("step 1 |");
    reference = info(runDir);
    assertThat(reference.get("checksums").asText()).isEqualTo("ok");
    assertThat(reference.get("epoch").asInt()).isEqualTo(2);
  }

  @Test
  @Order(2)
  void aRunKilledWithSigkillAndResumedEndsExactlyAsTheUninterruptedOne() throws Exception {
    Path runDir = work.resolve("killed");
    Process process = start(runDir, settings());
    awaitCheckpoint(runDir, "step-000000000002", process);
    process.destroyForcibly();
    process.waitFor(1, TimeUnit.MINUTES);
    assertThat(Files.exists(runDir.resolve("summary.json"))).as("killed before finishing").isFalse();
    int exit = finish(start(runDir, List.of()), runDir);
    assertThat(exit).as(console(runDir)).isZero();
    assertThat(console(runDir)).contains("resuming from step-");
    assertSameEnding(info(runDir));
  }

  @Test
  @Order(3)
  void sigtermStopsAfterTheStepWithACheckpointAndAResumedRunSurvivesTrainerCrashes() throws Exception {
    Path runDir = work.resolve("stopped");
    Process process = start(runDir, settings());
    awaitCheckpoint(runDir, "step-000000000002", process);
    process.destroy();
    assertThat(finish(process, runDir)).as(console(runDir)).isZero();
    JsonNode stopped = summary(runDir);
    assertThat(stopped.get("status").asText()).isEqualTo("stopped");
    assertThat(stopped.get("message").asText()).contains("SIGTERM");
    assertThat(stopped.get("checkpoint").asText()).endsWith(
        String.format("step-%012d", stopped.get("steps").asLong()));

    int exit = finish(start(runDir, List.of("--set", "faults.trainer-crash-every=2")), runDir);
    assertThat(exit).as(console(runDir)).isZero();
    assertThat(summary(runDir).get("restarts").asLong()).isPositive();
    assertSameEnding(info(runDir));
  }

  @Test
  @Order(4)
  void resumingWithAConfigurationThatChangesTheComputationIsRefusedNamingTheKeys() throws Exception {
    Path runDir = work.resolve("reference");
    int exit = finish(start(runDir, List.of("--set", "objective=sync", "--set", "optim.base-lr=0.5")), runDir);
    assertThat(exit).isEqualTo(2);
    assertThat(console(runDir)).contains("cannot resume").contains("crisscross.loss (checkpoint: crisscross, now: sync)")
        .contains("optim.base-lr");
    try (Stream<Path> checkpoints = Files.list(runDir.resolve("checkpoints"))) {
      assertThat(checkpoints).isNotEmpty();
    }
    assertSameEnding(info(runDir));
  }

  @Test
  @Order(5)
  void aRunResumedOnOtherNativeKernelsSaysSoInOneLineAndCompletes() throws Exception {
    Path runDir = work.resolve("moved");
    Process process = start(runDir, settings(), Map.of("OPENBLAS_CORETYPE", ""));
    awaitCheckpoint(runDir, "step-000000000002", process);
    process.destroyForcibly();
    process.waitFor(1, TimeUnit.MINUTES);
    // What ./crisscross --kernel-isa avx2 sets: another OpenBLAS core choice on every machine, and on an AVX-512
    // machine another oneDNN ISA too.
    int exit = finish(start(runDir, List.of(), Map.of("DNNL_MAX_CPU_ISA", "AVX2", "OPENBLAS_CORETYPE", "Haswell")),
        runDir);
    assertThat(exit).as(console(runDir)).isZero();
    List<String> warnings = console(runDir).lines().filter(line -> line.contains("on other native kernels"))
        .toList();
    assertThat(warnings).as(console(runDir)).hasSize(1);
    assertThat(warnings.get(0)).contains("resuming from checkpoint step-").contains("OpenBLAS core auto vs Haswell");
    assertThat(info(runDir).get("native_kernels").asText()).contains("pinned avx2").contains("OpenBLAS core Haswell");
    assertThat(summary(runDir).get("status").asText()).isEqualTo("completed");
  }

  @Test
  @Order(6)
  void aBatchThatCannotFitTheHeapIsRefusedAtStartWithTheEstimate() throws Exception {
    Path runDir = work.resolve("too-big");
    int exit = finish(start(runDir, List.of("--set", "data.root=" + corpus, "--set", "model.preset=full",
        "--set", "pipeline.batch-size=2048")), runDir);
    assertThat(exit).as(console(runDir)).isEqualTo(2);
    assertThat(console(runDir)).contains("pipeline.batch-size").contains("GiB of Java heap")
        .contains("maximum heap").doesNotContain("OutOfMemoryError").doesNotContain("step 1 |");
  }
}

