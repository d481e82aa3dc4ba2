package crisscross.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ComparisonReportTest {
  /** One method's evaluation: video and audio linear SVM, then video and audio retrieval at k = 1, 5, 20. */
  private static List<EvaluationResult> evaluation(EncoderKind kind, double videoTop1, double audioTop1,
      double videoR1, double audioR1) {
    return List.of(
        EvaluationResult.linear("Synthetic", Modality.VIDEO, kind, ReportFixtures.linear(videoTop1, 1e-3, 0.9, 5e-3)),
        EvaluationResult.linear("Synthetic", Modality.AUDIO, kind, ReportFixtures.linear(audioTop1, 1e-3, 0.9, 5e-3)),
        EvaluationResult.retrieval("Synthetic", Modality.VIDEO, kind, ReportFixtures.retrieval(videoR1, 0.8, 0.95)),
        EvaluationResult.retrieval("Synthetic", Modality.AUDIO, kind, ReportFixtures.retrieval(audioR1, 0.9, 1.0)));
  }

  private static ComparisonReport report() {
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("methods", "crisscross, xdc");
    provenance.put("evaluation data", "synthetic=/data/heldout");
    return ComparisonReport.of("Comparison on Synthetic", provenance, List.of(
        new ComparisonReport.Entry("crisscross", "runs/crisscross", "evaluation/crisscross",
            ComparisonReport.measurements(evaluation(EncoderKind.PRETRAINED, 0.9, 1.0, 0.846, 1.0),
                EncoderKind.PRETRAINED)),
        new ComparisonReport.Entry("xdc", "runs/xdc", "evaluation/xdc",
            ComparisonReport.measurements(evaluation(EncoderKind.PRETRAINED, 0.721, 1.0, 0.742, 0.5),
                EncoderKind.PRETRAINED)),
        new ComparisonReport.Entry("random-init", "", "evaluation/random-init",
            ComparisonReport.measurements(evaluation(EncoderKind.RANDOM_INIT, 0.688, 1.0, 0.467, 0.25),
                EncoderKind.RANDOM_INIT))));
  }

  @Test
  void measurementsAreTop1OfEachLinearResultAndRecallAtEachKOfTheEncodersKind() {
    List<EvaluationResult> both = new ArrayList<>(evaluation(EncoderKind.PRETRAINED, 0.9, 1.0, 0.846, 1.0));
    both.addAll(evaluation(EncoderKind.RANDOM_INIT, 0.5, 0.5, 0.5, 0.5));

    List<ComparisonReport.Measurement> measurements = ComparisonReport.measurements(both, EncoderKind.PRETRAINED);

    assertThat(measurements).extracting(m -> m.metric().id()).containsExactly(
        "Synthetic/linear-svm/video/top1", "Synthetic/linear-svm/audio/top1",
        "Synthetic/retrieval/video/R@1", "Synthetic/retrieval/video/R@5", "Synthetic/retrieval/video/R@20",
        "Synthetic/retrieval/audio/R@1", "Synthetic/retrieval/audio/R@5", "Synthetic/retrieval/audio/R@20");
    assertThat(measurements).extracting(m -> m.metric().label()).startsWith("video SVM top-1", "audio SVM top-1",
        "video retrieval R@1");
    assertThat(measurements).extracting(ComparisonReport.Measurement::value)
        .containsExactly(0.9, 1.0, 0.846, 0.8, 0.95, 1.0, 0.9, 1.0);
  }

  @Test
  void markdownHasOneRowPerMethodAndTheFloorWithPercentagesAndLinks() {
    String md = report().markdown("report.svg");

    assertThat(md).startsWith("# Comparison on Synthetic\n\n- methods: `crisscross, xdc`\n")
        .contains("![Each measure for each method, grouped by measure](report.svg)")
        .contains("| Method | video SVM top-1 | audio SVM top-1 | video retrieval R@1 | video retrieval R@5 | "
            + "video retrieval R@20 | audio retrieval R@1 | audio retrieval R@5 | audio retrieval R@20 | Run | "
            + "Evaluation |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n")
        .contains("| crisscross | 90.0 | 100.0 | 84.6 | 80.0 | 95.0 | 100.0 | 90.0 | 100.0 | `runs/crisscross` | "
            + "[evaluation/crisscross](evaluation/crisscross/report.md) |\n")
        .contains("| xdc | 72.1 | 100.0 | 74.2 |")
        .contains("| random-init | 68.8 | 100.0 | 46.7 | 80.0 | 95.0 | 25.0 | 90.0 | 100.0 | – | "
            + "[evaluation/random-init](evaluation/random-init/report.md) |\n");
  }

  @Test
  void aMetricARowLacksIsADashAndNoBar() throws Exception {
    ComparisonReport report = ComparisonReport.of("t", Map.of(), List.of(
        new ComparisonReport.Entry("both", "runs/both", "evaluation/both", ComparisonReport.measurements(
            evaluation(EncoderKind.PRETRAINED, 0.5, 0.6, 0.7, 0.8), EncoderKind.PRETRAINED)),
        new ComparisonReport.Entry("video-only", "runs/video-only", "evaluation/video-only", ComparisonReport
            .measurements(evaluation(EncoderKind.PRETRAINED, 0.5, 0.6, 0.7, 0.8).subList(0, 1),
                EncoderKind.PRETRAINED))));

    assertThat(report.markdown("c.svg")).contains("| video-only | 50.0 | – | – |");
    assertThat(bars(ComparisonChart.svg(report))).hasSize(8 + 1);
  }

  @Test
  void jsonRoundTripsEveryNumberAndName() throws Exception {
    ComparisonReport report = report();

    String json = report.json();
    ComparisonReport back = ComparisonReport.fromJson(json);

    assertThat(back).isEqualTo(report);
    assertThat(back.json()).isEqualTo(json);
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    assertThat(tree.path("rows").get(1).path("values").path("Synthetic/retrieval/video/R@1").asDouble())
        .isEqualTo(0.742);
    assertThat(tree.path("rows").get(2).path("run_directory").asText()).isEmpty();
  }

  @Test
  void aValueForAnUnknownColumnOrTwoLabelsForOneColumnAreRefused() {
    assertThatThrownBy(() -> new ComparisonReport("t", Map.of(), List.of(),
        List.of(new ComparisonReport.Row("x", "", "e", Map.of("a/b", 0.5)))))
        .hasMessageContaining("row x has a value for a/b, which is no column");
    ComparisonReport.Metric one = new ComparisonReport.Metric("m", "one");
    ComparisonReport.Metric other = new ComparisonReport.Metric("m", "other");
    assertThatThrownBy(() -> ComparisonReport.of("t", Map.of(), List.of(
        new ComparisonReport.Entry("a", "", "e", List.of(new ComparisonReport.Measurement(one, 0.1))),
        new ComparisonReport.Entry("b", "", "f", List.of(new ComparisonReport.Measurement(other, 0.2))))))
        .hasMessageContaining("metric m is labelled both 'one' and 'other'");
  }

  @Test
  void chartHasOneBarPerMethodAndMetricInTheMethodsColourScaledToTheAxis() throws Exception {
    ComparisonReport report = report();

    Document svg = parse(ComparisonChart.svg(report));

    List<Element> bars = bars(ComparisonChart.svg(report));
    assertThat(bars).hasSize(3 * 8);
    Element first = bars.get(0);
    assertThat(first.getAttribute("fill")).isEqualTo(ComparisonChart.PALETTE.get(0));
    assertThat(Double.parseDouble(first.getAttribute("height"))).isEqualTo(270.0);
    assertThat(first.getTextContent()).isEqualTo("crisscross · video SVM top-1: 90.0 %");
    Element floorBar = bars.get(2);
    assertThat(floorBar.getAttribute("fill")).isEqualTo(ComparisonChart.PALETTE.get(2));
    assertThat(floorBar.getTextContent()).startsWith("random-init · video SVM top-1");
    assertThat(count(svg, "rect", "legend")).isEqualTo(3);
    assertThat(count(svg, "text", "metric")).isEqualTo(8);
    String text = svg.getDocumentElement().getTextContent();
    assertThat(text).contains("Score (%: top-1 or recall at k)").contains("Measure (frozen features)")
        .contains("Method").contains("crisscross").contains("xdc").contains("random-init");
  }

  @Test
  void chartEscapesLabels() throws Exception {
    ComparisonReport report = ComparisonReport.of("a <b> & \"c\"", Map.of(), List.of(new ComparisonReport.Entry(
        "m&m", "", "e", List.of(new ComparisonReport.Measurement(new ComparisonReport.Metric("x", "R<1>"), 0.5)))));

    Document svg = parse(ComparisonChart.svg(report));

    assertThat(svg.getDocumentElement().getTextContent()).contains("a <b> & \"c\"").contains("m&m").contains("R<1>");
  }

  private static List<Element> bars(String svg) throws Exception {
    NodeList rects = parse(svg).getElementsByTagName("rect");
    List<Element> bars = new ArrayList<>();
    for (int i = 0; i < rects.getLength(); i++) {
      Element rect = (Element) rects.item(i);
      if ("bar".equals(rect.getAttribute("class"))) {
        bars.add(rect);
      }
    }
    return bars;
  }

  private static int count(Document document, String tag, String cssClass) {
    NodeList nodes = document.getElementsByTagName(tag);
    int n = 0;
    for (int i = 0; i < nodes.getLength(); i++) {
      if (cssClass.equals(((Element) nodes.item(i)).getAttribute("class"))) {
        n++;
      }
    }
    return n;
  }

  private static Document parse(String svg) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }
}
