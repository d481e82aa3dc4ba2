package crisscross.trainer.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MonitorServerTest {
  private static final ActorTestKit TEST_KIT = ActorTestKit.create();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Metrics METRICS = new Metrics();
  private static final AtomicBoolean READY = new AtomicBoolean(false);
  private static final AtomicInteger CHECKPOINTS = new AtomicInteger();
  private static final AtomicInteger STOPS = new AtomicInteger();
  private static MonitorServer guarded;
  private static MonitorServer open;

  /** A run seen from outside: the real registry, fixed status and history. */
  static final class ScriptedRun implements RunView, RunControl {
    @Override public boolean live() { return true; }
    @Override public boolean ready() { return READY.get(); }
    @Override public String phase() { return READY.get() ? "training" : "starting"; }
    @Override public String metricsText() { return METRICS.scrape(); }
    @Override public Map<String, Object> status() {
      return Map.of("phase", phase(), "restarts", 0,
          "actors", List.of(Map.of("path", "run/trainer-0", "state", "training", "restarts", 0)));
    }
    @Override public Map<String, Object> history() {
      return Map.of("phase", phase(), "step", 3, "epoch", 0, "steps", List.of(1, 2, 3),
          "loss", Map.of("total", List.of(-0.1, -0.2, -0.3)), "samples_per_second", List.of(10.0, 11.0, 12.0));
    }
    @Override public CompletionStage<String> requestCheckpoint() {
      CHECKPOINTS.incrementAndGet();
      return CompletableFuture.completedFuture("checkpoint step-3");
    }
    @Override public CompletionStage<String> requestStop() {
      STOPS.incrementAndGet();
      return CompletableFuture.completedFuture("stopping");
    }
  }

  @BeforeAll
  static void start() {
    METRICS.gauge("crisscross_step", "Step").set(3);
    METRICS.gauge("crisscross_loss", "Loss", "term").set(-0.3, "total");
    ScriptedRun run = new ScriptedRun();
    guarded = MonitorServer.start(TEST_KIT.system(), new MonitorSettings("127.0.0.1", 0, "s3cret"), run, run)
        .toCompletableFuture().join();
    open = MonitorServer.start(TEST_KIT.system(), new MonitorSettings("127.0.0.1", 0, ""), run, run)
        .toCompletableFuture().join();
  }

  @AfterAll
  static void stop() {
    guarded.close();
    open.close();
    TEST_KIT.shutdownTestKit();
  }

  private static HttpResponse<String> get(MonitorServer server, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(server.url().resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(MonitorServer server, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.url().resolve(path))
        .POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bindsToTheLoopbackWithAPickedPort() {
    URI url = guarded.url();
    assertThat(url.getHost()).isEqualTo("127.0.0.1");
    assertThat(url.getPort()).isPositive();
  }

  @Test
  void healthIsLiveAndReadinessFollowsThePhase() throws Exception {
    assertThat(get(guarded, "health").statusCode()).isEqualTo(200);
    READY.set(false);
    HttpResponse<String> notReady = get(guarded, "ready");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).contains("starting");
    READY.set(true);
    assertThat(get(guarded, "ready").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsAreValidExposition() throws Exception {
    HttpResponse<String> response = get(guarded, "metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    ExpositionParser.Exposition parsed = ExpositionParser.parse(response.body());
    assertThat(parsed.value("crisscross_step")).isEqualTo(3);
    assertThat(parsed.value("crisscross_loss", Map.of("term", "total"))).isEqualTo(-0.3);
  }

  @Test
  void statusAndDashboardDataAreJson() throws Exception {
    JsonNode status = JSON.readTree(get(guarded, "status").body());
    assertThat(status.get("actors").get(0).get("path").asText()).isEqualTo("run/trainer-0");
    JsonNode history = JSON.readTree(get(guarded, "api/history").body());
    assertThat(history.get("steps")).hasSize(3);
    assertThat(history.get("loss").get("total").get(2).asDouble()).isEqualTo(-0.3);
  }

  @Test
  void dashboardPageReadsTheDataEndpoints() throws Exception {
    HttpResponse<String> page = get(guarded, "");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.body()).contains("fetch(\"api/history\")").contains("fetch(\"status\")");
  }

  /**
   * {@code monitor.url} ends with a slash, so {@code "$(cat monitor.url)/metrics"} (a script's or a Prometheus
   * target's natural spelling) asks for {@code //metrics}.
   */
  @Test
  void endpointsAnswerUnderTheWrittenUrlFollowedByASlash() throws Exception {
    assertThat(guarded.url().toString()).endsWith("/");
    HttpResponse<String> metrics = CLIENT.send(HttpRequest.newBuilder(URI.create(guarded.url() + "/metrics"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(ExpositionParser.parse(metrics.body()).value("crisscross_step")).isEqualTo(3);
    HttpResponse<String> history = CLIENT.send(HttpRequest.newBuilder(URI.create(guarded.url() + "/api//history"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(history.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(history.body()).get("steps")).hasSize(3);
    int stopsBefore = STOPS.get();
    HttpResponse<String> stop = CLIENT.send(HttpRequest.newBuilder(URI.create(guarded.url() + "/stop"))
        .header("Authorization", "Bearer s3cret").POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(stop.statusCode()).isEqualTo(202);
    assertThat(STOPS.get()).isEqualTo(stopsBefore + 1);
    assertThat(get(guarded, "nothing-here").statusCode()).isEqualTo(404);
  }

  @Test
  void controlActionsNeedTheToken() throws Exception {
    int checkpointsBefore = CHECKPOINTS.get();
    assertThat(post(guarded, "checkpoint", null).statusCode()).isEqualTo(401);
    assertThat(post(guarded, "checkpoint", "wrong").statusCode()).isEqualTo(401);
    assertThat(CHECKPOINTS.get()).isEqualTo(checkpointsBefore);
    HttpResponse<String> accepted = post(guarded, "checkpoint", "s3cret");
    assertThat(accepted.statusCode()).isEqualTo(202);
    assertThat(accepted.body()).contains("checkpoint step-3");
    assertThat(CHECKPOINTS.get()).isEqualTo(checkpointsBefore + 1);

    int stopsBefore = STOPS.get();
    assertThat(post(guarded, "stop", "s3cret").statusCode()).isEqualTo(202);
    assertThat(STOPS.get()).isEqualTo(stopsBefore + 1);
  }

  @Test
  void controlActionsAreDisabledWithoutAConfiguredToken() throws Exception {
    int stopsBefore = STOPS.get();
    HttpResponse<String> refused = post(open, "stop", "");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("monitor.token");
    assertThat(STOPS.get()).isEqualTo(stopsBefore);
  }
}
