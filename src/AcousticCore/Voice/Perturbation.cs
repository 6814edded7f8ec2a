namespace AcousticCore.Voice;

/// <summary>Jitter measures (Praat's "Voice 2. Jitter"); fractions (0.01 = 1 %), absolute jitter in seconds. NaN when undefined.</summary>
/// <param name="Local">Mean |T_i − T_{i−1}| over qualifying period pairs, divided by the mean period.</param>
/// <param name="LocalAbsoluteSeconds">Mean |T_i − T_{i−1}| in seconds.</param>
/// <param name="Rap">Relative average perturbation: mean |T_i − mean(T_{i−1..i+1})| divided by the mean period.</param>
/// <param name="Ppq5">Five-point period perturbation quotient: mean |T_i − mean(T_{i−2..i+2})| divided by the mean period.</param>
/// <param name="Ddp">Difference of differences of periods: 3 × <paramref name="Rap"/>.</param>
/// <param name="PeriodCount">Number of intervals that qualify as periods.</param>
/// <param name="MeanPeriodSeconds">Mean of the qualifying periods, seconds.</param>
public sealed record JitterMeasures(double Local, double LocalAbsoluteSeconds, double Rap, double Ppq5, double Ddp, int PeriodCount, double MeanPeriodSeconds);

/// <summary>Shimmer measures (Praat's "Voice 3. Shimmer"); fractions except <paramref name="LocalDb"/>. NaN when undefined.</summary>
/// <param name="Local">Mean |A_i − A_{i−1}| divided by the mean amplitude.</param>
/// <param name="LocalDb">Mean |20·log10(A_i / A_{i−1})|, dB.</param>
/// <param name="Apq3">Three-point amplitude perturbation quotient.</param>
/// <param name="Apq5">Five-point amplitude perturbation quotient.</param>
/// <param name="Apq11">Eleven-point amplitude perturbation quotient.</param>
/// <param name="Dda">Difference of differences of amplitudes: 3 × <paramref name="Apq3"/>.</param>
public sealed record ShimmerMeasures(double Local, double LocalDb, double Apq3, double Apq5, double Apq11, double Dda);

/// <summary>
/// Jitter and shimmer from glottal pulse times, with Praat's rules: a period counts only when it lies in
/// [shortest, longest] and differs from its neighbours by at most the period factor; each pulse's amplitude is the RMS of the
/// sound under a Hann window reaching 0.2 periods to either side; amplitude pairs beyond the amplitude factor are skipped.
/// </summary>
public static class Perturbation
{
    /// <summary>Jitter of the pulses that fall in [tmin, tmax] (whole range when tmax ≤ tmin).</summary>
    public static JitterMeasures Jitter(ReadOnlySpan<double> pulses, PerturbationOptions? options = null, double tmin = 0, double tmax = 0)
    {
        var o = options ?? PerturbationOptions.VoiceReport;
        (int first, int last) = Window(pulses, tmin, tmax);
        double pmin = o.ShortestPeriodSeconds, pmax = o.LongestPeriodSeconds, factor = o.MaximumPeriodFactor;
        double meanPeriod = MeanPeriod(pulses, first, last, pmin, pmax, factor, out int periodCount);

        double local = double.NaN, localAbs = double.NaN, rap = double.NaN, ppq5 = double.NaN;
        int numberOfPeriods = last - first;
        if (numberOfPeriods >= 2)
        {
            double sum = 0;
            for (int i = first + 1; i < last; i++)
            {
                double p1 = pulses[i] - pulses[i - 1], p2 = pulses[i + 1] - pulses[i];
                if (Ok(p1, pmin, pmax) && Ok(p2, pmin, pmax) && Ratio(p1, p2) <= factor || pmin == pmax) sum += Math.Abs(p1 - p2);
                else numberOfPeriods--;
            }

            if (numberOfPeriods >= 2)
            {
                localAbs = sum / (numberOfPeriods - 1);
                local = localAbs / meanPeriod;
            }
        }

        numberOfPeriods = last - first;
        if (numberOfPeriods >= 3)
        {
            double sum = 0;
            for (int i = first + 2; i < last; i++)
            {
                double p1 = pulses[i - 1] - pulses[i - 2], p2 = pulses[i] - pulses[i - 1], p3 = pulses[i + 1] - pulses[i];
                if (pmin == pmax || Ok(p1, pmin, pmax) && Ok(p2, pmin, pmax) && Ok(p3, pmin, pmax) && Ratio(p1, p2) <= factor && Ratio(p2, p3) <= factor)
                    sum += Math.Abs(p2 - (p1 + p2 + p3) / 3.0);
                else numberOfPeriods--;
            }

            if (numberOfPeriods >= 3) rap = sum / (numberOfPeriods - 2) / meanPeriod;
        }

        numberOfPeriods = last - first;
        if (numberOfPeriods >= 5)
        {
            double sum = 0;
            Span<double> p = stackalloc double[5];
            for (int i = first + 5; i <= last; i++)
            {
                bool ok = true;
                for (int k = 0; k < 5; k++)
                {
                    p[k] = pulses[i - 4 + k] - pulses[i - 5 + k];
                    ok &= Ok(p[k], pmin, pmax);
                    if (k > 0) ok &= Ratio(p[k - 1], p[k]) <= factor;
                }

                if (pmin == pmax || ok) sum += Math.Abs(p[2] - (p[0] + p[1] + p[2] + p[3] + p[4]) / 5.0);
                else numberOfPeriods--;
            }

            if (numberOfPeriods >= 5) ppq5 = sum / (numberOfPeriods - 4) / meanPeriod;
        }

        return new JitterMeasures(local, localAbs, rap, ppq5, 3 * rap, periodCount, meanPeriod);
    }

