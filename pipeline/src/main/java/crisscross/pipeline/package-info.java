/** Bytes to batches: the CrissCross data pipeline. */
package crisscross.pipeline;
