/**
 * Frozen features from media: where a sample's clips lie in time, how each clip becomes an encoder input (augmented
 * for training clips, clean for test clips), and the Pekko Streams graph that runs them through an encoder.
 */
package crisscross.evaluation.extract;
