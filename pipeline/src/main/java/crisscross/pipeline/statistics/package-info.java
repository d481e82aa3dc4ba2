/**
 * Dataset statistics measured once per run before its stream starts: the training data's log-mel mean and std
 * that standardise every audio view of the run ({@code audio.standardize = dataset}).
 */
package crisscross.pipeline.statistics;
