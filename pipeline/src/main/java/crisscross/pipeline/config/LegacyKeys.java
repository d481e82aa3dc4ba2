package crisscross.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys of earlier versions, still read: {@code objective = <Table 1 row>} (before methods were plug-ins) is
 * {@code method = crisscross} with {@code crisscross.loss = <row>}. Applied to every configuration layer and to the
 * configurations stored in old checkpoints, so both keep working.
 */
public final class LegacyKeys {
  private static final Logger LOG = LoggerFactory.getLogger(LegacyKeys.class);
  public static final String OBJECTIVE = "objective";

  private LegacyKeys() {}

  /** {@code layer} with legacy keys rewritten to their current form; the same object when it has none. */
  public static Config migrate(Config layer, boolean warn) {
    if (!layer.hasPathOrNull(OBJECTIVE)) {
      return layer;
    }
    ConfigValue value = layer.getValue(OBJECTIVE);
    if (layer.hasPath("method") && !layer.getString("method").equals("crisscross")) {
      throw new ConfigError("configuration key 'objective' (" + ConfigLoader.describe(value) + ") is CrissCross's "
          + "loss, now crisscross.loss, but this configuration selects method = " + layer.getString("method"));
    }
    if (warn) {
      LOG.warn("configuration key 'objective' ({}) is read as method = crisscross, crisscross.loss = {}; write "
          + "those keys instead", ConfigLoader.describe(value), value.unwrapped());
    }
    Config migrated = layer.withoutPath(OBJECTIVE).withValue("crisscross.loss", value);
    return migrated.hasPath("method") ? migrated
        : migrated.withValue("method", ConfigValueFactory.fromAnyRef("crisscross", value.origin().description()));
  }
}
