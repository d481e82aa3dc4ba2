package crisscross.trainer.monitor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, as a scraper reads it: every sample line
 * must belong to a family declared by {@code # TYPE}, label syntax must be exact, values must parse.
 */
final class ExpositionParser {
  record Sample(String name, Map<String, String> labels, double value) {}

  record Exposition(Map<String, String> types, Map<String, String> help, List<Sample> samples) {
    double value(String name, Map<String, String> labels) {
      return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels))
          .mapToDouble(Sample::value).findFirst()
          .orElseThrow(() -> new AssertionError("no sample " + name + labels));
    }

    double value(String name) {
      return value(name, Map.of());
    }
  }

  private ExpositionParser() {}

  static Exposition parse(String text) {
    Map<String, String> types = new HashMap<>();
    Map<String, String> help = new HashMap<>();
    List<Sample> samples = new ArrayList<>();
    int lineNumber = 0;
    for (String line : text.split("\n", -1)) {
      lineNumber++;
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).split(" ");
        if (parts.length != 2 || !List.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[1])) {
          throw new IllegalArgumentException("line " + lineNumber + ": bad TYPE: " + line);
        }
        if (types.put(parts[0], parts[1]) != null) {
          throw new IllegalArgumentException("line " + lineNumber + ": TYPE declared twice: " + parts[0]);
        }
        continue;
      }
      if (line.startsWith("# HELP ")) {
        String rest = line.substring(7);
        int space = rest.indexOf(' ');
        help.put(space < 0 ? rest : rest.substring(0, space), space < 0 ? "" : rest.substring(space + 1));
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      samples.add(parseSample(line, lineNumber, types));
    }
    return new Exposition(types, help, samples);
  }

  private static Sample parseSample(String line, int lineNumber, Map<String, String> types) {
    int i = 0;
    while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_'
        || line.charAt(i) == ':')) {
      i++;
    }
    String name = line.substring(0, i);
    if (name.isEmpty() || !types.containsKey(name)) {
      throw new IllegalArgumentException("line " + lineNumber + ": sample of undeclared family: " + line);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String label = line.substring(i, eq);
        if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*") || line.charAt(eq + 1) != '"') {
          throw new IllegalArgumentException("line " + lineNumber + ": bad label: " + line);
        }
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        while (line.charAt(j) != '"') {
          char c = line.charAt(j);
          if (c == '\\') {
            char next = line.charAt(++j);
            value.append(next == 'n' ? '\n' : next);
          } else {
            value.append(c);
          }
          j++;
        }
        labels.put(label, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    if (line.charAt(i) != ' ') {
      throw new IllegalArgumentException("line " + lineNumber + ": expected a space before the value: " + line);
    }
    String valueText = line.substring(i + 1).trim().split(" ")[0];
    double value = switch (valueText) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(valueText);
    };
    return new Sample(name, labels, value);
  }
}
