/** Weights to numbers: the paper's downstream evaluation protocols. */
package crisscross.evaluation;
