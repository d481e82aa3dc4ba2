/**
 * Where samples come from: local directories, manifests, the published layouts of the benchmark datasets, and
 * S3-compatible object storage.
 */
package crisscross.pipeline.source;
