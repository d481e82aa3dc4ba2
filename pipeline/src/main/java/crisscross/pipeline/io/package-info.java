/** Array files: NumPy {@code .npy} reading and writing, shared by features, references and caches. */
package crisscross.pipeline.io;
