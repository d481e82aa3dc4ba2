package crisscross.pipeline.source;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV record (RFC 4180 quoting: {@code "a, b"} and {@code ""} for a quote inside quotes). Fields are
 * trimmed, and a quote may follow leading blanks, as in AudioSet's {@code id, 30.000, 40.000, "/m/a,/m/b"}.
 * Records span one line; none of the supported formats breaks a field across lines.
 */
final class Csv {
  private Csv() {}

  static List<String> split(String line, char separator) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t') && line.charAt(i) != separator) {
        i++;
      }
      boolean quoted = i < n && line.charAt(i) == '"';
      if (quoted) {
        i++;
        while (i < n) {
          char c = line.charAt(i);
          if (c == '"') {
            if (i + 1 < n && line.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field.append(c);
          i++;
        }
        while (i < n && line.charAt(i) != separator) {
          field.append(line.charAt(i));
          i++;
        }
        fields.add(field.toString().stripTrailing());
      } else {
        while (i < n && line.charAt(i) != separator) {
          field.append(line.charAt(i));
          i++;
        }
        fields.add(field.toString().strip());
      }
      field.setLength(0);
      if (i >= n) {
        return fields;
      }
      i++;
    }
  }

  static List<String> split(String line) {
    return split(line, ',');
  }

  /** Drops a UTF-8 byte order mark, which spreadsheet exports put before the header. */
  static String stripBom(String line) {
    return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
  }
}
