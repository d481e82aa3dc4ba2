/**
 * The log-mel frontend (§4.1, Appendix D.2): librosa's mel spectrogram (Slaney mel, centred zero-padded STFT,
 * periodic Hann) computed with a radix-2 real FFT, as pure functions of the waveform.
 */
package crisscross.pipeline.audio;
