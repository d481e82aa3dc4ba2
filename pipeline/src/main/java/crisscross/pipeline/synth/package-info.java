/**
 * The synthetic audio-visual corpus: labelled H.264/AAC clips in which each class ties a moving, pulsing shape to a
 * sound with the same rhythm, with nuisance variation, plus a manifest; the embedded demo data of the main job.
 */
package crisscross.pipeline.synth;
