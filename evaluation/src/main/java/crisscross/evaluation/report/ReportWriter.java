package crisscross.evaluation.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import crisscross.evaluation.linear.CostScore;
import crisscross.evaluation.linear.CrossValidatedResult;
import crisscross.evaluation.linear.LinearResult;
import crisscross.evaluation.retrieval.RetrievalResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * Writes {@code report.md} (tables laid out like the paper's: Table 2/4 for linear evaluation with pretrained and
 * random-init columns, Table 7 for retrieval, and every cost sweep) and {@code report.json} (every number, for
 * machines). Accuracies are fractions in JSON and percentages with one decimal in Markdown.
 */
public final class ReportWriter {
  /** Explains the optimistic column wherever it appears. */
  static final String BEST_ON_TEST_NOTE = "best test top-1 over the cost sweep, i.e. the cost is chosen on the "
      + "test split as the paper's code does; optimistic, not comparable to the cross-validated number";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportWriter() {}

  /**
   * Writes {@code report.md} and {@code report.json} into {@code directory} (created if needed), each atomically.
   *
   * @param provenance what produced the results (checkpoint, configuration hash, code version ...), in order
   */
  public static void write(Path directory, String title, Map<String, String> provenance,
      List<EvaluationResult> results) throws IOException {
    Files.createDirectories(directory);
    writeAtomically(directory.resolve("report.md"), markdown(title, provenance, results));
    writeAtomically(directory.resolve("report.json"), json(title, provenance, results));
  }

  public static String markdown(String title, Map<String, String> provenance, List<EvaluationResult> results) {
    StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
    provenance.forEach((k, v) -> md.append("- ").append(k).append(": `").append(v).append("`\n"));
    if (!provenance.isEmpty()) {
      md.append('\n');
    }
    linearTable(md, results);
    bestOnTestTable(md, results);
    retrievalTable(md, results);
    sweeps(md, results);
    return md.toString();
  }

