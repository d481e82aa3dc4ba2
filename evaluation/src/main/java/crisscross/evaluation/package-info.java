/**
 * Weights to numbers: the paper's downstream evaluation protocols on frozen features (linear SVM, late fusion,
 * retrieval), their settings and reports. Subpackages follow the journey: features, split, linear, retrieval,
 * cache, report.
 */
package crisscross.evaluation;
