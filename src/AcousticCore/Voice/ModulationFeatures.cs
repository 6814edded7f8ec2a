using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AcousticCore.Dsp;

namespace AcousticCore.Voice;

/// <summary>
/// Micro-tremor and Teager-energy descriptors of voiced stretches.
/// </summary>
internal static class ModulationFeatures
{
    /// <summary>Shortest voiced stretch (s) used for tremor: two cycles of the 8 Hz band edge.</summary>
    public const double MinimumTremorSeconds = 0.25;

    /// <summary>
    /// Adds to <paramref name="bandEnergy"/> / <paramref name="totalEnergy"/> the 8–12 Hz energy and the total energy of one
    /// contour sampled every <paramref name="dt"/> seconds, after removing its least-squares line and applying a Hann window.
    /// <paramref name="floorEnergy"/> gets the energy a contour of RMS <paramref name="floorRms"/> would have: the relative
    /// energy is taken against at least that, so numerically tiny wobble on a steady contour does not count as tremor.
    /// </summary>
    public static void AccumulateTremor(ReadOnlySpan<double> contour, double dt, double floorRms,
        ref double bandEnergy, ref double totalEnergy, ref double floorEnergy)
    {
        int n = contour.Length;
        if (n * dt < MinimumTremorSeconds) return;
        // least-squares line
        double mx = 0.5 * (n - 1), my = 0;
        for (int i = 0; i < n; i++) my += contour[i];
        my /= n;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++)
        {
            sxy += (i - mx) * (contour[i] - my);
            sxx += (i - mx) * (i - mx);
        }

