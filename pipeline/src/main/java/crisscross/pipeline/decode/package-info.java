/**
 * Decoding with FFmpeg (JavaCV): one open and one seek per sample, video picked on the 16 fps grid by
 * timestamp and resized to a short side, audio resampled to 16 kHz mono; bad files become typed skips.
 */
package crisscross.pipeline.decode;
