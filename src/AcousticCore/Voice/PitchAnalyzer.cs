using System.Runtime.CompilerServices;
using AcousticCore.Dsp;

namespace AcousticCore.Voice;

/// <summary>
/// F0 analysis as Praat's "Sound: To Pitch (cc)..." / "(ac)..." defines it (Boersma 1993): per frame, up to N candidates from the
/// maxima of the normalised correlation (parabolic then windowed-sinc interpolation, Brent refinement), then a Viterbi path
/// through the candidates with octave cost, octave-jump cost and voiced/unvoiced cost.
/// </summary>
/// <remarks>
/// Time convention: sample n (0-based) of a sound at rate fs sits at time (n + 0.5)/fs, as in Praat; frames are fitted
/// symmetrically into the sound's duration. The whole sound must be given at once: the silence threshold is relative to the
/// sound's global peak and the path is optimal over the whole sound.
/// </remarks>
public static class PitchAnalyzer
{
    /// <summary>Analyses a mono sound; returns an empty contour (no frames) when the sound is shorter than the analysis needs.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The sample rate is not positive.</exception>
    public static PitchContour Analyze(ReadOnlySpan<float> samples, int sampleRate, PitchOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        var z = new double[samples.Length];
        for (int i = 0; i < z.Length; i++) z[i] = float.IsFinite(samples[i]) ? samples[i] : 0.0;
        return Analyze(z, sampleRate, options ?? PitchOptions.VoiceReport);
    }

    internal static PitchContour Analyze(double[] z, double sampleRate, PitchOptions o)
    {
        bool cc = o.Method == PitchMethod.CrossCorrelation;
        double periodsPerWindow = cc ? 1.0 : 3.0;
        double dt = o.TimeStepSeconds > 0 ? o.TimeStepSeconds : periodsPerWindow / o.FloorHz / 4.0;
        var raw = ComputeCandidates(z, sampleRate, o.TimeStepSeconds, o.FloorHz, periodsPerWindow, o.MaxCandidates,
            cc, o.VeryAccurate, o.VoicingThreshold, o.OctaveCost, o.CeilingHz,
            unvoicedBelowIntensity: ProvablyUnvoicedBelow(o.SilenceThreshold, o.VoicingThreshold, o.VoicedUnvoicedCost * 0.01 / dt));
        return FindPath(raw, o.SilenceThreshold, o.VoicingThreshold, o.OctaveCost, o.OctaveJumpCost, o.VoicedUnvoicedCost);
    }

    /// <summary>
    /// Relative intensity below which a frame is unvoiced whatever its candidates are, so they need not be computed. A voiced
    /// candidate scores at most 1 (strength ≤ 1, octave term ≤ 0); the unvoiced one scores v + max(0, 2 − I·(1 + v)/s). A path
    /// through a voiced candidate loses at least (unvoiced − 1) against the same path through the unvoiced one and gains at most
    /// two voiced/unvoiced costs, so when unvoiced − 1 &gt; 2·cost the frame is unvoiced on the best path:
    /// I &lt; s·(1 + v − 2·cost)/(1 + v). The output is identical; only work is saved (quiet frames, and most of the
    /// harmonicity frames below its 0.1 silence threshold).
    /// </summary>
    internal static double ProvablyUnvoicedBelow(double silenceThreshold, double voicingThreshold, double voicedUnvoicedCostScaled)
    {
        if (!(silenceThreshold > 0)) return 0;
        double bound = silenceThreshold * (1 + voicingThreshold - 2 * voicedUnvoicedCostScaled) / (1 + voicingThreshold);
        return bound > 0 ? bound * (1 - 1e-9) : 0; // a hair inside the bound so rounding cannot make an equal case count
    }

