package crisscross.evaluation.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import crisscross.evaluation.finetune.FinetuneResult;
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
    finetuneTable(md, results);
    sweeps(md, results);
    finetuneCurves(md, results);
    return md.toString();
  }

  private static void linearTable(StringBuilder md, List<EvaluationResult> results) {
    Map<String, Map<EncoderKind, EvaluationResult>> rows = new LinkedHashMap<>();
    for (EvaluationResult r : results) {
      if (r.protocol() != Protocol.RETRIEVAL && r.protocol() != Protocol.FINETUNE) {
        rows.computeIfAbsent(r.dataset() + "\u0000" + r.modality() + "\u0000" + r.protocol(),
            k -> new LinkedHashMap<>()).put(r.encoder(), r);
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    md.append("## Linear evaluation\n\n")
        .append("Sample-level top-1 (%): clip decision values averaged per sample; the SVM cost is chosen by ")
        .append("grouped stratified cross-validation on the training split (Appendix E.1). Several folds or ")
        .append("splits: mean ± std over them.\n\n")
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
        if (r.protocol() == Protocol.LINEAR_SVM_SPLITS) {
          md.append(" · split ").append(p + 1);
        } else if (r.crossValidated().isPresent()) {
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

  private static void finetuneTable(StringBuilder md, List<EvaluationResult> results) {
    Map<String, Map<EncoderKind, FinetuneResult>> rows = new LinkedHashMap<>();
    for (EvaluationResult r : results) {
      r.finetune().ifPresent(f -> rows.computeIfAbsent(r.dataset(), k -> new LinkedHashMap<>()).put(r.encoder(), f));
    }
    if (rows.isEmpty()) {
      return;
    }
    md.append("## Full finetuning\n\n")
        .append("Sample-level top-1 (%) of the video backbone finetuned with a new linear layer (Appendix E.2): ")
        .append("softmax scores of uniformly spaced clean clips averaged per test sample. Several splits: mean ± std.")
        .append("\n\n| Dataset | Pretrained | Random init | Δ | Splits | Epochs | Final training loss (pretrained) |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|\n");
    rows.forEach((dataset, row) -> {
      FinetuneResult pretrained = row.get(EncoderKind.PRETRAINED);
      FinetuneResult random = row.get(EncoderKind.RANDOM_INIT);
      FinetuneResult any = pretrained != null ? pretrained : random;
      String delta = pretrained != null && random != null
          ? signedPercent(pretrained.meanTop1() - random.meanTop1()) : "–";
      List<FinetuneResult.Epoch> curve = any.splits().get(0).epochs();
      String finalLoss = pretrained == null ? "–" : String.format(Locale.ROOT, "%.4f",
          pretrained.splits().get(0).epochs().get(curve.size() - 1).meanLoss());
      md.append("| ").append(dataset).append(" | ").append(finetuneCell(pretrained)).append(" | ")
          .append(finetuneCell(random)).append(" | ").append(delta).append(" | ").append(any.splits().size())
          .append(" | ").append(curve.size()).append(" | ").append(finalLoss).append(" |\n");
    });
    md.append('\n');
  }

  private static String finetuneCell(FinetuneResult result) {
    if (result == null) {
      return "–";
    }
    return result.splits().size() > 1 ? percent(result.meanTop1()) + " ± " + percent(result.stdTop1())
        : percent(result.meanTop1());
  }

  private static void finetuneCurves(StringBuilder md, List<EvaluationResult> results) {
    boolean header = false;
    for (EvaluationResult r : results) {
      if (r.finetune().isEmpty()) {
        continue;
      }
      if (!header) {
        md.append("## Finetuning curves\n\n")
            .append("Mean training cross-entropy per epoch at the multi-step schedule's rate (Table S11).\n\n");
        header = true;
      }
      for (FinetuneResult.FinetuneSplit split : r.finetune().get().splits()) {
        md.append("### ").append(r.dataset()).append(" · finetune · ").append(r.encoder().id()).append(" · ")
            .append(split.name()).append("\n\n").append(split.trainSamples()).append(" training samples (")
            .append(split.trainClips()).append(" clips seen), ").append(split.testSamples())
            .append(" test samples (").append(split.testClips()).append(" clips); top-1 ")
            .append(percent(split.top1())).append(", clip-level top-1 ").append(percent(split.clipTop1()))
            .append(".\n\n| Epoch | LR | Mean loss | Steps |\n|---:|---:|---:|---:|\n");
        for (FinetuneResult.Epoch epoch : split.epochs()) {
          md.append("| ").append(epoch.epoch() + 1).append(" | ").append(cost(epoch.lr())).append(" | ")
              .append(String.format(Locale.ROOT, "%.4f", epoch.meanLoss())).append(" | ").append(epoch.steps())
              .append(" |\n");
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
      r.finetune().ifPresent(f -> {
        node.put("top1", f.meanTop1());
        node.put("top1_std", f.stdTop1());
        ArrayNode splits = node.putArray("splits");
        for (FinetuneResult.FinetuneSplit split : f.splits()) {
          ObjectNode s = splits.addObject();
          s.put("name", split.name());
          s.put("top1", split.top1());
          s.put("clip_top1", split.clipTop1());
          s.put("train_samples", split.trainSamples());
          s.put("train_clips", split.trainClips());
          s.put("test_samples", split.testSamples());
          s.put("test_clips", split.testClips());
          ArrayNode epochs = s.putArray("epochs");
          for (FinetuneResult.Epoch epoch : split.epochs()) {
            ObjectNode e = epochs.addObject();
            e.put("epoch", epoch.epoch());
            e.put("lr", epoch.lr());
            e.put("mean_loss", epoch.meanLoss());
            e.put("steps", epoch.steps());
            e.put("clips", epoch.clips());
          }
          ArrayNode names = s.putArray("class_names");
          split.classNames().forEach(names::add);
          ArrayNode confusion = s.putArray("confusion");
          for (int[] row : split.confusion()) {
            ArrayNode cells = confusion.addArray();
            for (int v : row) {
              cells.add(v);
            }
          }
        }
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

  /**
   * One compact JSON object per result, for {@code --json} on stdout: dataset, protocol, modality, encoder (and
   * {@code pretrained} true or false), then {@code top1} (with {@code top1_std} over folds or splits, the chosen
   * cost and the labelled best-on-test number where there are any) or {@code recall_at_k}.
   */
  public static List<String> jsonLines(List<EvaluationResult> results) {
    ObjectMapper compact = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    for (EvaluationResult r : results) {
      ObjectNode node = compact.createObjectNode();
      node.put("dataset", r.dataset());
      node.put("protocol", r.protocol().id());
      node.put("modality", r.modality().id());
      node.put("encoder", r.encoder().id());
      node.put("pretrained", r.encoder() == EncoderKind.PRETRAINED);
      r.top1().ifPresent(t -> node.put("top1", t));
      r.linear().ifPresent(l -> {
        node.put("chosen_c", l.chosenCost());
        l.bestOnTestTop1().ifPresent(b -> node.put("best_on_test_top1", b));
        node.put("test_samples", l.testSamples());
      });
      r.crossValidated().ifPresent(cv -> {
        node.put("top1_std", cv.stdTop1());
        node.put("folds", cv.folds().size());
        if (!Double.isNaN(cv.meanBestOnTestTop1())) {
          node.put("best_on_test_top1", cv.meanBestOnTestTop1());
        }
      });
      r.finetune().ifPresent(f -> {
        node.put("top1_std", f.stdTop1());
        node.put("splits", f.splits().size());
      });
      r.retrieval().ifPresent(rr -> {
        ObjectNode recall = node.putObject("recall_at_k");
        rr.ks().forEach(k -> recall.put(Integer.toString(k), rr.recallAt(k)));
        node.put("query_samples", rr.querySamples());
      });
      try {
        lines.add(compact.writeValueAsString(node));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return lines;
  }

  /**
   * A console table of the results, laid out like the paper's: one row per (dataset, protocol, modality) with the
   * pretrained and random-init numbers side by side (top-1 %, mean ± std over folds or splits; R@k for retrieval).
   */
  public static String consoleTable(List<EvaluationResult> results) {
    Map<String, Map<EncoderKind, EvaluationResult>> rows = new LinkedHashMap<>();
    for (EvaluationResult r : results) {
      rows.computeIfAbsent(r.dataset() + "\u0000" + r.protocol() + "\u0000" + r.modality(),
          k -> new LinkedHashMap<>()).put(r.encoder(), r);
    }
    List<String[]> cells = new ArrayList<>();
    cells.add(new String[] {"Dataset", "Protocol", "Mod.", "Pretrained", "Random init", "Δ"});
    for (Map<EncoderKind, EvaluationResult> row : rows.values()) {
      EvaluationResult any = row.values().iterator().next();
      EvaluationResult pretrained = row.get(EncoderKind.PRETRAINED);
      EvaluationResult random = row.get(EncoderKind.RANDOM_INIT);
      String delta = "–";
      if (pretrained != null && random != null && pretrained.top1().isPresent()) {
        delta = signedPercent(pretrained.top1().getAsDouble() - random.top1().getAsDouble());
      } else if (pretrained != null && random != null && pretrained.retrieval().isPresent()) {
        int k = pretrained.retrieval().get().ks().get(0);
        delta = "R@" + k + " " + signedPercent(pretrained.retrieval().get().recallAt(k)
            - random.retrieval().get().recallAt(k));
      }
      cells.add(new String[] {any.dataset(), any.protocol().title(), any.modality().shortName(),
          consoleCell(pretrained), consoleCell(random), delta});
    }
    int[] widths = new int[cells.get(0).length];
    for (String[] row : cells) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < cells.size(); r++) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < widths.length; c++) {
        String cell = cells.get(r)[c];
        boolean number = c >= 3 && r > 0;
        String padded = number ? " ".repeat(widths[c] - cell.length()) + cell
            : cell + " ".repeat(widths[c] - cell.length());
        line.append(c == 0 ? "" : "  ").append(padded);
      }
      out.append(line.toString().stripTrailing()).append('\n');
      if (r == 0) {
        out.append("-".repeat(line.toString().stripTrailing().length())).append('\n');
      }
    }
    return out.toString();
  }

  private static String consoleCell(EvaluationResult result) {
    if (result == null) {
      return "–";
    }
    if (result.retrieval().isPresent()) {
      RetrievalResult rr = result.retrieval().get();
      List<String> parts = new ArrayList<>();
      rr.ks().forEach(k -> parts.add("R@" + k + " " + percent(rr.recallAt(k))));
      return String.join(" ", parts);
    }
    if (result.crossValidated().isPresent()) {
      return percent(result.crossValidated().get().meanTop1()) + " ± " + percent(result.crossValidated().get()
          .stdTop1());
    }
    if (result.finetune().isPresent() && result.finetune().get().splits().size() > 1) {
      return percent(result.finetune().get().meanTop1()) + " ± " + percent(result.finetune().get().stdTop1());
    }
    return percent(result.top1().getAsDouble());
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
