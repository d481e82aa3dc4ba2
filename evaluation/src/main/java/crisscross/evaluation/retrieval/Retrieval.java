package crisscross.evaluation.retrieval;

import crisscross.evaluation.ParallelTasks;
import crisscross.evaluation.features.ClipFeatures;
import crisscross.evaluation.features.SampleFeatures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Retrieval by nearest neighbours (Table 7, Appendix E.3, after Xu et al. 2019 and Patrick et al. 2021): each
 * test sample's features, averaged over its clips, query the training samples' averaged features; neighbours
 * are ranked by cosine similarity (scikit-learn's {@code NearestNeighbors(metric="cosine")}), ties by training
 * order. No normalisation beyond the cosine itself, since Appendix E.3 found l2- and batch-normalisation no help.
 *
 * <p>Recall at k (R@k) is the fraction of queries for which <em>at least one</em> of the k nearest training
 * samples has the query's class, the usual definition of this protocol. A feature vector of all zeros has
 * similarity 0 to everything.
 */
public final class Retrieval {
  private static final int QUERIES_PER_TASK = 64;

  private Retrieval() {}

  /** Averages both splits' clips per sample, then {@link #evaluate(SampleFeatures, SampleFeatures, RetrievalSettings)}. */
  public static RetrievalResult evaluate(ClipFeatures test, ClipFeatures train, RetrievalSettings settings) {
    return evaluate(test.withClassNames(train.classNames()).averageBySample(), train.averageBySample(), settings);
  }

  /**
   * Ranks {@code gallery} (training samples) for every sample of {@code queries} (test samples).
   */
  public static RetrievalResult evaluate(SampleFeatures queries, SampleFeatures gallery, RetrievalSettings settings) {
    if (!queries.classNames().equals(gallery.classNames())) {
      throw new IllegalArgumentException("query and gallery features have different class names");
    }
    if (gallery.size() == 0 || queries.size() == 0) {
      throw new IllegalArgumentException("retrieval needs query and gallery samples, got " + queries.size()
          + " and " + gallery.size());
    }
    if (queries.dimension() != gallery.dimension()) {
      throw new IllegalArgumentException("query features have dimension " + queries.dimension()
          + ", gallery features " + gallery.dimension());
    }
    List<Integer> ks = settings.ks();
    int depth = Math.min(ks.get(ks.size() - 1), gallery.size());
    float[][] galleryUnit = unitRows(gallery.rows());
    float[][] queryUnit = unitRows(queries.rows());

    List<Callable<List<Query>>> tasks = new ArrayList<>();
    for (int start = 0; start < queries.size(); start += QUERIES_PER_TASK) {
      int from = start;
      int to = Math.min(queries.size(), start + QUERIES_PER_TASK);
      tasks.add(() -> {
        List<Query> block = new ArrayList<>(to - from);
        for (int q = from; q < to; q++) {
          block.add(query(q, queries, queryUnit[q], gallery, galleryUnit, depth));
        }
        return block;
      });
    }
    List<Query> results = new ArrayList<>(queries.size());
    for (List<Query> block : ParallelTasks.run(settings.workers(), tasks)) {
      results.addAll(block);
    }
    Map<Integer, Double> recall = new HashMap<>();
    for (int k : ks) {
      int hits = 0;
      for (Query query : results) {
        if (query.hitAt(k)) {
          hits++;
        }
      }
      recall.put(k, hits / (double) results.size());
    }
    return new RetrievalResult(recall, results, gallery.classNames(), queries.size(), gallery.size());
  }

  /**
   * The {@code depth} gallery rows most similar to a unit query row, most similar first, ties by gallery order:
   * a bounded insertion list, so one pass over the gallery.
   */
  private static Query query(int q, SampleFeatures queries, float[] unitQuery, SampleFeatures gallery,
      float[][] galleryUnit, int depth) {
    int[] best = new int[depth];
    double[] bestSimilarity = new double[depth];
    int filled = 0;
    for (int g = 0; g < galleryUnit.length; g++) {
      double similarity = dot(unitQuery, galleryUnit[g]);
      if (filled == depth && similarity <= bestSimilarity[depth - 1]) {
        continue;
      }
      int position = filled == depth ? depth - 1 : filled++;
      while (position > 0 && bestSimilarity[position - 1] < similarity) {
        best[position] = best[position - 1];
        bestSimilarity[position] = bestSimilarity[position - 1];
        position--;
      }
      best[position] = g;
      bestSimilarity[position] = similarity;
    }
    List<Neighbour> neighbours = new ArrayList<>(filled);
    for (int i = 0; i < filled; i++) {
      neighbours.add(new Neighbour(best[i], gallery.sampleId(best[i]), gallery.label(best[i]), bestSimilarity[i]));
    }
    return new Query(q, queries.sampleId(q), queries.label(q), neighbours);
  }

  /** Rows scaled to unit Euclidean length (computed in double); zero rows stay zero. */
  static float[][] unitRows(float[][] rows) {
    float[][] unit = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      double norm = 0;
      for (float v : rows[i]) {
        norm += (double) v * v;
      }
      norm = Math.sqrt(norm);
      float[] row = new float[rows[i].length];
      if (norm > 0) {
        for (int j = 0; j < row.length; j++) {
          row[j] = (float) (rows[i][j] / norm);
        }
      }
      unit[i] = row;
    }
    return unit;
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int j = 0; j < a.length; j++) {
      sum += (double) a[j] * b[j];
    }
    return sum;
  }
}
