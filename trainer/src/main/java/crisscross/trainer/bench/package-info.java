/**
 * Benchmarks: full CrissCross training steps (seconds per step, samples per second, optional per-op profile) and
 * XDC's k-means, for comparison with their yardsticks (PyTorch, scikit-learn).
 */
package crisscross.trainer.bench;