  private static void linearTable(StringBuilder md, List<EvaluationResult> results) {
    Map<String, Map<EncoderKind, EvaluationResult>> rows = new LinkedHashMap<>();
    for (EvaluationResult r : results) {
      if (r.protocol() != Protocol.RETRIEVAL) {
        rows.computeIfAbsent(r.dataset() + "\u0000" + r.modality() + "\u0000" + r.protocol(),
            k -> new LinkedHashMap<>()).put(r.encoder(), r);
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    md.append("## Linear evaluation\n\n")
        .append("Sample-level top-1 (%): clip decision values averaged per sample; the SVM cost is chosen by ")
        .append("grouped stratified cross-validation on the training split (Appendix E.1).\n\n")
        .append("| Dataset | Modality | Protocol | Pretrained | Random init | Δ | C (pretrained) |\n")
        .append("|---|---|---|---:|---:|---:|---:|\n");
    for (Map<EncoderKind, EvaluationResult> row : rows.values()) {
      EvaluationResult any = row.values().iterator().next();
      EvaluationResult pretrained = row.get(EncoderKind.PRETRAINED);
      EvaluationResult random = row.get(EncoderKind.RANDOM_INIT);
      String delta = pretrained != null && random != null
          ? signedPercent(pretrained.top1().getAsDouble() - random.top1().getAsDouble()) : "–";
      String cost = pretrained == null ? "–" : pretrained.linear().map(l -> cost(l.chosenCost()))
          .orElse("per fold");
      md.append("| ").append(any.dataset()).append(" | ").append(any.modality().shortName()).append(" | ")
          .append(any.protocol().title()).append(" | ").append(linearCell(pretrained)).append(" | ")
          .append(linearCell(random)).append(" | ").append(delta).append(" | ").append(cost).append(" |\n");
    }
    md.append('\n');
  }

  private static String linearCell(EvaluationResult result) {
    if (result == null) {
      return "–";
    }
    if (result.crossValidated().isPresent()) {
      CrossValidatedResult cv = result.crossValidated().get();
      return percent(cv.meanTop1()) + " ± " + percent(cv.stdTop1());
    }
    return percent(result.linear().orElseThrow().top1());
  }

  private static void bestOnTestTable(StringBuilder md, List<EvaluationResult> results) {
    List<String> lines = new ArrayList<>();
    for (EvaluationResult r : results) {
      if (r.linear().isPresent() && r.linear().get().bestOnTestTop1().isPresent()) {
        LinearResult l = r.linear().get();
        lines.add("| " + r.dataset() + " | " + r.modality().shortName() + " | " + r.encoder().title() + " | "
            + percent(l.bestOnTestTop1().getAsDouble()) + " | " + cost(l.bestOnTestCost().getAsDouble()) + " | "
            + percent(l.top1()) + " |");
      } else if (r.crossValidated().isPresent() && !Double.isNaN(r.crossValidated().get().meanBestOnTestTop1())) {
        CrossValidatedResult cv = r.crossValidated().get();
        lines.add("| " + r.dataset() + " | " + r.modality().shortName() + " | " + r.encoder().title() + " | "
            + percent(cv.meanBestOnTestTop1()) + " | per fold | " + percent(cv.meanTop1()) + " |");
      }
    }
    if (lines.isEmpty()) {
      return;
    }
    md.append("## Best over the cost sweep on the test split (optimistic)\n\n")
        .append("Top-1 (%): ").append(BEST_ON_TEST_NOTE).append(".\n\n")
        .append("| Dataset | Modality | Encoder | Best-on-test top-1 | C | Cross-validated top-1 |\n")
        .append("|---|---|---|---:|---:|---:|\n");
    lines.forEach(line -> md.append(line).append('\n'));
    md.append('\n');
  }

  private static void retrievalTable(StringBuilder md, List<EvaluationResult> results) {
    List<EvaluationResult> retrieval = results.stream().filter(r -> r.retrieval().isPresent()).toList();
    if (retrieval.isEmpty()) {
      return;
    }
    TreeSet<Integer> ks = new TreeSet<>();
    retrieval.forEach(r -> ks.addAll(r.retrieval().get().ks()));
    md.append("## Retrieval\n\n")
        .append("Recall at k (%): a test sample (query) counts as retrieved at k when at least one of its k ")
        .append("nearest training samples (cosine similarity of clip-averaged features) has its class ")
        .append("(Table 7, Appendix E.3).\n\n")
        .append("| Dataset | Modality | Encoder |");
    ks.forEach(k -> md.append(" R@").append(k).append(" |"));
    md.append("\n|---|---|---|");
    ks.forEach(k -> md.append("---:|"));
    md.append('\n');
    for (EvaluationResult r : retrieval) {
      RetrievalResult result = r.retrieval().get();
      md.append("| ").append(r.dataset()).append(" | ").append(r.modality().shortName()).append(" | ")
          .append(r.encoder().title()).append(" |");
      for (int k : ks) {
        md.append(' ').append(result.recallAtK().containsKey(k) ? percent(result.recallAt(k)) : "–").append(" |");
      }
      md.append('\n');
    }
    md.append('\n');
  }

  private static void sweeps(StringBuilder md, List<EvaluationResult> results) {
    boolean header = false;
    for (EvaluationResult r : results) {
      List<LinearResult> probes = new ArrayList<>();
      r.linear().ifPresent(probes::add);
      r.crossValidated().ifPresent(cv -> probes.addAll(cv.folds()));
      for (int p = 0; p < probes.size(); p++) {
        if (!header) {
          md.append("## Cost sweeps\n\n")
              .append("CV: mean ± std of the held-out folds' sample-level top-1 on the training split, which ")
              .append("chooses C (marked ◀). Test: top-1 on the test split when fitted at that C.\n\n");
          header = true;
        }
        LinearResult probe = probes.get(p);
        md.append("### ").append(r.dataset()).append(" · ").append(r.modality().id()).append(" · ")
            .append(r.encoder().id());
        if (r.crossValidated().isPresent()) {
          md.append(" · outer fold ").append(p + 1);
        }
        md.append("\n\n").append(probe.trainSamples()).append(" training samples (").append(probe.trainClips())
            .append(" clips), ").append(probe.testSamples()).append(" test samples (").append(probe.testClips())
            .append(" clips), ").append(probe.cvFolds()).append("-fold CV, preprocessing ")
            .append(probe.preprocessing().name().toLowerCase(Locale.ROOT)).append(", clip-level top-1 ")
            .append(percent(probe.clipTop1())).append(".\n\n")
            .append("| C | CV top-1 | Test top-1 |\n|---:|---:|---:|\n");
        for (CostScore score : probe.sweep()) {
          md.append("| ").append(cost(score.cost())).append(score.cost() == probe.chosenCost() ? " ◀" : "")
              .append(" | ").append(percent(score.cvAccuracy())).append(" ± ").append(percent(score.cvStd()))
              .append(" | ").append(optionalPercent(score.testTop1())).append(" |\n");
        }
        md.append('\n');
      }
    }
  }

  public static String json(String title, Map<String, String> provenance, List<EvaluationResult> results) {
    ObjectNode root = JSON.createObjectNode();
    root.put("title", title);
    ObjectNode prov = root.putObject("provenance");
    provenance.forEach(prov::put);
    root.put("best_on_test_note", BEST_ON_TEST_NOTE);
    ArrayNode array = root.putArray("results");
    for (EvaluationResult r : results) {
      ObjectNode node = array.addObject();
      node.put("dataset", r.dataset());
      node.put("protocol", r.protocol().id());
      node.put("modality", r.modality().id());
      node.put("encoder", r.encoder().id());
      r.linear().ifPresent(l -> linearJson(node, l));
      r.crossValidated().ifPresent(cv -> {
        node.put("top1", cv.meanTop1());
        node.put("top1_std", cv.stdTop1());
        if (!Double.isNaN(cv.meanBestOnTestTop1())) {
          node.put("best_on_test_top1", cv.meanBestOnTestTop1());
        }
        ArrayNode folds = node.putArray("folds");
        cv.folds().forEach(fold -> linearJson(folds.addObject(), fold));
      });
      r.retrieval().ifPresent(rr -> {
        ObjectNode recall = node.putObject("recall_at_k");
        rr.ks().forEach(k -> recall.put(Integer.toString(k), rr.recallAt(k)));
        node.put("query_samples", rr.querySamples());
        node.put("gallery_samples", rr.gallerySamples());
      });
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void linearJson(ObjectNode node, LinearResult l) {
    node.put("top1", l.top1());
    node.put("clip_top1", l.clipTop1());
    node.put("chosen_c", l.chosenCost());
    node.put("c_chosen_by", l.cvFolds() + "-fold grouped stratified cross-validation on the training split");
    if (l.bestOnTestTop1().isPresent()) {
      ObjectNode best = node.putObject("best_on_test");
      best.put("top1", l.bestOnTestTop1().getAsDouble());
      best.put("c", l.bestOnTestCost().getAsDouble());
    }
    ArrayNode sweep = node.putArray("cost_sweep");
    for (CostScore score : l.sweep()) {
      ObjectNode s = sweep.addObject();
      s.put("c", score.cost());
      s.put("cv_top1", score.cvAccuracy());
      s.put("cv_std", score.cvStd());
      ArrayNode folds = s.putArray("cv_fold_top1");
      for (double a : score.foldAccuracies()) {
        folds.add(a);
      }
      score.testTop1().ifPresent(t -> s.put("test_top1", t));
    }
    node.put("preprocessing", l.preprocessing().name().toLowerCase(Locale.ROOT));
    node.put("train_samples", l.trainSamples());
    node.put("train_clips", l.trainClips());
    node.put("test_samples", l.testSamples());
    node.put("test_clips", l.testClips());
    ArrayNode names = node.putArray("class_names");
    l.classNames().forEach(names::add);
    ArrayNode confusion = node.putArray("confusion");
    for (int[] row : l.confusion()) {
      ArrayNode r = confusion.addArray();
      for (int v : row) {
        r.add(v);
      }
    }
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f", 100 * fraction);
  }

  private static String signedPercent(double fraction) {
    return String.format(Locale.ROOT, "%+.1f", 100 * fraction);
  }

  private static String optionalPercent(OptionalDouble value) {
    return value.isPresent() ? percent(value.getAsDouble()) : "–";
  }

  /** A cost as the paper writes it: 0.00001, 0.005, 1. */
  static String cost(double c) {
    return BigDecimal.valueOf(c).stripTrailingZeros().toPlainString();
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
