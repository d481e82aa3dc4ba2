/**
 * Object storage: an S3-compatible client with one retry policy (exponential backoff, resumable downloads),
 * and a small put/get/list/delete {@link crisscross.pipeline.storage.ObjectStore} for local or {@code s3://} roots.
 */
package crisscross.pipeline.storage;
