/**
 * Checkpoints: Kryo-serialised model, optimiser and trainer state written atomically with a checksum manifest,
 * kept K deep, verified on load with fallback to the previous good one.
 */
package crisscross.trainer.checkpoint;