    /// <summary>Candidates of every frame before path finding.</summary>
    internal sealed class Candidates
    {
        public double Duration;
        public double T1;
        public double Dt;
        public double Ceiling;
        public int FrameCount;
        public int MaxCandidates;
        public double[] Intensity = [];
        public int[] Count = [];       // candidates per frame, including the unvoiced one at slot 0
        public double[] Frequency = []; // [frame * MaxCandidates + slot]
        public double[] Strength = [];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Candidates ComputeCandidates(double[] z, double fs, double dt, double floor, double periodsPerWindow,
        int maxCandidates, bool crossCorrelation, bool veryAccurate, double voicingThreshold, double octaveCost, double ceiling,
        double refineMargin = double.PositiveInfinity, double unvoicedBelowIntensity = 0)
    {
        double dx = 1.0 / fs;
        int nx = z.Length;
        double duration = dx * nx;
        var result = new Candidates { Duration = duration };
        if (maxCandidates < ceiling / floor) maxCandidates = (int)Math.Floor(ceiling / floor);
        if (dt <= 0) dt = periodsPerWindow / floor / 4.0;
        result.Dt = dt;
        int brentDepth = crossCorrelation && veryAccurate ? 700 : 70;
        double interpolationDepth = crossCorrelation ? 1.0 : 0.5;
        ceiling = Math.Min(ceiling, 0.5 / dx);
        result.Ceiling = ceiling;
        result.MaxCandidates = maxCandidates;
        if (nx == 0 || floor < periodsPerWindow / duration) return Empty(result);

        int nsampPeriod = (int)Math.Floor(1.0 / dx / floor);
        int halfnsampPeriod = nsampPeriod / 2 + 1;
        double dtWindow = periodsPerWindow / floor;
        int nsampWindow = (int)Math.Floor(dtWindow / dx);
        int halfnsampWindow = nsampWindow / 2 - 1;
        if (halfnsampWindow < 2) return Empty(result);
        nsampWindow = halfnsampWindow * 2;
        int maximumLag = Math.Min((int)Math.Floor(nsampWindow / periodsPerWindow) + 2, nsampWindow);

        // Fit as many frames as possible symmetrically into the duration (Praat's short-term analysis rule).
        double windowDuration = crossCorrelation ? 1.0 / floor + dtWindow : dtWindow;
        if (windowDuration > duration) return Empty(result);
        int frames = (int)Math.Floor((duration - windowDuration) / dt) + 1;
        if (frames < 1) return Empty(result);
        double x1 = 0.5 * dx;
        double t1 = x1 - 0.5 * dx + 0.5 * duration - 0.5 * frames * dt + 0.5 * dt;
        result.T1 = t1;
        result.FrameCount = frames;
        result.Intensity = new double[frames];
        result.Count = new int[frames];
        result.Frequency = new double[frames * maxCandidates];
        result.Strength = new double[frames * maxCandidates];
        for (int f = 0; f < frames; f++) result.Count[f] = 1;

        double mean = 0;
        for (int i = 0; i < nx; i++) mean += z[i];
        mean /= nx;
        double globalPeak = 0;
        for (int i = 0; i < nx; i++) globalPeak = Math.Max(globalPeak, Math.Abs(z[i] - mean));
        if (globalPeak == 0) return result;

        int brentIxmax = (int)Math.Floor(nsampWindow * interpolationDepth);
        // r holds lags −brentIxmax..brentIxmax at offset brentIxmax
        var rBuffer = new double[2 * Math.Max(nsampWindow, brentIxmax) + 1];
        int r0 = brentIxmax;
        var imax = new int[maxCandidates];
        var frame = new double[nsampWindow];
        var products = new double[brentIxmax];

        // autocorrelation method: Hann window, FFT, window autocorrelation
        FftPlan? plan = null;
        double[] window = [], windowR = [];
        float[] fftIn = [], fftOut = [];
        int nsampFft = 0;
        if (!crossCorrelation)
        {
            nsampFft = 16;
            while (nsampFft < nsampWindow * (1 + interpolationDepth)) nsampFft *= 2;
            if (nsampFft > FftPlan.MaxSize) return Empty(result);
            plan = new FftPlan(nsampFft);
            fftIn = new float[nsampFft];
            fftOut = new float[nsampFft + 2];
            window = new double[nsampWindow];
            for (int j = 0; j < nsampWindow; j++) window[j] = 0.5 - 0.5 * Math.Cos((j + 1) * 2 * Math.PI / (nsampWindow + 1));
            windowR = AutocorrelationViaFft(plan, window, fftIn, fftOut, nsampWindow);
        }

        for (int iframe = 0; iframe < frames; iframe++)
        {
            double t = t1 + iframe * dt;
            // 1-based Praat sample indices: sample i sits at x1 + (i−1)·dx
            int leftSample = (int)Math.Floor((t - x1) / dx) + 1, rightSample = leftSample + 1;

            int start = Math.Max(1, rightSample - nsampPeriod), end = Math.Min(nx, leftSample + nsampPeriod);
            double localMean = end >= start ? PeakInterpolation.Sum(z.AsSpan(start - 1, end - start + 1)) : 0;
            localMean /= 2 * nsampPeriod;

            start = rightSample - halfnsampWindow;
            for (int j = 0; j < nsampWindow; j++)
            {
                int i = start + j;
                frame[j] = (i >= 1 && i <= nx ? z[i - 1] : 0.0) - localMean;
            }

            double localPeak = 0;
            int ps = Math.Max(1, halfnsampWindow + 1 - halfnsampPeriod), pe = Math.Min(nsampWindow, halfnsampWindow + halfnsampPeriod);
            if (pe >= ps) localPeak = PeakInterpolation.MaxAbs(frame.AsSpan(ps - 1, pe - ps + 1));
            result.Intensity[iframe] = localPeak > globalPeak ? 1.0 : localPeak / globalPeak;
            if (localPeak == 0) continue; // absolute silence is unvoiced
            if (result.Intensity[iframe] < unvoicedBelowIntensity) continue; // unvoiced on the best path whatever its candidates

            Span<double> r = rBuffer;
            r[r0] = 1.0;
            if (crossCorrelation)
            {
                double startTime = t - 0.5 * (1.0 / floor + dtWindow);
                int startSample = Math.Max(1, (int)Math.Floor((startTime - x1) / dx) + 1);
                int localSpan = Math.Min(maximumLag + nsampWindow, nx + 1 - startSample);
                int localMaximumLag = localSpan - nsampWindow;
                int offset = startSample - 1; // amp[i] = z[offset + i − 1] for i ≥ 1
                Span<double> seg = frame; // reuse: x values of the fixed window
                for (int j = 0; j < nsampWindow; j++) seg[j] = z[offset + j] - localMean;
                double sumx2 = PeakInterpolation.Dot(seg, seg);
                double sumx = PeakInterpolation.Sum(seg);
                double sumy2 = sumx2;
                int lags = Math.Min(brentIxmax, Math.Max(0, localMaximumLag));
                // Σ_j x_j z[offset + i + j] for all lags i = 1…lags at once
                PeakInterpolation.SlidingProducts(seg, z.AsSpan(offset + 1, lags - 1 + nsampWindow), products.AsSpan(0, lags));
                for (int i = 1; i <= brentIxmax; i++)
                {
                    if (i > localMaximumLag)
                    {
                        r[r0 + i] = r[r0 - i] = 0.0;
                        continue;
                    }

                    double y0 = z[offset + i - 1] - localMean;
                    double yZ = z[offset + i + nsampWindow - 1] - localMean;
                    sumy2 += yZ * yZ - y0 * y0;
                    // Σ x_j (z[offset+i+j] − mean) = Σ x_j z[...] − mean Σ x_j
                    double product = products[i - 1] - localMean * sumx;
                    double denom = Math.Sqrt(sumx2 * sumy2);
                    r[r0 + i] = r[r0 - i] = denom > 0 ? product / denom : 0.0;
                }
            }
            else
            {
                for (int j = 0; j < nsampFft; j++) fftIn[j] = j < nsampWindow ? (float)(frame[j] * window[j]) : 0f;
                var ac = AutocorrelationOfFrame(plan!, fftIn, fftOut);
                for (int i = 1; i <= brentIxmax; i++)
                {
                    double v = ac[0] > 0 && windowR[i] != 0 ? ac[i] / (ac[0] * windowR[i]) : 0.0;
                    r[r0 + i] = r[r0 - i] = v;
                }
            }

            ReadOnlySpan<double> rSpan = rBuffer.AsSpan(0, 2 * brentIxmax + 1);
            int baseIndex = iframe * maxCandidates;
            var freq = result.Frequency.AsSpan(baseIndex, maxCandidates);
            var str = result.Strength.AsSpan(baseIndex, maxCandidates);
            int n = 1;
            freq[0] = 0;
            str[0] = 0;
            for (int i = 2; i < maximumLag && i < brentIxmax; i++)
            {
                double ri = r[r0 + i];
                if (!(ri > 0.5 * voicingThreshold && ri > r[r0 + i - 1] && ri >= r[r0 + i + 1])) continue;
                double dr = 0.5 * (r[r0 + i + 1] - r[r0 + i - 1]), d2r = 2.0 * ri - r[r0 + i - 1] - r[r0 + i + 1];
                double frequencyOfMaximum = 1.0 / dx / (i + dr / d2r);
                double strengthOfMaximum = PeakInterpolation.Sinc(rSpan, 1.0 / dx / frequencyOfMaximum + r0, 30);
                if (strengthOfMaximum > 1.0) strengthOfMaximum = 1.0 / strengthOfMaximum; // short windows overshoot
                int place = -1;
                if (n < maxCandidates)
                {
                    place = n++;
                }
                else
                {
                    double weakest = 2.0;
                    for (int iw = 1; iw < maxCandidates; iw++)
                    {
                        double local = str[iw] - octaveCost * Math.Log2(floor / freq[iw]);
                        if (local < weakest)
                        {
                            weakest = local;
                            place = iw;
                        }
                    }

                    if (strengthOfMaximum - octaveCost * Math.Log2(floor / frequencyOfMaximum) <= weakest) place = -1;
                }

                if (place >= 0)
                {
                    freq[place] = frequencyOfMaximum;
                    str[place] = strengthOfMaximum;
                    imax[place] = i;
                }
            }

            // Second pass: maximise the sinc interpolant for extra precision. When the caller's path has no costs (harmonicity),
            // only candidates near the strongest can win, so the others keep their first estimate (refineMargin).
            double strongest = 0;
            for (int c = 1; c < n; c++) strongest = Math.Max(strongest, str[c]);
            for (int c = 1; c < n; c++)
            {
                if (refineMargin < 0 || str[c] < strongest - refineMargin) continue;
                int depth = freq[c] > 0.3 / dx ? 700 : brentDepth;
                double ymid = PeakInterpolation.ImproveMaximum(rSpan, imax[c] + r0, depth, out double xmid);
                xmid -= r0;
                freq[c] = 1.0 / dx / xmid;
                str[c] = ymid > 1.0 ? 1.0 / ymid : ymid;
            }

            result.Count[iframe] = n;
        }

        return result;
    }

