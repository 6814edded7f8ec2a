#!/usr/bin/env python3
"""Deterministic synthetic voice-like test signals whose F0, jitter and shimmer are known by construction.

Each signal is a train of Rosenberg glottal-flow pulses (pulse k starts at time t_k and is scaled by A_k), differentiated
(lip radiation) and passed through three formant resonators (/a/-like: 700/1220/2600 Hz).

The pulse SHAPE has one fixed duration per signal, set by its nominal period T0 (opening 0.40 T0, closing 0.16 T0), so every
pulse has the same waveform and only its start time and scale change. The excitation instant of a pulse is its glottal
closure (t_k + 0.56 T0, where the differentiated flow has its sharp negative step); with a fixed shape the closure-to-closure
intervals are exactly the intended periods T_k = t_{k+1} - t_k. (An earlier version scaled the shape with the current period,
so closures fell at t_k + 0.56 T_k and were spaced 0.44 T_k + 0.56 T_{k+1}: a +-1 % alternation became +-0.12 % in the
waveform, and the "truth" did not describe the signal.)

The truth columns of synthetic_truth.csv are computed from what is in the waveform: the closure instants c_k (periods
c_{k+1} - c_k) and the pulse scales A_k, with the textbook (Praat "Voice 2/3") definitions:
  jitter_local = mean |T_i - T_{i-1}| / mean T        jitter_rap / ppq5 = mean |T_i - mean of 3 / 5 around i| / mean T
  shimmer_local = mean |A_i - A_{i-1}| / mean A       shimmer_db = mean |20 log10(A_i / A_{i-1})|
  shimmer_apq3 / apq5 / apq11 = mean |A_i - mean of 3 / 5 / 11 around i| / mean A
Every pulse has one closure, so the amplitude of each period (Praat measures it around the pulse) is proportional to A_k.
Standard library only (no numpy) so the script runs on any Python 3.
"""
import math, random, struct, wave, sys, os

OPEN, CLOSE = 0.40, 0.16  # opening and closing phase of the pulse, fractions of the shape period
TAPER_START, TAPER_END = 0.75, 0.95  # fade-out of each pulse's vocal-tract response, fractions of the shape period
FORMANTS = ((700.0, 130.0), (1220.0, 70.0), (2600.0, 160.0))

def rosenberg(tau, period):
    tp, tn = OPEN * period, CLOSE * period
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

def synth(fs, duration, periods_amps, shape_period):
    """Each pulse (fixed shape of duration 0.56 * shape_period, scaled by A) is differentiated and filtered on its own; its
    response is faded out by a raised cosine from 0.75 to 0.95 shape periods after the pulse start, before the next pulse's
    closure region, so no period's waveform carries ringing from the one before (see the module note)."""
    n = int(round(duration * fs))
    y = [0.0] * n
    flat, end = TAPER_START * shape_period, TAPER_END * shape_period
    for (t0, T, A) in periods_amps:
        assert T >= end - 0.3 * shape_period, 'a response must be gone before the next closure region'
        i0 = max(1, int(math.floor(t0 * fs)))
        i1 = min(n, int(math.ceil((t0 + end) * fs)) + 1)
        flow = [rosenberg(i / fs - t0, shape_period) for i in range(i0 - 1, i1)]
        d = [flow[j] - flow[j - 1] for j in range(1, len(flow))]  # d[j] belongs to sample i0 + j
        for (f, bw) in FORMANTS:
            d = resonate(d, fs, f, bw)
        for j, v in enumerate(d):
            tau = (i0 + j) / fs - t0
            w = 1.0 if tau <= flat else 0.0 if tau >= end else 0.5 + 0.5 * math.cos(math.pi * (tau - flat) / (end - flat))
            y[i0 + j] += A * w * v
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

