package crisscross.trainer.method;

import crisscross.pipeline.config.ConfigError;
import crisscross.pipeline.config.Settings;
import crisscross.trainer.method.crisscross.CrissCrossMethod;
import crisscross.trainer.method.crisscross.CrissCrossSettings;
import crisscross.trainer.method.temporal.TemporalContrastiveMethod;
import crisscross.trainer.method.xdc.XdcMethod;
import crisscross.trainer.method.xdc.XdcVariant;
import crisscross.trainer.optim.OptimSettings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The methods users choose from by name (key {@code method}): one line per method. A method's options are read by
 * its factory from its own block ({@code <name>.*}, defaults in {@code config/methods/<name>.conf}).
 */
public final class Methods {
  /** Makes a method from the effective configuration (and, inside a run, the run's data). */
  @FunctionalInterface
  public interface Factory {
    Method create(MethodContext context);
  }

  /** A method's factory and the configuration block it reads (the XDC variants share {@code xdc}). */
  private record Registration(String block, Factory factory) {}

  private static final Map<String, Registration> REGISTRY = new LinkedHashMap<>();

  static {
    REGISTRY.put(CrissCrossMethod.NAME, new Registration(CrissCrossMethod.NAME,
        c -> new CrissCrossMethod(CrissCrossSettings.from(c.settings(), c.optim()))));
    for (XdcVariant variant : XdcVariant.values()) {
      REGISTRY.put(variant.id(), new Registration("xdc", c -> XdcMethod.create(variant, c)));
    }
    REGISTRY.put(TemporalContrastiveMethod.NAME, new Registration(TemporalContrastiveMethod.NAME,
        TemporalContrastiveMethod::create));
  }

  private Methods() {}

  /** The option blocks of every method but {@code method}'s own: keys that cannot change what {@code method} does. */
  public static Set<String> otherBlocks(String method) {
    Set<String> others = new java.util.TreeSet<>();
    REGISTRY.values().forEach(r -> others.add(r.block()));
    Registration own = REGISTRY.get(method.toLowerCase(Locale.ROOT));
    if (own != null) {
      others.remove(own.block());
    }
    return others;
  }

  public static Set<String> names() {
    return REGISTRY.keySet();
  }

  /** The method the configuration selects ({@code method}), with its options, outside a run. */
  public static Method from(Settings settings) {
    return from(MethodContext.withoutData(settings, OptimSettings.from(settings)));
  }

  /** {@code method}: a registered method's name, parsed here only. */
  public static String name(Settings settings) {
    return settings.choice("method", names());
  }

  /** The method the configuration selects ({@code method}), with its options. */
  public static Method from(MethodContext context) {
    String name = name(context.settings());
    try {
      return REGISTRY.get(name.toLowerCase(Locale.ROOT)).factory().create(context);
    } catch (IllegalArgumentException e) {
      throw new ConfigError("method " + name + " (block '" + name + "'): " + e.getMessage(), e);
    }
  }
}
