package crisscross.evaluation.retrieval;

import crisscross.evaluation.linear.ProbeSettings;
import crisscross.pipeline.config.Settings;
import java.util.List;
import java.util.TreeSet;

/**
 * @param ks the numbers of neighbours recall is reported at (Table 7: 1, 5, 20)
 * @param workers parallel query blocks; 0 = one per core
 */
public record RetrievalSettings(List<Integer> ks, int workers) {
  public static final List<Integer> PAPER_KS = List.of(1, 5, 20);

  public RetrievalSettings {
    TreeSet<Integer> sorted = new TreeSet<>(ks);
    if (sorted.isEmpty() || sorted.first() < 1 || sorted.size() != ks.size()) {
      throw new IllegalArgumentException("recall needs distinct k values >= 1, got " + ks);
    }
    ks = List.copyOf(sorted);
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be >= 0, got " + workers);
    }
  }

  public static RetrievalSettings from(Settings settings) {
    String key = "evaluation.retrieval.ks";
    List<Integer> ks = settings.integers(key, 1, 1_000_000);
    if (ks.isEmpty() || new TreeSet<>(ks).size() != ks.size()) {
      throw settings.invalid(key, "must list at least one k, each once");
    }
    return new RetrievalSettings(ks, ProbeSettings.workers(settings));
  }
}
