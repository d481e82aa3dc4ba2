/**
 * Deterministic randomness: every draw of a sample comes from a generator seeded by (run seed, epoch, sample
 * index), so results do not depend on parallelism or on which worker handled the sample.
 */
package crisscross.pipeline.random;
