package crisscross.trainer.monitor;

import java.util.Map;

/** What the monitor reads from a run. Implementations must be thread-safe and cheap. */
public interface RunView {
  /** The process is alive and its actors respond. */
  boolean live();

  /** Training is in progress (not starting, restoring, restarting or stopped). */
  boolean ready();

  /** One word for the run's phase (starting, training, restarting, stopping, stopped, failed). */
  String phase();

  /** Prometheus exposition text. */
  String metricsText();

  /** The actor tree with state, last heartbeat and restarts per actor; serialised as JSON. */
  Map<String, Object> status();

  /** Series for the dashboard charts (steps, loss terms, throughput); serialised as JSON. */
  Map<String, Object> history();
}
