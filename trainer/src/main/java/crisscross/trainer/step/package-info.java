/**
 * One training step of any method: forward and backward of the method's graph, the gradients combined, the
 * optimiser update at each parameter group's rate, schedule position; the state a checkpoint needs to resume
 * bit-identically.
 */
package crisscross.trainer.step;
