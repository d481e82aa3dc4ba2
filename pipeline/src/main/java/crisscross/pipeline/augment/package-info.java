/**
 * Augmentations of Tables S1 and S2 as pure functions of (view, settings, {@code SampleRandom}): the
 * temporally consistent video chain with torchvision's semantics, and the audio chain (volume jitter, log-mel,
 * standardisation, SpecAugment masks and time warp, BYOL-A's random resize crop), plus evaluation variants.
 */
package crisscross.pipeline.augment;
