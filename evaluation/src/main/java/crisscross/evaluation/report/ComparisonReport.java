package crisscross.evaluation.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import crisscross.evaluation.retrieval.RetrievalResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report of {@code crisscross compare}: one row per pretrained method and one for the random-init floor, one
 * column per number the evaluation report gives (linear SVM top-1 and retrieval recall at each k, per dataset and
 * modality), rendered as a Markdown table ({@code report.md}), JSON ({@code report.json}) and a grouped bar chart
 * ({@link ComparisonChart}). Values are fractions; Markdown shows percentages with one decimal, as
 * {@link ReportWriter} does.
 *
 * @param provenance what produced the numbers (methods, data, budget, code version ...), in order
 * @param metrics the columns, in order
 * @param rows the methods, then the floor
 */
public record ComparisonReport(String title, Map<String, String> provenance, List<Metric> metrics, List<Row> rows) {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One column.
   *
   * @param id stable key in JSON ({@code Synthetic/linear-svm/video/top1}, {@code Synthetic/retrieval/audio/R@5})
   * @param label column heading ({@code video SVM top-1}, {@code audio retrieval R@5})
   */
  public record Metric(String id, String label) {}

  /** One number of one evaluation. */
  public record Measurement(Metric metric, double value) {}

  /**
   * One row's inputs: what was evaluated and its numbers.
   *
   * @param runDirectory the pretraining run, relative to the report; empty for the floor
   * @param evaluationDirectory the evaluation's own report folder, relative to the report
   */
  public record Entry(String name, String runDirectory, String evaluationDirectory, List<Measurement> measurements) {
    public Entry {
      measurements = List.copyOf(measurements);
    }
  }

  /**
   * One row.
   *
   * @param values by {@link Metric#id}; a metric the row was not evaluated on (no audio encoder) is absent
   */
  public record Row(String name, String runDirectory, String evaluationDirectory, Map<String, Double> values) {
    public Row {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
  }

  public ComparisonReport {
    provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    metrics = List.copyOf(metrics);
    rows = List.copyOf(rows);
    List<String> ids = metrics.stream().map(Metric::id).toList();
    for (Row row : rows) {
      for (String id : row.values().keySet()) {
        if (!ids.contains(id)) {
          throw new IllegalArgumentException("row " + row.name() + " has a value for " + id + ", which is no column");
        }
      }
    }
  }

  /** The report of {@code entries}: columns in the order they first appear, rows in the order given. */
  public static ComparisonReport of(String title, Map<String, String> provenance, List<Entry> entries) {
    Map<String, Metric> metrics = new LinkedHashMap<>();
    List<Row> rows = new ArrayList<>();
    for (Entry entry : entries) {
      Map<String, Double> values = new LinkedHashMap<>();
      for (Measurement m : entry.measurements()) {
        Metric known = metrics.putIfAbsent(m.metric().id(), m.metric());
        if (known != null && !known.equals(m.metric())) {
          throw new IllegalArgumentException("metric " + m.metric().id() + " is labelled both '" + known.label()
              + "' and '" + m.metric().label() + "'");
        }
        values.put(m.metric().id(), m.value());
      }
      rows.add(new Row(entry.name(), entry.runDirectory(), entry.evaluationDirectory(), values));
    }
    return new ComparisonReport(title, provenance, List.copyOf(metrics.values()), rows);
  }

