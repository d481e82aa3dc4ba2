/**
 * An evaluation as the command line runs it: the datasets by name and their official splits (or grouped
 * cross-validation), the protocols on a checkpoint's encoders beside the random-initialised floor, features through
 * the cache, and retrieval sheets.
 */
package crisscross.evaluation.run;
