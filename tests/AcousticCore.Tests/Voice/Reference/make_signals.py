#!/usr/bin/env python3
"""Deterministic synthetic voice-like test signals whose F0, jitter and shimmer are known by construction.

Each signal is a Rosenberg glottal-flow pulse train (pulse k starts at time t_k, lasts T_k, scaled by A_k),
differentiated (lip radiation) and passed through three formant resonators (/a/-like: 700/1220/2600 Hz).
Periods T_k and amplitudes A_k follow the recipe named in the file; the realised sequences give the
"truth" columns in synthetic_truth.csv:
  jitter_local  = mean |T_k - T_{k-1}| / mean T_k
  shimmer_local = mean |A_k - A_{k-1}| / mean A_k
  shimmer_db    = mean |20 log10(A_k / A_{k-1})|
Standard library only (no numpy) so the script runs on any Python 3.
"""
import math, random, struct, wave, sys, os

def rosenberg(tau, period):
    tp, tn = 0.40 * period, 0.16 * period
    if tau < 0.0: return 0.0
    if tau < tp: return 0.5 * (1.0 - math.cos(math.pi * tau / tp))
    if tau < tp + tn: return math.cos(0.5 * math.pi * (tau - tp) / tn)
    return 0.0

def resonate(x, fs, f, bw):
    # Klatt-style 2-pole resonator with unity gain at DC.
    r = math.exp(-math.pi * bw / fs)
    c = -r * r
    b = 2.0 * r * math.cos(2.0 * math.pi * f / fs)
    a = 1.0 - b - c
    y1 = y2 = 0.0
    out = []
    for v in x:
        y = a * v + b * y1 + c * y2
        out.append(y)
        y2, y1 = y1, y
    return out

def synth(fs, duration, periods_amps):
    n = int(round(duration * fs))
    flow = [0.0] * n
    for (t0, T, A) in periods_amps:
        i0 = max(0, int(math.floor(t0 * fs)))
        i1 = min(n, int(math.ceil((t0 + T) * fs)) + 1)
        for i in range(i0, i1):
            flow[i] += A * rosenberg(i / fs - t0, T)
    d = [0.0] + [flow[i] - flow[i - 1] for i in range(1, n)]
    y = d
    for (f, bw) in ((700.0, 130.0), (1220.0, 70.0), (2600.0, 160.0)):
        y = resonate(y, fs, f, bw)
    # 20 ms raised-cosine fade in/out so the file starts and ends in silence-like quiet
    fade = int(0.02 * fs)
    for i in range(fade):
        g = 0.5 - 0.5 * math.cos(math.pi * i / fade)
        y[i] *= g
        y[n - 1 - i] *= g
    peak = max(abs(v) for v in y) or 1.0
    return [0.5 * v / peak for v in y]

def write_wav(path, fs, y):
    with wave.open(path, 'wb') as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(fs)
        w.writeframes(b''.join(struct.pack('<h', max(-32767, min(32767, int(round(v * 32767))))) for v in y))

def pulses(duration, period_of, amp_of, start=0.03):
    out, t, k = [], start, 0
    while True:
        T = period_of(k, t)
        if t + T > duration - 0.03: break
        out.append((t, T, amp_of(k)))
        t += T; k += 1
    return out

def truth(seq):
    T = [p[1] for p in seq]; A = [p[2] for p in seq]
    jl = sum(abs(T[i] - T[i - 1]) for i in range(1, len(T))) / (len(T) - 1) / (sum(T) / len(T))
    sl = sum(abs(A[i] - A[i - 1]) for i in range(1, len(A))) / (len(A) - 1) / (sum(A) / len(A))
    sd = sum(abs(20 * math.log10(A[i] / A[i - 1])) for i in range(1, len(A))) / (len(A) - 1)
    f0 = len(T) / sum(T)
    return f0, jl, sl, sd

def main(outdir):
    rows = []
    def make(name, fs, dur, seq):
        write_wav(os.path.join(outdir, name + '.wav'), fs, synth(fs, dur, seq))
        f0, jl, sl, sd = truth(seq)
        rows.append('%s,%d,%.6f,%.8f,%.8f,%.6f' % (name, fs, f0, jl * 100, sl * 100, sd))

    make('synth_steady_120_16k', 16000, 1.5, pulses(1.5, lambda k, t: 1 / 120.0, lambda k: 1.0))
    make('synth_jitter_alt2pct_110_16k', 16000, 1.5,
         pulses(1.5, lambda k, t: (1 / 110.0) * (1.01 if k % 2 == 0 else 0.99), lambda k: 1.0))
    make('synth_shimmer_alt_130_16k', 16000, 1.5,
         pulses(1.5, lambda k, t: 1 / 130.0, lambda k: 1.0 if k % 2 == 0 else 0.8))
    rng = random.Random(12345)
    pj = [rng.gauss(0.0, 0.01) for _ in range(2000)]
    pa = [rng.gauss(0.0, 0.05) for _ in range(2000)]
    make('synth_random_j1_s5_100_16k', 16000, 2.0,
         pulses(2.0, lambda k, t: (1 / 100.0) * (1 + pj[k]), lambda k: 1 + pa[k]))
    rng = random.Random(777)
    qj = [rng.gauss(0.0, 0.005) for _ in range(2000)]
    qa = [rng.gauss(0.0, 0.03) for _ in range(2000)]
    make('synth_random_j05_s3_220_44k', 44100, 1.5,
         pulses(1.5, lambda k, t: (1 / 220.0) * (1 + qj[k]), lambda k: 1 + qa[k]))
    make('synth_glide_100_180_16k', 16000, 1.5,
         pulses(1.5, lambda k, t: 1 / (100.0 + 80.0 * t / 1.5), lambda k: 1.0))
    with open(os.path.join(outdir, 'synthetic_truth.csv'), 'w') as f:
        f.write('file,sample_rate_hz,f0_mean_hz,jitter_local_pct,shimmer_local_pct,shimmer_local_db\n')
        f.write('\n'.join(rows) + '\n')

if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else '.')
