package crisscross.trainer.monitor;

import crisscross.pipeline.config.Settings;

/**
 * Where the monitor listens and the token that guards its control actions.
 *
 * @param port 0 picks a free port (the chosen URL is printed and written to {@code monitor.url})
 * @param token bearer token for POST /checkpoint and POST /stop; empty disables them
 */
public record MonitorSettings(String host, int port, String token) {
  public static MonitorSettings from(Settings settings) {
    String host = settings.string("monitor.host").trim();
    if (host.isEmpty()) {
      throw settings.invalid("monitor.host", "must not be empty (use 127.0.0.1 to stay local)");
    }
    return new MonitorSettings(host, settings.integer("monitor.port", 0, 65535), settings.string("monitor.token"));
  }

  public boolean controlEnabled() {
    return !token.isEmpty();
  }
}
