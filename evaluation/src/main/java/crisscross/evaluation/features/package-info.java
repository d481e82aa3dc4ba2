/**
 * Frozen features as arrays: clip-level rows with their sample, label, group and split; averages over a sample's
 * clips; the max-pooling of Appendix E.1; the plug-in point for a feature extractor.
 */
package crisscross.evaluation.features;
