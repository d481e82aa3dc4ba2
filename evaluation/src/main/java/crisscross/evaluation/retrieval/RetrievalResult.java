package crisscross.evaluation.retrieval;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recall at k of one retrieval run (Table 7).
 *
 * @param recallAtK for each k, the fraction of queries with at least one same-class sample among their k nearest
 *     training samples
 * @param queries every query with its nearest neighbours (as many as the largest k)
 */
public record RetrievalResult(Map<Integer, Double> recallAtK, List<Query> queries, List<String> classNames,
    int querySamples, int gallerySamples) {
  public RetrievalResult {
    recallAtK = Map.copyOf(new TreeMap<>(recallAtK));
    queries = List.copyOf(queries);
    classNames = List.copyOf(classNames);
  }

  public double recallAt(int k) {
    Double value = recallAtK.get(k);
    if (value == null) {
      throw new IllegalArgumentException("recall at " + k + " was not computed; have " + recallAtK.keySet());
    }
    return value;
  }

  /** The k values in ascending order. */
  public List<Integer> ks() {
    return List.copyOf(new TreeMap<>(recallAtK).keySet());
  }
}
