/**
 * Where samples come from: local directories, manifests, the published layouts of the benchmark datasets, and
 * S3-compatible object storage. {@link crisscross.pipeline.source.Datasets#open} lists a dataset once;
 * {@link crisscross.pipeline.source.MediaStore} turns each {@link crisscross.pipeline.source.SampleRef} into a
 * local file for the decoder.
 */
package crisscross.pipeline.source;
