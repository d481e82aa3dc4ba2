/**
 * Extracted features on disk, keyed by (checkpoint, dataset, extraction settings), so a cost sweep or a rerun
 * never extracts twice; damaged or mismatched entries are detected and recomputed.
 */
package crisscross.evaluation.cache;
