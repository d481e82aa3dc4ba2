package crisscross.app;

import crisscross.pipeline.config.ConfigLoader;
import crisscross.pipeline.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A run's directory ({@code runs/<timestamp>/} by default): the effective configuration it started with
 * ({@code config.conf}), its checkpoints, the monitor's URL and the final summary.
 */
final class RunDirectory {
  static final String CONFIG_FILE = "config.conf";
  static final String MONITOR_URL_FILE = "monitor.url";
  static final String SUMMARY_FILE = "summary.json";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final Path path;

  private RunDirectory(Path path) {
    this.path = path;
  }

  Path path() {
    return path;
  }

  /** A new directory under {@code runsRoot} named after the current time (suffixed if taken). */
  static RunDirectory createUnder(Path runsRoot) throws IOException {
    return createUnder(runsRoot, "");
  }

  /** As {@link #createUnder(Path)}, the name starting with {@code prefix} ({@code compare-20250101-120000}). */
  static RunDirectory createUnder(Path runsRoot, String prefix) throws IOException {
    Files.createDirectories(runsRoot);
    String stamp = prefix + LocalDateTime.now().format(STAMP);
    Path candidate = runsRoot.resolve(stamp);
    for (int i = 2; Files.exists(candidate); i++) {
      candidate = runsRoot.resolve(stamp + "-" + i);
    }
    Files.createDirectories(candidate);
    return new RunDirectory(candidate);
  }

  static RunDirectory at(Path path) throws IOException {
    Files.createDirectories(path);
    return new RunDirectory(path);
  }

  /** The newest run under {@code runsRoot} that holds a configuration, if any. */
  static Optional<RunDirectory> latestUnder(Path runsRoot) throws IOException {
    if (!Files.isDirectory(runsRoot)) {
      return Optional.empty();
    }
    try (Stream<Path> runs = Files.list(runsRoot)) {
      List<Path> candidates = new ArrayList<>(runs.filter(p -> Files.isRegularFile(p.resolve(CONFIG_FILE))).toList());
      candidates.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
      return candidates.stream().findFirst().map(RunDirectory::new);
    }
  }

  /** Whether this directory holds a run started before (its configuration was written). */
  boolean holdsRun() {
    return Files.isRegularFile(path.resolve(CONFIG_FILE));
  }

  Path checkpoints() {
    return path.resolve("checkpoints");
  }

  /** Writes the effective configuration (secrets redacted) the run starts with. */
  void writeConfig(Settings settings) throws IOException {
    write(CONFIG_FILE, "# Effective configuration of this run (secrets redacted: pass them again with --set or "
        + "the environment).\n" + settings.renderReadable() + "\n");
  }

  /**
   * The run's stored configuration with the user's overrides on top; redacted secrets come back empty (the
   * default credential chain) unless overridden.
   */
  Settings loadConfig(List<String> extraFiles, List<String> overrides) {
    List<com.typesafe.config.Config> layers = new ArrayList<>();
    com.typesafe.config.Config stored = ConfigLoader.parseFile(path.resolve(CONFIG_FILE));
    for (String key : Settings.SECRET_KEYS) {
      if (stored.hasPath(key) && stored.getString(key).equals("<redacted>")) {
        stored = stored.withValue(key, com.typesafe.config.ConfigValueFactory.fromAnyRef(""));
      }
    }
    layers.add(stored);
    for (String file : extraFiles) {
      layers.add(ConfigLoader.parseConfigArgument(file));
    }
    return ConfigLoader.load(layers, overrides);
  }

  void writeMonitorUrl(String url) throws IOException {
    write(MONITOR_URL_FILE, url + "\n");
  }

  void writeSummary(String json) throws IOException {
    write(SUMMARY_FILE, json + "\n");
  }

  private void write(String name, String content) throws IOException {
    writeAtomically(path.resolve(name), content);
  }

  /** Writes {@code file} through a temporary file beside it, so that a reader never sees half of it. */
  static void writeAtomically(Path file, String content) throws IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
