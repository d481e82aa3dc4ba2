/**
 * LARC-wrapped Adam over four parameter groups and the warmup-cosine learning-rate schedule (Appendix G,
 * Table S10), as pure functions on arrays with their state exposed as plain data.
 */
package crisscross.trainer.optim;
