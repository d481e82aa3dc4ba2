/** Helpers for tests across the project: small media files with known frames and tones, and ways to damage them. */
package crisscross.pipeline.testing;
