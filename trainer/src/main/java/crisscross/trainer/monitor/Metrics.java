package crisscross.trainer.monitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * A small thread-safe registry of counters and gauges with labels, rendered in the Prometheus text exposition
 * format 0.0.4. Families are registered once (idempotently) and then updated from any thread.
 */
public final class Metrics {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final Map<String, Family> families = new ConcurrentSkipListMap<>();

  /** A monotonically increasing count. */
  public Counter counter(String name, String help, String... labelNames) {
    return (Counter) families.computeIfAbsent(name, n -> new Counter(n, help, labelNames)).checkKind("counter");
  }

  /** A value that goes up and down. */
  public Gauge gauge(String name, String help, String... labelNames) {
    return (Gauge) families.computeIfAbsent(name, n -> new Gauge(n, help, labelNames)).checkKind("gauge");
  }

  /** A gauge read from a supplier at scrape time (memory, ages). */
  public void gaugeFunction(String name, String help, DoubleSupplier supplier) {
    families.computeIfAbsent(name, n -> new FunctionGauge(n, help, supplier)).checkKind("gauge");
  }

  /**
   * A counter read from suppliers at scrape time, one series per value of {@code labelName} (counts kept
   * elsewhere, e.g. by the pipeline).
   */
  public void counterFunction(String name, String help, String labelName,
      java.util.Map<String, DoubleSupplier> byLabel) {
    families.computeIfAbsent(name, n -> new FunctionCounter(n, help, labelName, byLabel)).checkKind("counter");
  }

  /** Current value of an unlabelled series or of the series with the given label values; NaN if absent. */
  public double value(String name, String... labelValues) {
    Family family = families.get(name);
    return family == null ? Double.NaN : family.read(labelValues);
  }

  /** The exposition text of every family, sorted by name. */
  public String scrape() {
    StringBuilder out = new StringBuilder(4096);
    for (Family family : families.values()) {
      family.render(out);
    }
    return out.toString();
  }

  /** Base of counters and gauges: one time series per label-value tuple. */
  public abstract static sealed class Family permits Counter, Gauge, FunctionGauge, FunctionCounter {
    final String name;
    final String help;
    final String[] labelNames;
    final Map<List<String>, Cell> series = new ConcurrentHashMap<>();

    Family(String name, String help, String[] labelNames) {
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("invalid metric name: " + name);
      }
      for (String label : labelNames) {
        if (!LABEL.matcher(label).matches()) {
          throw new IllegalArgumentException("invalid label name: " + label);
        }
      }
      this.name = name;
      this.help = help;
      this.labelNames = labelNames.clone();
    }

    abstract String kind();

    Family checkKind(String expected) {
      if (!kind().equals(expected)) {
        throw new IllegalArgumentException(name + " is already registered as a " + kind());
      }
      return this;
    }

    Cell cell(String... labelValues) {
      if (labelValues.length != labelNames.length) {
        throw new IllegalArgumentException(name + " takes labels " + Arrays.toString(labelNames) + ", got "
            + Arrays.toString(labelValues));
      }
      return series.computeIfAbsent(List.of(labelValues), k -> new Cell());
    }

    double read(String... labelValues) {
      Cell adder = series.get(List.of(labelValues));
      return adder == null ? Double.NaN : adder.get();
    }

    void render(StringBuilder out) {
      out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
      out.append("# TYPE ").append(name).append(' ').append(kind()).append('\n');
      List<Map.Entry<List<String>, Cell>> entries = new ArrayList<>(series.entrySet());
      entries.sort((a, b) -> String.join("\u0000", a.getKey()).compareTo(String.join("\u0000", b.getKey())));
      for (Map.Entry<List<String>, Cell> entry : entries) {
        out.append(name);
        List<String> values = entry.getKey();
        if (!values.isEmpty()) {
          out.append('{');
          for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
              out.append(',');
            }
            out.append(labelNames[i]).append("=\"").append(escapeLabel(values.get(i))).append('"');
          }
          out.append('}');
        }
        out.append(' ').append(format(entry.getValue().get())).append('\n');
      }
    }
  }

  /** Counts events; never decreases. */
  public static final class Counter extends Family {
    Counter(String name, String help, String[] labelNames) {
      super(name, help, labelNames);
    }

    @Override
    String kind() {
      return "counter";
    }

    public void inc(String... labelValues) {
      add(1, labelValues);
    }

    public void add(double amount, String... labelValues) {
      if (amount < 0) {
        throw new IllegalArgumentException("counter " + name + " cannot decrease");
      }
      cell(labelValues).add(amount);
    }

    /** Makes the series exist with value 0 so dashboards see it before the first event. */
    public void touch(String... labelValues) {
      cell(labelValues);
    }
  }

  /** Holds the latest value. */
  public static final class Gauge extends Family {
    Gauge(String name, String help, String[] labelNames) {
      super(name, help, labelNames);
    }

    @Override
    String kind() {
      return "gauge";
    }

    public void set(double value, String... labelValues) {
      cell(labelValues).set(value);
    }
  }

  static final class FunctionGauge extends Family {
    private final DoubleSupplier supplier;

    FunctionGauge(String name, String help, DoubleSupplier supplier) {
      super(name, help, new String[0]);
      this.supplier = supplier;
    }

    @Override
    String kind() {
      return "gauge";
    }

    @Override
    double read(String... labelValues) {
      return supplier.getAsDouble();
    }

    @Override
    void render(StringBuilder out) {
      out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
      out.append("# TYPE ").append(name).append(" gauge\n");
      out.append(name).append(' ').append(format(supplier.getAsDouble())).append('\n');
    }
  }

  /** One time series' value: a double updated atomically. */
  static final class Cell {
    private final AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(0.0));

    double get() {
      return Double.longBitsToDouble(bits.get());
    }

    void set(double value) {
      bits.set(Double.doubleToRawLongBits(value));
    }

    void add(double amount) {
      long current;
      long next;
      do {
        current = bits.get();
        next = Double.doubleToRawLongBits(Double.longBitsToDouble(current) + amount);
      } while (!bits.compareAndSet(current, next));
    }
  }

  static final class FunctionCounter extends Family {
    private final java.util.Map<String, DoubleSupplier> byLabel;

    FunctionCounter(String name, String help, String labelName, java.util.Map<String, DoubleSupplier> byLabel) {
      super(name, help, new String[] {labelName});
      this.byLabel = new java.util.TreeMap<>(byLabel);
    }

    @Override
    String kind() {
      return "counter";
    }

    @Override
    double read(String... labelValues) {
      DoubleSupplier supplier = labelValues.length == 1 ? byLabel.get(labelValues[0]) : null;
      return supplier == null ? Double.NaN : supplier.getAsDouble();
    }

    @Override
    void render(StringBuilder out) {
      out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
      out.append("# TYPE ").append(name).append(" counter\n");
      byLabel.forEach((label, supplier) -> out.append(name).append('{').append(labelNames[0]).append("=\"")
          .append(escapeLabel(label)).append("\"} ").append(format(supplier.getAsDouble())).append('\n'));
    }
  }

  static String format(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }

  private static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String escapeLabel(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
