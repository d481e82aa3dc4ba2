/** Batches to weights: the CrissCross model, objective, optimiser and trainer actors. */
package crisscross.trainer;
