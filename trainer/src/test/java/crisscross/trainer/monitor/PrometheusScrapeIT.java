package crisscross.trainer.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian package {@code prometheus}, installed by {@code .ci/run}) scrapes the
 * monitor and answers a PromQL query with the value we exported.
 */
class PrometheusScrapeIT {
  private static final Path PROMETHEUS = Path.of(System.getProperty("prometheus.binary", "/usr/bin/prometheus"));

  @TempDir Path dir;

  /** Serves the real registry; the run itself is not needed to prove the scrape works. */
  static final class RegistryOnlyRun implements RunView, RunControl {
    private final Metrics metrics;

    RegistryOnlyRun(Metrics metrics) {
      this.metrics = metrics;
    }

    @Override public boolean live() { return true; }
    @Override public boolean ready() { return true; }
    @Override public String phase() { return "training"; }
    @Override public String metricsText() { return metrics.scrape(); }
    @Override public Map<String, Object> status() { return Map.of(); }
    @Override public Map<String, Object> history() { return Map.of(); }
    @Override public CompletionStage<String> requestCheckpoint() { return CompletableFuture.failedFuture(new IllegalStateException("n/a")); }
    @Override public CompletionStage<String> requestStop() { return CompletableFuture.failedFuture(new IllegalStateException("n/a")); }
  }

  @Test
  void prometheusScrapesTheMonitorAndAnswersQueries() throws Exception {
    assumeTrue(Files.isExecutable(PROMETHEUS), "Prometheus is not installed at " + PROMETHEUS
        + " (apt-get install prometheus); .ci/run installs it");
    ActorTestKit testKit = ActorTestKit.create();
    Metrics metrics = new Metrics();
    metrics.gauge("crisscross_step", "Optimiser steps taken").set(1234);
    metrics.counter("crisscross_skipped_samples_total", "Skipped samples", "reason").add(7, "no_audio");
    RegistryOnlyRun run = new RegistryOnlyRun(metrics);
    MonitorServer server = MonitorServer.start(testKit.system(), new MonitorSettings("127.0.0.1", 0, ""), run, run)
        .toCompletableFuture().join();
    int prometheusPort = freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: crisscross
            static_configs:
              - targets: ['127.0.0.1:%d']
        """.formatted(server.url().getPort()));
    Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    try {
      URI api = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/");
      JsonNode step = await(api.resolve("query?query=crisscross_step"));
      assertThat(step.get(0).get("value").get(1).asDouble()).isEqualTo(1234);
      assertThat(step.get(0).get("metric").get("job").asText()).isEqualTo("crisscross");
      JsonNode skipped = await(api.resolve("query?query=crisscross_skipped_samples_total%7Breason%3D%22no_audio%22%7D"));
      assertThat(skipped.get(0).get("value").get(1).asDouble()).isEqualTo(7);
      JsonNode up = await(api.resolve("query?query=up"));
      assertThat(up.get(0).get("value").get(1).asText()).isEqualTo("1");
    } finally {
      prometheus.destroy();
      prometheus.waitFor();
      server.close();
      testKit.shutdownTestKit();
    }
  }

  private JsonNode await(URI query) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(query).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        last = response.body();
        if (response.statusCode() == 200) {
          JsonNode result = json.readTree(last).get("data").get("result");
          if (result.size() > 0) {
            return result;
          }
        }
      } catch (IOException notYetUp) {
        last = notYetUp.toString();
      }
      Thread.sleep(500);
    }
    throw new AssertionError("Prometheus did not answer " + query + " in time; last: " + last + "; log: "
        + List.of(Files.readString(dir.resolve("prometheus.log")).split("\n")).stream().skip(
            Math.max(0, Files.readString(dir.resolve("prometheus.log")).split("\n").length - 10)).toList());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
