/**
 * View sampling (§4.3): where in a clip the two audio-visual views of a sample are cut, in whole frames of the
 * 16 fps grid and whole samples of the 16 kHz grid, for each relaxation of cross-modal synchronicity.
 */
package crisscross.pipeline.sample;
