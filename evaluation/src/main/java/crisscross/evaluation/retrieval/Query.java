package crisscross.evaluation.retrieval;

import java.util.List;

/**
 * One test sample's nearest training samples, most similar first.
 *
 * @param sample the query's number among the test samples
 */
public record Query(int sample, String sampleId, int label, List<Neighbour> neighbours) {
  public Query {
    neighbours = List.copyOf(neighbours);
  }

  /** Whether any of the first {@code k} neighbours has the query's class. */
  public boolean hitAt(int k) {
    for (int i = 0; i < Math.min(k, neighbours.size()); i++) {
      if (neighbours.get(i).label() == label) {
        return true;
      }
    }
    return false;
  }
}
