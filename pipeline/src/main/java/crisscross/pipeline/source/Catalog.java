package crisscross.pipeline.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a layout reader found: every sample of every split (before a split is selected), the official class
 * order when the layout has one, and how many listed files are missing.
 */
record Catalog(List<Catalog.Entry> entries, List<String> classOrder, int missing) {
  /** One sample as listed: id is the file's path relative to the root. */
  record Entry(String id, Optional<String> label, String split, String group) {}

  /** Collects entries; logs the first few missing files so a wrong root is obvious. */
  static final class Builder {
    private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);
    private static final int MISSING_EXAMPLES = 5;

    private final String layout;
    private final List<Entry> entries = new ArrayList<>();
    private List<String> classOrder = List.of();
    private int missing;

    Builder(Layout layout) {
      this.layout = layout.configName();
    }

    Builder add(String id, Optional<String> label, String split, String group) {
      entries.add(new Entry(id, label.filter(l -> !l.isBlank()).map(String::strip), split, group));
      return this;
    }

    Builder classOrder(List<String> order) {
      classOrder = List.copyOf(order);
      return this;
    }

    /** A file the layout lists but the tree lacks ({@code where}: the list and line). */
    Builder missing(String listed, String where) {
      missing++;
      if (missing <= MISSING_EXAMPLES) {
        LOG.warn("{}: {} is listed ({}) but not present{}", layout, listed, where,
            missing == MISSING_EXAMPLES ? "; further missing files are only counted" : "");
      }
      return this;
    }

    Catalog build() {
      return new Catalog(List.copyOf(entries), classOrder, missing);
    }
  }
}