  /**
   * The numbers of one encoder kind in an evaluation's results: top-1 of every linear protocol (the mean over
   * folds or splits where there are several) and recall at every k of retrieval, in result order.
   */
  public static List<Measurement> measurements(List<EvaluationResult> results, EncoderKind encoder) {
    List<Measurement> measurements = new ArrayList<>();
    for (EvaluationResult r : results) {
      if (r.encoder() != encoder) {
        continue;
      }
      String prefix = r.dataset() + "/" + r.protocol().id() + "/" + r.modality().id() + "/";
      if (r.retrieval().isPresent()) {
        RetrievalResult retrieval = r.retrieval().get();
        for (int k : retrieval.ks()) {
          measurements.add(new Measurement(new Metric(prefix + "R@" + k, r.modality().id() + " retrieval R@" + k),
              retrieval.recallAt(k)));
        }
      } else {
        String label = switch (r.protocol()) {
          case LINEAR_SVM -> " SVM top-1";
          case LINEAR_SVM_GROUPED_CV -> " SVM top-1 (grouped CV)";
          case LINEAR_SVM_SPLITS -> " SVM top-1 (mean over splits)";
          case FINETUNE -> " finetuned top-1";
          case RETRIEVAL -> throw new IllegalStateException("retrieval results carry recall");
        };
        measurements.add(new Measurement(new Metric(prefix + "top1", r.modality().id() + label),
            r.top1().getAsDouble()));
      }
    }
    return measurements;
  }

  /**
   * {@code report.md}: provenance, the chart, one table of every number (%), and links to each row's run and
   * evaluation report.
   *
   * @param chartFile the SVG chart beside the report, linked from it
   */
  public String markdown(String chartFile) {
    StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
    provenance.forEach((k, v) -> md.append("- ").append(k).append(": `").append(v).append("`\n"));
    if (!provenance.isEmpty()) {
      md.append('\n');
    }
    md.append("![").append("Each measure for each method, grouped by measure").append("](").append(chartFile)
        .append(")\n\n")
        .append("Sample-level top-1 of a linear SVM on frozen features and recall at k of nearest-neighbour ")
        .append("retrieval (%), measured as `crisscross evaluate` measures them; each row's evaluation report has ")
        .append("the cost sweeps and figures.\n\n")
        .append("| Method |");
    metrics.forEach(m -> md.append(' ').append(m.label()).append(" |"));
    md.append(" Run | Evaluation |\n|---|");
    metrics.forEach(m -> md.append("---:|"));
    md.append("---|---|\n");
    for (Row row : rows) {
      md.append("| ").append(row.name()).append(" |");
      for (Metric m : metrics) {
        Double value = row.values().get(m.id());
        md.append(' ').append(value == null ? "–" : ReportWriter.percent(value)).append(" |");
      }
      md.append(' ').append(row.runDirectory().isEmpty() ? "–" : "`" + row.runDirectory() + "`").append(" | [")
          .append(row.evaluationDirectory()).append("](").append(row.evaluationDirectory()).append("/report.md) |\n");
    }
    return md.toString();
  }

  /** {@code report.json}: title, provenance, the columns, and each row's values by column id (fractions). */
  public String json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("title", title);
    ObjectNode prov = root.putObject("provenance");
    provenance.forEach(prov::put);
    var columns = root.putArray("metrics");
    for (Metric m : metrics) {
      columns.addObject().put("id", m.id()).put("label", m.label());
    }
    var array = root.putArray("rows");
    for (Row row : rows) {
      ObjectNode node = array.addObject();
      node.put("name", row.name());
      node.put("run_directory", row.runDirectory());
      node.put("evaluation_directory", row.evaluationDirectory());
      ObjectNode values = node.putObject("values");
      row.values().forEach(values::put);
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads {@link #json()} back. */
  public static ComparisonReport fromJson(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a comparison report: " + e.getOriginalMessage(), e);
    }
    Map<String, String> provenance = new LinkedHashMap<>();
    root.path("provenance").fields().forEachRemaining(e -> provenance.put(e.getKey(), e.getValue().asText()));
    List<Metric> metrics = new ArrayList<>();
    root.path("metrics").forEach(m -> metrics.add(new Metric(m.path("id").asText(), m.path("label").asText())));
    List<Row> rows = new ArrayList<>();
    for (JsonNode node : root.path("rows")) {
      Map<String, Double> values = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.path("values").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        values.put(e.getKey(), e.getValue().asDouble());
      }
      rows.add(new Row(node.path("name").asText(), node.path("run_directory").asText(),
          node.path("evaluation_directory").asText(), values));
    }
    return new ComparisonReport(root.path("title").asText(), provenance, metrics, rows);
  }
}
