/**
 * Comparison of one SameDiff training step with golden PyTorch outputs (tools/reference/crisscross_ref.py):
 * losses, activations, gradients, LARC gradients, updated parameters and BN buffers.
 */
package crisscross.trainer.reference;
