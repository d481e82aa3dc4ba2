/**
 * Splits for cross-validation: grouped stratified k-fold, so that clips or recordings of one group (a video's
 * clips, an ESC-50 {@code src_file}) never appear on both sides of a split.
 */
package crisscross.evaluation.split;
