package crisscross.app;

import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --config FILE} and {@code --set key=value}, shared by every command that reads configuration. */
final class ConfigOptions {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Configuration file or a shipped name (demo, kinetics-sound, kinetics400, audioset); "
          + "repeatable, later files win.")
  List<String> configs = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one key (see config/reference.conf); repeatable, wins over files.")
  List<String> overrides = new ArrayList<>();

  /** The effective settings, with {@code fallbackConfig} used when no --config is given (null for none). */
  Settings load(String fallbackConfig) {
    return load(fallbackConfig, List.of());
  }

  /** As {@link #load(String)}, with {@code extra} overrides (e.g. a command's own {@code --data}) winning last. */
  Settings load(String fallbackConfig, List<String> extra) {
    List<String> files = configs.isEmpty() && fallbackConfig != null ? List.of(fallbackConfig) : configs;
    List<String> all = new ArrayList<>(overrides);
    all.addAll(extra);
    return ConfigLoader.fromArguments(files, all);
  }
}
