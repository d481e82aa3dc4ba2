/** Pictures of what the encoders see: video views as frame strips, audio views as spectrogram images. */
package crisscross.pipeline.inspect;