        double slope = sxx > 0 ? sxy / sxx : 0;
        int nfft = 16;
        while (nfft < 4 * n) nfft *= 2; // zero-pad for ≤ 1/(4·duration) Hz bins
        if (nfft > FftPlan.MaxSize) nfft = FftPlan.MaxSize;
        int m = Math.Min(n, nfft);
        var plan = new FftPlan(nfft);
        var input = new float[nfft];
        var spectrum = new float[nfft + 2];
        for (int i = 0; i < m; i++)
        {
            double w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * (i + 0.5) / m);
            input[i] = (float)((contour[i] - my - slope * (i - mx)) * w);
        }

        plan.Forward(input, spectrum);
        double sumW2 = 0;
        for (int i = 0; i < m; i++)
        {
            double w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * (i + 0.5) / m);
            sumW2 += w * w;
        }

        // one-sided Parseval for the unnormalised transform: Σ_k>0 |X_k|² ≈ (N/2)·Σ x²
        floorEnergy += 0.5 * nfft * floorRms * floorRms * sumW2;
        double binHz = 1.0 / (dt * nfft);
        for (int k = 1; k < plan.BinCount; k++)
        {
            double p = (double)spectrum[2 * k] * spectrum[2 * k] + (double)spectrum[2 * k + 1] * spectrum[2 * k + 1];
            double f = k * binHz;
            totalEnergy += p;
            if (f >= 8 && f <= 12) bandEnergy += p;
        }
    }

    /// <summary>Critical bands of Zhou, Hansen &amp; Kaiser (2001), Hz: 16 bands from 100 Hz to 3.7 kHz.</summary>
    public static readonly double[] TeoBandEdgesHz =
        [100, 200, 300, 400, 510, 630, 770, 920, 1080, 1270, 1480, 1720, 2000, 2320, 2700, 3150, 3700];

    /// <summary>Number of TEO-CB-Auto-Env bands.</summary>
    public static int TeoBandCount => TeoBandEdgesHz.Length - 1;

    /// <summary>
    /// TEO-CB-Auto-Env: per critical band, the band-passed signal (2nd-order Butterworth band pass from NWaves), its Teager
    /// energy Ψ[n] = x[n]² − x[n−1]·x[n+1], and for each 25 ms frame (10 ms hop) the area under the upper envelope of the
    /// normalised autocorrelation of Ψ over lags 0..N−1, divided by N. Returns per band and per frame values; frames for which
    /// <paramref name="wanted"/> (given the frame's centre time) is false are skipped and left NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double[][] TeoCbAutoEnv(double[] z, double fs, out double[] frameTimes, Func<double, bool>? wanted = null)
    {
        int frameLength = Math.Max(16, (int)Math.Round(0.025 * fs));
        int hop = Math.Max(1, (int)Math.Round(0.010 * fs));
        int frames = z.Length >= frameLength ? (z.Length - frameLength) / hop + 1 : 0;
        frameTimes = new double[frames];
        var use = new bool[frames];
        for (int f = 0; f < frames; f++)
        {
            frameTimes[f] = (f * hop + 0.5 * frameLength) / fs;
            use[f] = wanted is null || wanted(frameTimes[f]);
        }

        int bands = TeoBandCount;
        var result = new double[bands][];
        int nfft = 16;
        while (nfft < 2 * frameLength) nfft *= 2;
        FftPlan? plan = frames > 0 ? new FftPlan(nfft) : null;
        var input = new float[nfft]; // samples beyond the frame stay zero: the inverse transform writes to output
        var output = new float[nfft];
        var spectrum = new float[nfft + 2];
        // Four bands at a time, one per SIMD lane: their Teager energies, interleaved (sample n of lane j at 4n + j), in single
        // precision as the FFT takes them.
        var teo4 = new float[4 * z.Length];
        var num = new double[4 * 5];
        var den = new double[4 * 5];
        for (int b0 = 0; b0 < bands; b0 += 4)
        {
            Array.Clear(num);
            Array.Clear(den);
            bool any = false;
            for (int j = 0; j < 4; j++)
            {
                int b = b0 + j;
                if (b >= bands) continue;
                result[b] = new double[frames];
                double lo = TeoBandEdgesHz[b], hi = TeoBandEdgesHz[b + 1];
                if (hi >= 0.5 * fs * 0.98 || frames == 0)
                {
                    Array.Fill(result[b], double.NaN);
                    continue;
                }

                // NWaves designs the band pass; it is run here in double precision (transposed direct form II) because NWaves'
                // per-sample Process works with single-precision coefficients (and a virtual call per sample)
                var design = new NWaves.Filters.Butterworth.BandPassFilter(lo / fs, hi / fs, 2).Tf;
                if (design.Numerator.Length != 5 || design.Denominator.Length != 5) throw new InvalidOperationException("expected a 4th-order band pass");
                for (int c = 0; c < 5; c++)
                {
                    num[c * 4 + j] = design.Numerator[c] / design.Denominator[0];
                    den[c * 4 + j] = design.Denominator[c] / design.Denominator[0];
                }

                any = true;
            }

            if (!any) continue;
            TeagerOfFourBands(z, num, den, teo4);
            for (int j = 0; j < 4 && b0 + j < bands; j++)
            {
                int b = b0 + j;
                if (den[j] == 0) continue; // band left NaN above
                for (int f = 0; f < frames; f++)
                {
                    if (!use[f])
                    {
                        result[b][f] = double.NaN;
                        continue;
                    }

                    int start = f * hop;
                    for (int i = 0; i < frameLength; i++) input[i] = teo4[4 * (start + i) + j];
                    plan!.Forward(input, spectrum);
                    PowerInPlace(spectrum.AsSpan(0, 2 * plan.BinCount));
                    plan.Inverse(spectrum, output);
                    double r0 = output[0];
                    result[b][f] = r0 > 0 ? EnvelopeArea(output.AsSpan(0, frameLength)) / r0 : double.NaN;
                }
            }
        }

        return result;
    }

    /// <summary>Area under the upper envelope e(k) = max over j ≥ k of r(j) (negative parts count as 0), divided by the number of lags.</summary>
    /// <remarks>Scaling r by a positive factor scales the area by the same factor, so callers may pass an unnormalised autocorrelation and divide by r(0) afterwards.</remarks>
    internal static double EnvelopeArea(ReadOnlySpan<double> r)
    {
        double running = double.NegativeInfinity, area = 0;
        for (int k = r.Length - 1; k >= 0; k--)
        {
            running = Math.Max(running, r[k]);
            area += Math.Max(0, running);
        }

        return area / r.Length;
    }

    /// <inheritdoc cref="EnvelopeArea(ReadOnlySpan{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double EnvelopeArea(ReadOnlySpan<float> r)
    {
        // the running maximum starts at 0: negative values contribute 0 either way, and no NaN can occur in an autocorrelation
        float running = 0;
        double area = 0;
        int k = r.Length;
        if (Vector256.IsHardwareAccelerated)
        {
            // blocks of 8 from the end: the suffix maximum inside a block by three shifted maxima (shifts fill with 0, which
            // cannot raise a maximum that is clamped at 0), then the maximum of everything after the block; the serial chain
            // is one maximum per block instead of one per value
            var shift1 = Vector256.Create(1, 2, 3, 4, 5, 6, 7, 8);
            var shift2 = Vector256.Create(2, 3, 4, 5, 6, 7, 8, 9);
            var shift4 = Vector256.Create(4, 5, 6, 7, 8, 9, 10, 11);
            var sum = Vector256<float>.Zero;
            ref float origin = ref MemoryMarshal.GetReference(r);
            for (; k >= 8; k -= 8)
            {
                var v = Vector256.LoadUnsafe(ref origin, (nuint)(k - 8));
                v = Vector256.Max(v, Vector256.Shuffle(v, shift1));
                v = Vector256.Max(v, Vector256.Shuffle(v, shift2));
                v = Vector256.Max(v, Vector256.Shuffle(v, shift4));
                v = Vector256.Max(v, Vector256.Create(running));
                sum += v;
                running = v.ToScalar();
            }

            area = SumAsDouble(sum);
        }

        for (k--; k >= 0; k--)
        {
            float v = r[k];
            running = v > running ? v : running;
            area += running;
        }

        return area / r.Length;
    }

    private static double SumAsDouble(Vector256<float> v)
    {
        double s = 0;
        for (int i = 0; i < Vector256<float>.Count; i++) s += v.GetElement(i);
        return s;
    }

    /// <summary>Replaces interleaved (re, im) pairs by (re² + im², 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PowerInPlace(Span<float> spectrum)
    {
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // squares, then each pair's sum into its even slot and 0 into its odd slot
            var evenMask = Vector256.Create(-1, 0, -1, 0, -1, 0, -1, 0).AsSingle();
            var swap = Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6);
            ref float origin = ref MemoryMarshal.GetReference(spectrum);
            for (; k <= spectrum.Length - 8; k += 8)
            {
                var v = Vector256.LoadUnsafe(ref origin, (nuint)k);
                var sq = v * v;
                var sum = sq + Vector256.Shuffle(sq, swap);
                Vector256.BitwiseAnd(sum, evenMask).StoreUnsafe(ref origin, (nuint)k);
            }
        }

        for (; k + 1 < spectrum.Length; k += 2)
        {
            float re = spectrum[k], im = spectrum[k + 1];
            spectrum[k] = re * re + im * im;
            spectrum[k + 1] = 0;
        }
    }

    /// <summary>
    /// Filters <paramref name="z"/> through four 4th-order IIR filters side by side (lane j uses coefficients
    /// <paramref name="num"/>[4c + j], <paramref name="den"/>[4c + j], den[0] = 1; a lane with all-zero coefficients gives 0)
    /// in double precision, and writes each lane's Teager energy Ψ[n] = y[n]² − y[n−1]·y[n+1] to <paramref name="teo4"/>[4n + j]
    /// (0 at both ends). Each lane computes exactly what <see cref="FilterDoublePrecision"/> computes for its filter.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void TeagerOfFourBands(ReadOnlySpan<double> z, ReadOnlySpan<double> num, ReadOnlySpan<double> den, Span<float> teo4)
    {
        int n = z.Length;
        if (n == 0) return;
        var b0 = Vector256.Create(num.Slice(0, 4));
        var b1 = Vector256.Create(num.Slice(4, 4));
        var b2 = Vector256.Create(num.Slice(8, 4));
        var b3 = Vector256.Create(num.Slice(12, 4));
        var b4 = Vector256.Create(num.Slice(16, 4));
        var a1 = Vector256.Create(den.Slice(4, 4));
        var a2 = Vector256.Create(den.Slice(8, 4));
        var a3 = Vector256.Create(den.Slice(12, 4));
        var a4 = Vector256.Create(den.Slice(16, 4));
        var s1 = Vector256<double>.Zero;
        var s2 = Vector256<double>.Zero;
        var s3 = Vector256<double>.Zero;
        var s4 = Vector256<double>.Zero;
        var yPrev2 = Vector256<double>.Zero;
        var yPrev = Vector256<double>.Zero;
        ref float t = ref MemoryMarshal.GetReference(teo4);
        for (int i = 0; i < n; i++)
        {
            var v = Vector256.Create(z[i]);
            var o = b0 * v + s1;
            s1 = b1 * v - a1 * o + s2;
            s2 = b2 * v - a2 * o + s3;
            s3 = b3 * v - a3 * o + s4;
            s4 = b4 * v - a4 * o;
            if (i >= 2)
            {
                // Ψ of sample i − 1
                var psi = yPrev * yPrev - yPrev2 * o;
                Vector256.Narrow(psi, Vector256<double>.Zero).GetLower().StoreUnsafe(ref t, (nuint)(4 * (i - 1)));
            }

            yPrev2 = yPrev;
            yPrev = o;
        }

        teo4.Slice(0, 4).Clear();
        teo4.Slice(4 * (n - 1), 4).Clear();
    }

    /// <summary>Runs the IIR filter b/a (a[0] normalised to 1) over <paramref name="x"/> from rest, in double precision.</summary>
    internal static void FilterDoublePrecision(ReadOnlySpan<double> b, ReadOnlySpan<double> a, ReadOnlySpan<double> x, Span<double> y)
    {
        int order = Math.Max(b.Length, a.Length) - 1;
        Span<double> bn = stackalloc double[order + 1];
        Span<double> an = stackalloc double[order + 1];
        bn.Clear();
        an.Clear();
        double a0 = a[0];
        for (int i = 0; i < b.Length; i++) bn[i] = b[i] / a0;
        for (int i = 0; i < a.Length; i++) an[i] = a[i] / a0;
        if (order == 4)
        {
            // the 2nd-order band pass: state in locals
            double b0 = bn[0], b1 = bn[1], b2 = bn[2], b3 = bn[3], b4 = bn[4], a1 = an[1], a2 = an[2], a3 = an[3], a4 = an[4];
            double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
            for (int n = 0; n < x.Length; n++)
            {
                double v = x[n], o = b0 * v + s1;
                s1 = b1 * v - a1 * o + s2;
                s2 = b2 * v - a2 * o + s3;
                s3 = b3 * v - a3 * o + s4;
                s4 = b4 * v - a4 * o;
                y[n] = o;
            }

            return;
        }

        Span<double> state = stackalloc double[order + 1];
        state.Clear();
        for (int n = 0; n < x.Length; n++)
        {
            double v = x[n], o = bn[0] * v + state[0];
            for (int k = 1; k < order; k++) state[k - 1] = bn[k] * v - an[k] * o + state[k];
            if (order > 0) state[order - 1] = bn[order] * v - an[order] * o;
            y[n] = order > 0 ? o : bn[0] * v;
        }
    }
}