def perturbation(x, half):
    """Mean |x_i - mean of the 2*half+1 values around i| / mean x (half = 0: mean |x_i - x_{i-1}| / mean x)."""
    mean = sum(x) / len(x)
    if half == 0:
        d = [abs(x[i] - x[i - 1]) for i in range(1, len(x))]
    else:
        d = [abs(x[i] - sum(x[i - half:i + half + 1]) / (2 * half + 1)) for i in range(half, len(x) - half)]
    return sum(d) / len(d) / mean

def truth(seq, shape_period):
    closures = [t + (OPEN + CLOSE) * shape_period for (t, _, _) in seq]
    T = [closures[i + 1] - closures[i] for i in range(len(closures) - 1)]
    A = [p[2] for p in seq]
    sd = sum(abs(20 * math.log10(A[i] / A[i - 1])) for i in range(1, len(A))) / (len(A) - 1)
    return {'f0_mean_hz': len(T) / sum(T),
            'jitter_local_pct': 100 * perturbation(T, 0), 'jitter_rap_pct': 100 * perturbation(T, 1),
            'jitter_ppq5_pct': 100 * perturbation(T, 2),
            'shimmer_local_pct': 100 * perturbation(A, 0), 'shimmer_local_db': sd,
            'shimmer_apq3_pct': 100 * perturbation(A, 1), 'shimmer_apq5_pct': 100 * perturbation(A, 2),
            'shimmer_apq11_pct': 100 * perturbation(A, 5)}

COLUMNS = ['f0_mean_hz', 'jitter_local_pct', 'jitter_rap_pct', 'jitter_ppq5_pct', 'shimmer_local_pct', 'shimmer_local_db',
           'shimmer_apq3_pct', 'shimmer_apq5_pct', 'shimmer_apq11_pct']

def main(outdir):
    rows = []
    def make(name, fs, dur, seq, shape_period):
        write_wav(os.path.join(outdir, name + '.wav'), fs, synth(fs, dur, seq, shape_period))
        t = truth(seq, shape_period)
        rows.append('%s,%d,' % (name, fs) + ','.join('%.8f' % t[c] for c in COLUMNS))

    make('synth_steady_120_16k', 16000, 1.5, pulses(1.5, lambda k, t: 1 / 120.0, lambda k: 1.0), 1 / 120.0)
    make('synth_jitter_alt2pct_110_16k', 16000, 1.5,
         pulses(1.5, lambda k, t: (1 / 110.0) * (1.01 if k % 2 == 0 else 0.99), lambda k: 1.0), 1 / 110.0)
    make('synth_shimmer_alt_130_16k', 16000, 1.5,
         pulses(1.5, lambda k, t: 1 / 130.0, lambda k: 1.0 if k % 2 == 0 else 0.8), 1 / 130.0)
    rng = random.Random(12345)
    pj = [rng.gauss(0.0, 0.01) for _ in range(2000)]
    pa = [rng.gauss(0.0, 0.05) for _ in range(2000)]
    make('synth_random_j1_s5_100_16k', 16000, 2.0,
         pulses(2.0, lambda k, t: (1 / 100.0) * (1 + pj[k]), lambda k: 1 + pa[k]), 1 / 100.0)
    rng = random.Random(777)
    qj = [rng.gauss(0.0, 0.005) for _ in range(2000)]
    qa = [rng.gauss(0.0, 0.03) for _ in range(2000)]
    make('synth_random_j05_s3_220_44k', 44100, 1.5,
         pulses(1.5, lambda k, t: (1 / 220.0) * (1 + qj[k]), lambda k: 1 + qa[k]), 1 / 220.0)
    make('synth_glide_100_180_16k', 16000, 1.5,
         pulses(1.5, lambda k, t: 1 / (100.0 + 80.0 * t / 1.5), lambda k: 1.0), 1 / 180.0)
    with open(os.path.join(outdir, 'synthetic_truth.csv'), 'w') as f:
        f.write('file,sample_rate_hz,' + ','.join(COLUMNS) + '\n')
        f.write('\n'.join(rows) + '\n')

if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else '.')
