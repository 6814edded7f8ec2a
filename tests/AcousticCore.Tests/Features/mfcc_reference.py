#!/usr/bin/python3
"""Independent reference for AcousticCore.Features.MfccExtractor.

Implements the documented definition with numpy/scipy (vectorised, float64):
  HTK mel m(f) = 2595 log10(1 + f/700); F+2 edges evenly spaced in mel between low and high;
  triangle i rises linearly in Hz from edge i to edge i+1 and falls to edge i+2, evaluated at
  bin frequencies k*fs/N; unit peak or unit area (height 2/(hi-lo));
  E = W @ |rfft(hamming * x)|^2; L = ln(max(E, 1e-10)); c = scipy.fft.dct(L, type=2, norm='ortho');
  lifter c_n *= 1 + L/2 sin(pi n / L) when L > 0.
Test signal of config j (same formula in the C# test), n = 0..N-1:
  x[n] = a1 sin(2 pi f1 n/fs) + a2 sin(2 pi f2 n/fs + 0.3) + a3 (n/N) sin(2 pi f3 n/fs)
Writes mfcc_reference.csv: config,fs,n_fft,filters,ceps,low_hz,high_hz,lifter,norm,f1,f2,f3,a1,a2,a3,c0..c(ceps-1)
Regenerate: /usr/bin/python3 mfcc_reference.py  (numpy 1.24, scipy 1.10 from Debian bookworm)
"""
import csv
import numpy as np
from scipy.fft import dct, rfft

CONFIGS = [
    # fs, n_fft, filters, ceps, low, high, lifter, norm, f1, f2, f3, a1, a2, a3
    (16000, 512, 26, 13, 0.0, 8000.0, 22, "peak", 440.0, 1234.5, 3100.0, 0.5, 0.3, 0.1),
    (44100, 1024, 40, 20, 20.0, 16000.0, 0, "area", 196.0, 2500.0, 9000.0, 0.4, 0.2, 0.05),
    (8000, 256, 20, 12, 300.0, 3400.0, 22, "peak", 700.0, 1900.0, 2900.0, 0.6, 0.1, 0.2),
    (48000, 2048, 64, 30, 50.0, 20000.0, 30, "area", 125.0, 4000.0, 15000.0, 0.01, 0.001, 0.002),
]


def mel(f):
    return 2595.0 * np.log10(1.0 + f / 700.0)


def imel(m):
    return 700.0 * (10.0 ** (m / 2595.0) - 1.0)


def filterbank(fs, n_fft, n_filt, lo, hi, norm):
    edges = imel(np.linspace(mel(lo), mel(hi), n_filt + 2))
    f = np.arange(n_fft // 2 + 1) * fs / n_fft
    left, centre, right = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rise = (f[None, :] - left) / (centre - left)
    fall = (right - f[None, :]) / (right - centre)
    w = np.clip(np.minimum(rise, fall), 0.0, None)
    if norm == "area":
        w *= 2.0 / (right - left)
    return w


def main():
    rows = []
    for j, (fs, n, nf, nc, lo, hi, lift, norm, f1, f2, f3, a1, a2, a3) in enumerate(CONFIGS):
        t = np.arange(n)
        x = a1 * np.sin(2 * np.pi * f1 * t / fs) + a2 * np.sin(2 * np.pi * f2 * t / fs + 0.3) \
            + a3 * (t / n) * np.sin(2 * np.pi * f3 * t / fs)
        x = x.astype(np.float32).astype(np.float64)  # the C# test feeds float32 samples
        win = 0.54 - 0.46 * np.cos(2 * np.pi * t / (n - 1))
        p = np.abs(rfft(x * win)) ** 2
        e = filterbank(fs, n, nf, lo, hi, norm) @ p
        c = dct(np.log(np.maximum(e, 1e-10)), type=2, norm="ortho")[:nc]
        if lift > 0:
            c = c * (1 + lift / 2.0 * np.sin(np.pi * np.arange(nc) / lift))
        rows.append([j, fs, n, nf, nc, lo, hi, lift, norm, f1, f2, f3, a1, a2, a3] + [f"{v:.9g}" for v in c])
    with open("mfcc_reference.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["config", "fs", "n_fft", "filters", "ceps", "low_hz", "high_hz", "lifter", "norm",
                    "f1", "f2", "f3", "a1", "a2", "a3", "coefficients..."])
        w.writerows(rows)


if __name__ == "__main__":
    main()
