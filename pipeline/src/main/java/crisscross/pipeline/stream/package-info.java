/**
 * The Pekko Streams graph from sample references to training batches: epoch plans, parallel loading on a
 * dedicated executor, batching within epochs, skip accounting and metrics, with backpressure end to end.
 */
package crisscross.pipeline.stream;
