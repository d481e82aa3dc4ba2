package crisscross.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The effective configuration with typed, validated access. Every error names the full key and the file and
 * line (or {@code --set}) the value came from, so a settings record can be built in one place and trusted.
 */
public final class Settings {
  private final Config config;

  public Settings(Config config) {
    this.config = config;
  }

  public Config config() {
    return config;
  }

  public String string(String key) {
    return get(key, () -> config.getString(key));
  }

  public boolean bool(String key) {
    return get(key, () -> config.getBoolean(key));
  }

  /**
   * {@code run.seed}: every random draw of the run derives from it (the one place it is parsed, so its bounds and
   * messages are the same everywhere).
   */
  public long runSeed() {
    return longInteger("run.seed", Long.MIN_VALUE, Long.MAX_VALUE);
  }

  public int integer(String key, int min, int max) {
    int value = get(key, () -> config.getInt(key));
    if (value < min || value > max) {
      throw outOfRange(key, "an integer in [" + min + ", " + max + "]", value);
    }
    return value;
  }

  public long longInteger(String key, long min, long max) {
    long value = get(key, () -> config.getLong(key));
    if (value < min || value > max) {
      throw outOfRange(key, "an integer in [" + min + ", " + max + "]", value);
    }
    return value;
  }

  public double real(String key, double min, double max) {
    double value = get(key, () -> config.getDouble(key));
    if (!(value >= min && value <= max)) {
      throw outOfRange(key, "a number in [" + min + ", " + max + "]", value);
    }
    return value;
  }

  public Duration duration(String key, Duration min) {
    Duration value = get(key, () -> config.getDuration(key));
    if (value.compareTo(min) < 0) {
      throw outOfRange(key, "a duration of at least " + min, value);
    }
    return value;
  }

  /** A lower-cased string that must be one of {@code allowed}. */
  public String choice(String key, Set<String> allowed) {
    String value = string(key).trim().toLowerCase(Locale.ROOT);
    if (!allowed.contains(value)) {
      throw outOfRange(key, "one of " + new TreeSet<>(allowed), "'" + value + "'");
    }
    return value;
  }

  public List<Integer> integers(String key, int min, int max) {
    List<Integer> values = get(key, () -> config.getIntList(key));
    for (int value : values) {
      if (value < min || value > max) {
        throw outOfRange(key, "integers in [" + min + ", " + max + "]", values);
      }
    }
    return List.copyOf(values);
  }

  public List<Double> reals(String key, double min, double max) {
    List<Double> values = get(key, () -> config.getDoubleList(key));
    for (double value : values) {
      if (!(value >= min && value <= max)) {
        throw outOfRange(key, "numbers in [" + min + ", " + max + "]", values);
      }
    }
    return List.copyOf(values);
  }

  public List<String> strings(String key) {
    return List.copyOf(get(key, () -> config.getStringList(key)));
  }

  /** Builds a settings error for a value that passed its type check but breaks a rule across keys. */
  public ConfigError invalid(String key, String rule) {
    return new ConfigError("configuration key '" + key + "' (" + origin(key) + "): " + rule);
  }

  /** Where a key's value came from: file and line, {@code --set ...}, or the defaults. */
  public String origin(String key) {
    if (!config.hasPathOrNull(key)) {
      return "not set";
    }
    ConfigValue value = config.getValue(key);
    return ConfigLoader.describe(value);
  }

  /** Keys whose values are secrets: never logged, never stored in checkpoints, not part of the hash. */
  public static final java.util.List<String> SECRET_KEYS =
      java.util.List.of("data.s3.access-key-id", "data.s3.secret-access-key", "monitor.token");

  /**
   * The effective configuration as canonical JSON (keys sorted), as stored in checkpoints; secrets are replaced by
   * a marker saying whether they were set.
   */
  public String renderCanonical() {
    return redacted().root().render(ConfigRenderOptions.concise().setFormatted(false));
  }

  /** The effective configuration as readable HOCON, for logs; secrets redacted. */
  public String renderReadable() {
    return redacted().root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
  }

  private Config redacted() {
    Config out = config;
    for (String key : SECRET_KEYS) {
      if (out.hasPath(key)) {
        String marker = out.getString(key).isEmpty() ? "" : "<redacted>";
        out = out.withValue(key, com.typesafe.config.ConfigValueFactory.fromAnyRef(marker));
      }
    }
    return out;
  }

  /** SHA-256 of {@link #renderCanonical()}. */
  public String hash() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(renderCanonical().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private <T> T get(String key, java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (ConfigException.Missing e) {
      throw new ConfigError("configuration key '" + key + "' is missing", e);
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw new ConfigError("configuration key '" + key + "' (" + origin(key) + "): wrong type: "
          + e.getMessage(), e);
    }
  }

  private ConfigError outOfRange(String key, String expected, Object actual) {
    return new ConfigError("configuration key '" + key + "' (" + origin(key) + "): must be " + expected
        + ", got " + actual);
  }
}
