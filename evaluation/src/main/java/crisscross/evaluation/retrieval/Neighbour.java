package crisscross.evaluation.retrieval;

/**
 * A training sample retrieved for a query.
 *
 * @param sample the sample's number among the gallery (training) samples
 * @param sampleId its id
 * @param label its class
 * @param similarity cosine similarity to the query (1 - scikit-learn's cosine distance)
 */
public record Neighbour(int sample, String sampleId, int label, double similarity) {}
