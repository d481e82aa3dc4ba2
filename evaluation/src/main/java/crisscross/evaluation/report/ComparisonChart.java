package crisscross.evaluation.report;

import java.util.List;
import java.util.Locale;

/**
 * The bar chart of a {@link ComparisonReport} as SVG text: one group of bars per metric, one bar per row in the
 * row's colour (a missing value leaves a gap), a 0-100 % axis with grid lines, axis titles and a legend. Each bar
 * carries a tooltip with its number.
 */
public final class ComparisonChart {
  /** Tableau 10: distinguishable colours, also in greyscale print. */
  static final List<String> PALETTE = List.of("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
      "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac");

  private static final int BAR_WIDTH = 16;
  private static final int GROUP_GAP = 28;
  /** Room left of the plot for the axis and the first slanted labels. */
  private static final int LEFT = 130;
  private static final int TOP = 48;
  private static final int PLOT_HEIGHT = 300;
  /** Room under the plot for the slanted metric labels and the axis title. */
  private static final int BOTTOM = 190;
  private static final int LEGEND_WIDTH = 170;

  private ComparisonChart() {}

  public static String svg(ComparisonReport report) {
    List<ComparisonReport.Metric> metrics = report.metrics();
    List<ComparisonReport.Row> rows = report.rows();
    int groupWidth = Math.max(1, rows.size()) * BAR_WIDTH;
    int plotWidth = Math.max(1, metrics.size()) * (groupWidth + GROUP_GAP) + GROUP_GAP;
    int width = LEFT + plotWidth + LEGEND_WIDTH;
    int height = TOP + PLOT_HEIGHT + BOTTOM;
    int baseline = TOP + PLOT_HEIGHT;

    StringBuilder svg = new StringBuilder();
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
        .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
        .append(text(LEFT, 24, "start", "font-size=\"15\" font-weight=\"bold\"", report.title()));

    for (int percent = 0; percent <= 100; percent += 20) {
      double y = baseline - PLOT_HEIGHT * percent / 100.0;
      svg.append(String.format(Locale.ROOT,
          "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>%n", LEFT, y,
          LEFT + plotWidth, y));
      svg.append(text(LEFT - 6, y + 4, "end", "", Integer.toString(percent)));
    }
    svg.append(String.format(Locale.ROOT,
        "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP, LEFT, baseline));
    svg.append(String.format(Locale.ROOT,
        "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, baseline,
        LEFT + plotWidth, baseline));
    double yTitleY = TOP + PLOT_HEIGHT / 2.0;
    svg.append(String.format(Locale.ROOT,
        "<text class=\"axis-title\" x=\"%d\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 %d %.1f)\">"
            + "Score (%%: top-1 or recall at k)</text>%n", LEFT - 40, yTitleY, LEFT - 40, yTitleY));
    svg.append(text(LEFT + plotWidth / 2.0, height - 12, "middle", "class=\"axis-title\"",
        "Measure (frozen features)"));

    for (int m = 0; m < metrics.size(); m++) {
      ComparisonReport.Metric metric = metrics.get(m);
      int groupX = LEFT + GROUP_GAP + m * (groupWidth + GROUP_GAP);
      for (int r = 0; r < rows.size(); r++) {
        ComparisonReport.Row row = rows.get(r);
        Double value = row.values().get(metric.id());
        if (value == null) {
          continue;
        }
        double clamped = Math.max(0, Math.min(1, value));
        double barHeight = PLOT_HEIGHT * clamped;
        svg.append(String.format(Locale.ROOT,
            "<rect class=\"bar\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>%s</title>"
                + "</rect>%n", groupX + r * BAR_WIDTH, baseline - barHeight, BAR_WIDTH - 2, barHeight, colour(r),
            escape(row.name() + " · " + metric.label() + ": " + ReportWriter.percent(value) + " %")));
      }
      double labelX = groupX + groupWidth / 2.0;
      double labelY = baseline + 14;
      svg.append(String.format(Locale.ROOT,
          "<text class=\"metric\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" transform=\"rotate(-40 %.1f %.1f)\">%s"
              + "</text>%n", labelX, labelY, labelX, labelY, escape(metric.label())));
    }

    int legendX = LEFT + plotWidth + 20;
    svg.append(text(legendX, TOP, "start", "font-weight=\"bold\"", "Method"));
    for (int r = 0; r < rows.size(); r++) {
      int y = TOP + 14 + r * 20;
      svg.append(String.format(Locale.ROOT,
          "<rect class=\"legend\" x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n", legendX, y,
          colour(r)));
      svg.append(text(legendX + 18, y + 10, "start", "", rows.get(r).name()));
    }
    return svg.append("</svg>\n").toString();
  }

  static String colour(int row) {
    return PALETTE.get(row % PALETTE.size());
  }

  private static String text(double x, double y, String anchor, String attributes, String content) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>%n", x, y, anchor,
        attributes.isEmpty() ? "" : " " + attributes, escape(content));
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
