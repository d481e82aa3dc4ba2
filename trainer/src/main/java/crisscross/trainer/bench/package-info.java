/**
 * Timing of full CrissCross training steps (seconds per step, samples per second) with an optional per-op
 * profile, for comparison with the PyTorch yardstick.
 */
package crisscross.trainer.bench;
