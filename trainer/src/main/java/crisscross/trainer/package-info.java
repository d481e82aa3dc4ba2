/** Batches to weights: backbones, self-supervised methods, the optimiser, checkpoints and trainer actors. */
package crisscross.trainer;
