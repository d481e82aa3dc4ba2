/**
 * One training step: model forward/backward under an objective, optimiser update, schedule position; the state
 * a checkpoint needs to resume bit-identically.
 */
package crisscross.trainer.step;
