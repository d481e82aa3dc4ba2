#!/usr/bin/env python3
"""Reference log-mel spectrograms for crisscross.pipeline.audio.LogMel.

librosa is not available here, so this script re-implements the two librosa functions the paper's frontend
uses (Appendix D.2), in float64 NumPy:
  * librosa.filters.mel(sr, n_fft, n_mels, fmin=0, fmax=sr/2, htk=False, norm='slaney')
  * librosa.stft(y, n_fft, hop_length, window='hann', center=True, pad_mode='constant')  (librosa >= 0.10)
and cross-checks both against an independent implementation: torchaudio.functional.melscale_fbanks
(norm='slaney', mel_scale='slaney') and torch.stft (periodic Hann, centred, constant padding).

It then writes a few short test signals (float32, as the decoder delivers them) and their float64 log-mels
ln(mel_power + 1e-6), shape [n_mels][1 + len // hop], as .npy files into the pipeline's test resources.

Run from the repository root with a Python that has numpy, scipy, torch and torchaudio:
    /usr/bin/python3 tools/mel/make_reference.py
"""
import math
import pathlib

import numpy as np
import scipy.signal
import torch
import torchaudio

SR = 16000
N_FFT = 1024
HOP = 160
N_MELS = 80
LOG_OFFSET = 1e-6
OUT = pathlib.Path(__file__).resolve().parents[2] / \
    "pipeline/src/test/resources/crisscross/pipeline/audio/mel"


def hz_to_mel(f):
    f = np.asanyarray(f, dtype=np.float64)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = math.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-300) / min_log_hz) / logstep, mels)


def mel_to_hz(m):
    m = np.asanyarray(m, dtype=np.float64)
    f_sp = 200.0 / 3
    freqs = f_sp * m
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = math.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), freqs)


def librosa_mel_filters(sr, n_fft, n_mels, fmin, fmax):
    fftfreqs = np.fft.rfftfreq(n=n_fft, d=1.0 / sr)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    weights = np.zeros((n_mels, len(fftfreqs)))
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    enorm = 2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels])
    return weights * enorm[:, np.newaxis]


def librosa_stft_power(y, n_fft, hop):
    padded = np.pad(y.astype(np.float64), (n_fft // 2, n_fft // 2), mode="constant")
    frames = 1 + (len(padded) - n_fft) // hop
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)  # scipy.signal.get_window('hann', n)
    assert np.allclose(window, scipy.signal.get_window("hann", n_fft, fftbins=True), atol=1e-15, rtol=0)
    stack = np.stack([padded[t * hop:t * hop + n_fft] * window for t in range(frames)], axis=1)
    return np.abs(np.fft.rfft(stack, axis=0)) ** 2


def log_mel(y):
    mel = librosa_mel_filters(SR, N_FFT, N_MELS, 0.0, SR / 2) @ librosa_stft_power(y, N_FFT, HOP)
    return np.log(mel + LOG_OFFSET)


def torch_log_mel(y):
    fb = torchaudio.functional.melscale_fbanks(n_freqs=N_FFT // 2 + 1, f_min=0.0, f_max=SR / 2, n_mels=N_MELS,
                                               sample_rate=SR, norm="slaney", mel_scale="slaney")
    spec = torch.stft(torch.from_numpy(y.astype(np.float64)), n_fft=N_FFT, hop_length=HOP,
                      window=torch.hann_window(N_FFT, periodic=True, dtype=torch.float64), center=True,
                      pad_mode="constant", return_complex=True)
    mel = fb.to(torch.float64).T @ (spec.abs() ** 2)
    return torch.log(mel + LOG_OFFSET).numpy()


def signals():
    rng = np.random.default_rng(20230207)
    t = lambda seconds: np.arange(int(seconds * SR)) / SR
    clicks = np.zeros(8837)
    clicks[::1234] = 0.9
    clicks += 0.2 * np.sin(2 * np.pi * 1000 * np.arange(len(clicks)) / SR) * np.exp(-np.arange(len(clicks)) / 3000)
    return {
        "chirp": 0.5 * scipy.signal.chirp(t(0.8), f0=50, t1=0.8, f1=7500, method="linear"),
        "noise": 0.1 * rng.standard_normal(int(0.5 * SR)),
        "tones": 0.3 * np.sin(2 * np.pi * 440 * t(0.6)) + 0.2 * np.sin(2 * np.pi * 2500 * t(0.6))
        + 0.05 * np.sin(2 * np.pi * 6000 * t(0.6)),
        "silence": np.zeros(int(0.5 * SR)),
        "clicks": clicks,
    }


def main():
    # melscale_fbanks builds its filters in the default dtype: make that float64 for a tight comparison.
    torch.set_default_dtype(torch.float64)
    ours = librosa_mel_filters(SR, N_FFT, N_MELS, 0.0, SR / 2)
    theirs = torchaudio.functional.melscale_fbanks(n_freqs=N_FFT // 2 + 1, f_min=0.0, f_max=SR / 2,
                                                   n_mels=N_MELS, sample_rate=SR, norm="slaney",
                                                   mel_scale="slaney").numpy().T
    filter_error = np.abs(ours - theirs).max() / np.abs(ours).max()
    print(f"mel filters vs torchaudio: max relative error {filter_error:.2e}")
    assert filter_error < 1e-12
    OUT.mkdir(parents=True, exist_ok=True)
    db = 10 / math.log(10)
    for name, y in signals().items():
        y32 = y.astype(np.float32)
        reference = log_mel(y32)
        check = torch_log_mel(y32)
        assert reference.shape == (N_MELS, 1 + len(y32) // HOP), reference.shape
        error_db = np.abs(reference - check).max() * db
        print(f"{name:8s} {len(y32):6d} samples -> {reference.shape}, vs torch: max {error_db:.2e} dB")
        assert error_db < 1e-9
        np.save(OUT / f"{name}.signal.npy", y32)
        np.save(OUT / f"{name}.logmel.npy", reference.astype(np.float64))


if __name__ == "__main__":
    main()
