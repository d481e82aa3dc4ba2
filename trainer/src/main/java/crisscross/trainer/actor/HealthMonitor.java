package crisscross.trainer.actor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Keeps the actor table operators see at {@code /status}: each actor's state, last heartbeat and restarts,
 * published to the {@link RunBoard} once a second.
 */
public final class HealthMonitor extends AbstractBehavior<HealthMonitor.Command> {
  public sealed interface Command {}

  /** An actor says it is alive and what it is doing. */
  public record Heartbeat(String actor, String state) implements Command {}

  /** An actor was restarted after a failure. */
  public record Restarted(String actor, String cause) implements Command {}

  private enum Publish implements Command { INSTANCE }

  private record Entry(String state, Instant lastHeartbeat, int restarts, String lastFailure) {}

  private final RunBoard board;
  private final Map<String, Entry> actors = new TreeMap<>();

  public static Behavior<Command> create(RunBoard board) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new HealthMonitor(context, timers, board)));
  }

  private HealthMonitor(ActorContext<Command> context, TimerScheduler<Command> timers, RunBoard board) {
    super(context);
    this.board = board;
    timers.startTimerWithFixedDelay(Publish.INSTANCE, Duration.ofSeconds(1));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Heartbeat.class, this::onHeartbeat)
        .onMessage(Restarted.class, this::onRestarted)
        .onMessageEquals(Publish.INSTANCE, this::onPublish)
        .build();
  }

  private Behavior<Command> onHeartbeat(Heartbeat heartbeat) {
    Entry previous = actors.get(heartbeat.actor());
    actors.put(heartbeat.actor(), new Entry(heartbeat.state(), Instant.now(),
        previous == null ? 0 : previous.restarts(), previous == null ? "" : previous.lastFailure()));
    return this;
  }

  private Behavior<Command> onRestarted(Restarted restarted) {
    Entry previous = actors.get(restarted.actor());
    actors.put(restarted.actor(), new Entry("restarting", Instant.now(),
        (previous == null ? 0 : previous.restarts()) + 1, restarted.cause()));
    return onPublish();
  }

  private Behavior<Command> onPublish() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map.Entry<String, Entry> e : actors.entrySet()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("path", e.getKey());
      row.put("state", e.getValue().state());
      row.put("last_heartbeat", e.getValue().lastHeartbeat().toString());
      row.put("seconds_since_heartbeat",
          Duration.between(e.getValue().lastHeartbeat(), Instant.now()).toMillis() / 1000.0);
      row.put("restarts", e.getValue().restarts());
      row.put("last_failure", e.getValue().lastFailure());
      rows.add(row);
    }
    board.actors(Map.of("actors", rows));
    return this;
  }
}
