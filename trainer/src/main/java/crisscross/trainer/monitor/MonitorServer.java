package crisscross.trainer.monitor;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.mapUnmatchedPath;
import static org.apache.pekko.http.javadsl.server.Directives.onComplete;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.pathSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.post;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The operators' HTTP endpoint (Pekko HTTP): {@code /health}, {@code /ready}, {@code /metrics} (Prometheus
 * text), {@code /status} (JSON actor tree), {@code /api/history} (dashboard data) and {@code /} (dashboard
 * page); {@code POST /checkpoint} and {@code POST /stop} need {@code Authorization: Bearer <monitor.token>}.
 */
public final class MonitorServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ServerBinding binding;
  private final URI url;

  private MonitorServer(ServerBinding binding, String host) {
    this.binding = binding;
    InetSocketAddress address = binding.localAddress();
    this.url = URI.create("http://" + hostForUrl(host) + ":" + address.getPort() + "/");
  }

  /** Binds the server; fails with the address in the message if the port is taken. */
  public static CompletionStage<MonitorServer> start(ActorSystem<?> system, MonitorSettings settings, RunView view,
      RunControl control) {
    Route route = routes(settings, view, control, dashboardPage());
    return Http.get(system).newServerAt(settings.host(), settings.port()).bind(route)
        .thenApply(binding -> new MonitorServer(binding, settings.host()));
  }

  public URI url() {
    return url;
  }

  /** Unbinds; a binding already gone with its actor system is not an error. */
  @Override
  public void close() {
    try {
      binding.terminate(Duration.ofSeconds(3)).toCompletableFuture().join();
    } catch (java.util.concurrent.CompletionException e) {
      // The actor system that served the binding has terminated, which closed the socket already.
    }
  }

  /**
   * The routes, on paths with runs of slashes collapsed: {@link #url()} ends with one, so {@code "$(cat
   * monitor.url)/metrics"} asks for {@code //metrics}.
   */
  static Route routes(MonitorSettings settings, RunView view, RunControl control, String dashboard) {
    return mapUnmatchedPath(MonitorServer::collapseSlashes, () -> endpoints(settings, view, control, dashboard));
  }

  private static String collapseSlashes(String path) {
    return path.replaceAll("/{2,}", "/");
  }

  private static Route endpoints(MonitorSettings settings, RunView view, RunControl control, String dashboard) {
    return concat(
        path("health", () -> get(() -> view.live()
            ? complete("ok\n")
            : complete(StatusCodes.SERVICE_UNAVAILABLE, "not live\n"))),
        path("ready", () -> get(() -> view.ready()
            ? complete("ready\n")
            : complete(StatusCodes.SERVICE_UNAVAILABLE, "not ready: " + view.phase() + "\n"))),
        path("metrics", () -> get(() -> complete(HttpResponse.create().withEntity(
            HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, view.metricsText()))))),
        path("status", () -> get(() -> json(StatusCodes.OK, view.status()))),
        pathPrefix("api", () -> path("history", () -> get(() -> json(StatusCodes.OK, view.history())))),
        pathSingleSlash(() -> get(() -> complete(HttpResponse.create().withEntity(
            HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, dashboard))))),
        path("checkpoint", () -> post(() -> authorized(settings, () -> action(control::requestCheckpoint)))),
        path("stop", () -> post(() -> authorized(settings, () -> action(control::requestStop)))));
  }

  private static Route authorized(MonitorSettings settings, Supplier<Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> {
      if (!settings.controlEnabled()) {
        return json(StatusCodes.FORBIDDEN,
            Map.of("error", "control actions are disabled: set monitor.token to enable them"));
      }
      if (!tokenMatches(header, settings.token())) {
        return json(StatusCodes.UNAUTHORIZED, Map.of("error", "missing or wrong bearer token"));
      }
      return inner.get();
    });
  }

  private static Route action(Supplier<CompletionStage<String>> request) {
    return onComplete(request.get(), result -> result.isSuccess()
        ? json(StatusCodes.ACCEPTED, Map.of("result", result.get()))
        : json(StatusCodes.CONFLICT, Map.of("error", String.valueOf(result.failed().get().getMessage()))));
  }

  static boolean tokenMatches(Optional<String> header, String token) {
    if (header.isEmpty() || !header.get().startsWith("Bearer ")) {
      return false;
    }
    byte[] given = header.get().substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
  }

  private static Route json(StatusCode status, Object body) {
    try {
      return complete(HttpResponse.create().withStatus(status)
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, JSON.writeValueAsString(body))));
    } catch (JsonProcessingException e) {
      return complete(StatusCodes.INTERNAL_SERVER_ERROR, "cannot render JSON: " + e.getMessage());
    }
  }

  static String dashboardPage() {
    try (InputStream in = MonitorServer.class.getResourceAsStream("/crisscross/monitor/dashboard.html")) {
      if (in == null) {
        throw new IllegalStateException("dashboard.html is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read dashboard.html", e);
    }
  }

  private static String hostForUrl(String host) {
    if (host.equals("0.0.0.0")) {
      return "127.0.0.1";
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
