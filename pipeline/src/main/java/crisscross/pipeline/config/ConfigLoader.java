package crisscross.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the effective configuration: {@code reference.conf} (every key, with defaults), then each file given
 * (later wins), then {@code --set key=value} overrides. Any key not in {@code reference.conf} is refused with
 * the file and line it came from.
 */
public final class ConfigLoader {
  /** Classpath location of the defaults; the build copies the root {@code config/} folder there. */
  public static final String CLASSPATH_DIR = "crisscross/config/";

  private ConfigLoader() {}

  /** The defaults alone. */
  public static Config reference() {
    return classpath("reference.conf").orElseThrow(
        () -> new IllegalStateException(CLASSPATH_DIR + "reference.conf is missing from the classpath"));
  }

  /**
   * A named configuration shipped with crisscross ({@code demo}, {@code kinetics400}, ...), read from the
   * classpath; empty if there is none of that name.
   */
  public static Optional<Config> classpath(String fileName) {
    String name = fileName.endsWith(".conf") ? fileName : fileName + ".conf";
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(CLASSPATH_DIR + name)) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(ConfigFactory.parseReader(
          new InputStreamReader(in, StandardCharsets.UTF_8),
          ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setOriginDescription("config/" + name)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + CLASSPATH_DIR + name, e);
    }
  }

  /**
   * Resolves a {@code --config} argument: an existing file path, else a configuration shipped with crisscross
   * by name ({@code demo} or {@code demo.conf} or {@code config/demo.conf}).
   */
  public static Config parseConfigArgument(String argument) {
    Path path = Path.of(argument);
    if (Files.isRegularFile(path)) {
      return parseFile(path);
    }
    String name = path.getFileName().toString();
    return classpath(name).orElseThrow(() -> new ConfigError(
        "configuration file '" + argument + "' does not exist (and crisscross ships no configuration named '"
            + name + "')"));
  }

  public static Config parseFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigError("configuration file '" + file + "' does not exist");
    }
    try {
      return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults()
          .setSyntax(ConfigSyntax.CONF).setAllowMissing(false).setOriginDescription(file.toString()));
    } catch (ConfigException e) {
      throw new ConfigError("configuration file '" + file + "' cannot be parsed: " + e.getMessage(), e);
    }
  }

  /**
   * Parses one {@code key=value} override. Values of string keys are taken verbatim (so
   * {@code data.root=s3://bucket/x} is not cut at {@code //}); other values are parsed as HOCON.
   */
  public static Config parseOverride(String assignment, Config reference) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new ConfigError("--set '" + assignment + "': expected key=value");
    }
    String key = assignment.substring(0, eq).trim();
    String raw = assignment.substring(eq + 1).trim();
    String origin = "--set " + assignment;
    if (key.equals(LegacyKeys.OBJECTIVE)) {
      return LegacyKeys.migrate(ConfigFactory.empty(origin).withValue(key,
          ConfigValueFactory.fromAnyRef(raw, origin)), true);
    }
    if (!reference.hasPathOrNull(key)) {
      throw new ConfigError("unknown configuration key '" + key + "' (from " + origin + ")");
    }
    ConfigValue defaultValue = reference.getValue(key);
    if (defaultValue.valueType() == ConfigValueType.STRING) {
      String value = raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")
          ? raw.substring(1, raw.length() - 1) : raw;
      return ConfigFactory.empty(origin).withValue(key, ConfigValueFactory.fromAnyRef(value, origin));
    }
    try {
      Config parsed = ConfigFactory.parseString("value = " + raw,
          ConfigParseOptions.defaults().setOriginDescription(origin));
      return ConfigFactory.empty(origin).withValue(key, parsed.getValue("value"));
    } catch (ConfigException e) {
      throw new ConfigError("--set " + key + ": cannot parse '" + raw + "': " + e.getMessage(), e);
    }
  }

  /** Layers files and overrides over the defaults, refusing unknown keys. */
  public static Settings load(List<Config> files, List<String> overrides) {
    Config reference = reference();
    List<Config> layers = new ArrayList<>(files);
    for (String assignment : overrides) {
      layers.add(parseOverride(assignment, reference));
    }
    Config merged = reference;
    for (Config given : layers) {
      Config layer = LegacyKeys.migrate(given, true);
      refuseUnknownKeys(layer, reference);
      merged = layer.withFallback(merged);
    }
    try {
      return new Settings(merged.resolve());
    } catch (ConfigException e) {
      throw new ConfigError("configuration cannot be resolved: " + e.getMessage(), e);
    }
  }

  /** Loads from the command line's shape: optional {@code --config} arguments and {@code --set} overrides. */
  public static Settings fromArguments(List<String> configArguments, List<String> overrides) {
    List<Config> files = new ArrayList<>();
    for (String argument : configArguments) {
      files.add(parseConfigArgument(argument));
    }
    return load(files, overrides);
  }

  private static void refuseUnknownKeys(Config layer, Config reference) {
    for (Map.Entry<String, ConfigValue> entry : layer.entrySet()) {
      String key = entry.getKey();
      if (!reference.hasPathOrNull(key)) {
        throw new ConfigError("unknown configuration key '" + key + "' (" + describe(entry.getValue()) + ")"
            + suggestion(key, reference));
      }
    }
  }

  static String describe(ConfigValue value) {
    var origin = value.origin();
    String description = origin.description();
    if (description == null) {
      return "unknown origin";
    }
    int line = origin.lineNumber();
    String place = description.replaceFirst(":\\s*\\d+(-\\d+)?$", "").replaceFirst(" @ .*$", "");
    return line >= 0 ? place + ", line " + line : place;
  }

  private static String suggestion(String key, Config reference) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Map.Entry<String, ConfigValue> entry : reference.entrySet()) {
      int d = editDistance(key, entry.getKey());
      if (d < bestDistance) {
        bestDistance = d;
        best = entry.getKey();
      }
    }
    return best != null && bestDistance <= Math.max(2, key.length() / 4) ? "; did you mean '" + best + "'?" : "";
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