    /// <summary>Shimmer of the pulses in [tmin, tmax] (whole range when tmax ≤ tmin), measuring amplitudes in the sound.</summary>
    public static ShimmerMeasures Shimmer(ReadOnlySpan<float> samples, int sampleRate, ReadOnlySpan<double> pulses,
        PerturbationOptions? options = null, double tmin = 0, double tmax = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        var z = new double[samples.Length];
        for (int i = 0; i < z.Length; i++) z[i] = float.IsFinite(samples[i]) ? samples[i] : 0.0;
        return Shimmer(new SoundView(z, sampleRate), pulses, options ?? PerturbationOptions.VoiceReport, tmin, tmax);
    }

    internal static ShimmerMeasures Shimmer(SoundView sound, ReadOnlySpan<double> pulses, PerturbationOptions o, double tmin, double tmax)
    {
        var undefined = new ShimmerMeasures(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        (int first, int last) = Window(pulses, tmin, tmax);
        if (last - first + 1 < 3) return undefined;
        double pmin = o.ShortestPeriodSeconds, pmax = o.LongestPeriodSeconds;
        var times = new List<double>();
        var amps = new List<double>();
        for (int i = first + 1; i < last; i++)
        {
            double p1 = pulses[i] - pulses[i - 1], p2 = pulses[i + 1] - pulses[i];
            if (pmin == pmax || Ok(p1, pmin, pmax) && Ok(p2, pmin, pmax) && Ratio(p1, p2) <= o.MaximumPeriodFactor)
            {
                double a = sound.HannWindowedRms(pulses[i], 0.2 * p1, 0.2 * p2);
                if (a > 0)
                {
                    times.Add(pulses[i]);
                    amps.Add(a);
                }
            }
        }

        int n = amps.Count;
        if (n < 1) return undefined;
        double af = o.MaximumAmplitudeFactor;
        // mean amplitude over all points but the last, as Praat's denominator
        double meanAmp = 0;
        for (int i = 0; i < n - 1; i++) meanAmp += amps[i];
        meanAmp = n > 1 ? meanAmp / (n - 1) : double.NaN;

        double local = double.NaN, localDb = double.NaN;
        {
            double num = 0, db = 0;
            int count = 0;
            for (int i = 1; i < n; i++)
            {
                double p = times[i] - times[i - 1];
                if (!(pmin == pmax || Ok(p, pmin, pmax))) continue;
                double a1 = amps[i - 1], a2 = amps[i];
                if (Ratio(a1, a2) > af) continue;
                num += Math.Abs(a1 - a2);
                db += Math.Abs(Math.Log10(a1 / a2));
                count++;
            }

            if (count >= 1)
            {
                local = meanAmp > 0 ? num / count / meanAmp : double.NaN;
                localDb = 20 * db / count;
            }
        }

        double apq3 = Apq(times, amps, 1, pmin, pmax, af, meanAmp);
        double apq5 = Apq(times, amps, 2, pmin, pmax, af, meanAmp);
        double apq11 = Apq(times, amps, 5, pmin, pmax, af, meanAmp);
        return new ShimmerMeasures(local, localDb, apq3, apq5, apq11, 3 * apq3);
    }

    private static double Apq(List<double> times, List<double> amps, int half, double pmin, double pmax, double af, double meanAmp)
    {
        int n = amps.Count, count = 0;
        double num = 0;
        for (int i = half; i < n - half; i++)
        {
            bool ok = true;
            double sum = 0;
            for (int k = i - half; k <= i + half; k++)
            {
                sum += amps[k];
                if (k > i - half)
                {
                    double p = times[k] - times[k - 1];
                    ok &= pmin == pmax || Ok(p, pmin, pmax);
                    ok &= Ratio(amps[k - 1], amps[k]) <= af;
                }
            }

            if (!ok) continue;
            num += Math.Abs(amps[i] - sum / (2 * half + 1));
            count++;
        }

        return count >= 1 && meanAmp > 0 ? num / count / meanAmp : double.NaN;
    }

    /// <summary>Mean of the intervals that qualify as periods (Praat's period rule); NaN when none.</summary>
    internal static double MeanPeriod(ReadOnlySpan<double> t, int first, int last, double pmin, double pmax, double factor, out int count)
    {
        count = 0;
        double sum = 0;
        for (int i = first; i < last; i++)
        {
            if (IsPeriod(t, i, pmin, pmax, factor))
            {
                count++;
                sum += t[i + 1] - t[i];
            }
        }

        return count > 0 ? sum / count : double.NaN;
    }

    /// <summary>Is the interval from point i to i+1 a period: in range, and not too different from both neighbours?</summary>
    private static bool IsPeriod(ReadOnlySpan<double> t, int ileft, double pmin, double pmax, double factor)
    {
        int iright = ileft + 1;
        if (ileft < 0 || iright >= t.Length) return false;
        if (pmin == pmax) return true;
        double interval = t[iright] - t[ileft];
        if (interval <= 0 || interval < pmin || interval > pmax) return false;
        double prev = ileft <= 0 ? double.NaN : t[ileft] - t[ileft - 1];
        double next = iright >= t.Length - 1 ? double.NaN : t[iright + 1] - t[iright];
        double pf = prev > 0 ? interval / prev : double.NaN;
        double nf = next > 0 ? interval / next : double.NaN;
        if (double.IsNaN(pf) && double.IsNaN(nf)) return true;
        if (pf > 0 && pf < 1) pf = 1 / pf;
        if (nf > 0 && nf < 1) nf = 1 / nf;
        return !(pf > factor && nf > factor);
    }

    /// <summary>Indices of the first and last pulse inside [tmin, tmax]; all pulses when tmax ≤ tmin.</summary>
    internal static (int First, int Last) Window(ReadOnlySpan<double> t, double tmin, double tmax)
    {
        if (tmax <= tmin) return (0, t.Length - 1);
        int first = 0;
        while (first < t.Length && t[first] < tmin) first++;
        int last = t.Length - 1;
        while (last >= 0 && t[last] > tmax) last--;
        return (first, last);
    }

    private static bool Ok(double p, double pmin, double pmax) => p >= pmin && p <= pmax;

    private static double Ratio(double a, double b) => a > b ? a / b : b / a;
}