    private static double[] AutocorrelationViaFft(FftPlan plan, double[] signal, float[] fftIn, float[] fftOut, int length)
    {
        Array.Clear(fftIn);
        for (int j = 0; j < length; j++) fftIn[j] = (float)signal[j];
        var ac = AutocorrelationOfFrame(plan, fftIn, fftOut);
        var normalised = new double[length + 1];
        for (int i = 0; i <= length && i < ac.Length; i++) normalised[i] = ac[i] / ac[0];
        return normalised;
    }

    private static double[] AutocorrelationOfFrame(FftPlan plan, float[] fftIn, float[] fftOut)
    {
        plan.Forward(fftIn, fftOut);
        for (int k = 0; k < plan.BinCount; k++)
        {
            float re = fftOut[2 * k], im = fftOut[2 * k + 1];
            fftOut[2 * k] = re * re + im * im;
            fftOut[2 * k + 1] = 0f;
        }

        plan.Inverse(fftOut, fftIn);
        var ac = new double[plan.Size];
        for (int i = 0; i < ac.Length; i++) ac[i] = fftIn[i];
        return ac;
    }

    private static Candidates Empty(Candidates c)
    {
        c.FrameCount = 0;
        c.T1 = 0.5 * c.Duration;
        return c;
    }

    /// <summary>Viterbi path through the candidates; returns the contour of the winners.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static PitchContour FindPath(Candidates c, double silenceThreshold, double voicingThreshold,
        double octaveCost, double octaveJumpCost, double voicedUnvoicedCost)
    {
        int frames = c.FrameCount, m = c.MaxCandidates;
        double ceiling = c.Ceiling;
        var f0 = new double[frames];
        var strength = new double[frames];
        if (frames == 0) return new PitchContour(c.Duration, c.T1, c.Dt, ceiling, f0, strength);
        double timeStepCorrection = 0.01 / c.Dt;
        octaveJumpCost *= timeStepCorrection;
        voicedUnvoicedCost *= timeStepCorrection;
        var delta = new double[frames * m];
        var psi = new int[frames * m];
        // log2 of every candidate frequency once (NaN marks the unvoiced candidates), so the transition costs need no logarithm
        var log2f = new double[frames * m];
        for (int f = 0; f < frames; f++)
        {
            double unvoicedStrength = silenceThreshold <= 0 ? 0.0 : 2.0 - c.Intensity[f] / (silenceThreshold / (1.0 + voicingThreshold));
            unvoicedStrength = voicingThreshold + Math.Max(0.0, unvoicedStrength);
            for (int k = 0; k < c.Count[f]; k++)
            {
                double fr = c.Frequency[f * m + k];
                bool voiceless = !(fr > 0 && fr < ceiling);
                log2f[f * m + k] = voiceless ? double.NaN : Math.Log2(fr);
                delta[f * m + k] = voiceless ? unvoicedStrength : c.Strength[f * m + k] - octaveCost * (Math.Log2(ceiling) - log2f[f * m + k]);
            }
        }

        bool costFree = octaveJumpCost == 0 && voicedUnvoicedCost == 0;
        for (int f = 1; f < frames; f++)
        {
            int prev = (f - 1) * m, cur = f * m, prevCount = c.Count[f - 1];
            if (costFree)
            {
                // no transition costs (harmonicity): every candidate takes the best predecessor
                int place = 0;
                for (int k1 = 1; k1 < prevCount; k1++)
                {
                    if (delta[prev + k1] > delta[prev + place]) place = k1;
                }

                for (int k2 = 0; k2 < c.Count[f]; k2++)
                {
                    delta[cur + k2] += delta[prev + place];
                    psi[cur + k2] = place;
                }

                continue;
            }

            for (int k2 = 0; k2 < c.Count[f]; k2++)
            {
                double l2 = log2f[cur + k2];
                bool currentVoiceless = double.IsNaN(l2);
                double maximum = -1e30;
                int place = 0;
                for (int k1 = 0; k1 < prevCount; k1++)
                {
                    double l1 = log2f[prev + k1];
                    bool previousVoiceless = double.IsNaN(l1);
                    double cost = currentVoiceless
                        ? (previousVoiceless ? 0.0 : voicedUnvoicedCost)
                        : (previousVoiceless ? voicedUnvoicedCost : octaveJumpCost * Math.Abs(l1 - l2));
                    double value = delta[prev + k1] - cost + delta[cur + k2];
                    if (value > maximum)
                    {
                        maximum = value;
                        place = k1;
                    }
                }

                delta[cur + k2] = maximum;
                psi[cur + k2] = place;
            }
        }

        int last = (frames - 1) * m, best = 0;
        for (int k = 1; k < c.Count[frames - 1]; k++)
        {
            if (delta[last + k] > delta[last + best]) best = k;
        }

        for (int f = frames - 1; f >= 0; f--)
        {
            double fr = c.Frequency[f * m + best];
            f0[f] = fr > 0 && fr < ceiling ? fr : 0.0;
            strength[f] = f0[f] > 0 ? c.Strength[f * m + best] : 0.0;
            best = psi[f * m + best];
        }

        return new PitchContour(c.Duration, c.T1, c.Dt, ceiling, f0, strength);
    }
}
