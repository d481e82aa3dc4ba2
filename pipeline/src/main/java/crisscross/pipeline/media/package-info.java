/** Value types that travel between pipeline stages: decoded frames, audio samples, spectrograms. */
package crisscross.pipeline.media;
