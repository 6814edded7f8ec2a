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
    /// normalised autocorrelation of Ψ over lags 0..N−1, divided by N. Returns per band and per frame values.
    /// </summary>
    public static double[][] TeoCbAutoEnv(double[] z, double fs, out double[] frameTimes)
    {
        int frameLength = Math.Max(16, (int)Math.Round(0.025 * fs));
        int hop = Math.Max(1, (int)Math.Round(0.010 * fs));
        int frames = z.Length >= frameLength ? (z.Length - frameLength) / hop + 1 : 0;
        frameTimes = new double[frames];
        for (int f = 0; f < frames; f++) frameTimes[f] = (f * hop + 0.5 * frameLength) / fs;
        int bands = TeoBandCount;
        var result = new double[bands][];
        int nfft = 16;
        while (nfft < 2 * frameLength) nfft *= 2;
        FftPlan? plan = frames > 0 ? new FftPlan(nfft) : null;
        var input = new float[nfft];
        var spectrum = new float[nfft + 2];
        var band = new double[z.Length];
        var teo = new double[z.Length];
        var ac = new double[frameLength];
        for (int b = 0; b < bands; b++)
        {
            result[b] = new double[frames];
            double lo = TeoBandEdgesHz[b], hi = TeoBandEdgesHz[b + 1];
            if (hi >= 0.5 * fs * 0.98 || frames == 0)
            {
                Array.Fill(result[b], double.NaN);
                continue;
            }

            var filter = new NWaves.Filters.Butterworth.BandPassFilter(lo / fs, hi / fs, 2);
            for (int i = 0; i < z.Length; i++) band[i] = filter.Process((float)z[i]);
            teo[0] = 0;
            if (z.Length > 0) teo[^1] = 0;
            for (int i = 1; i < z.Length - 1; i++) teo[i] = band[i] * band[i] - band[i - 1] * band[i + 1];
            for (int f = 0; f < frames; f++)
            {
                int start = f * hop;
                Array.Clear(input);
                for (int i = 0; i < frameLength; i++) input[i] = (float)teo[start + i];
                plan!.Forward(input, spectrum);
                for (int k = 0; k < plan.BinCount; k++)
                {
                    float re = spectrum[2 * k], im = spectrum[2 * k + 1];
                    spectrum[2 * k] = re * re + im * im;
                    spectrum[2 * k + 1] = 0;
                }

                plan.Inverse(spectrum, input);
                double r0 = input[0];
                if (!(r0 > 0))
                {
                    result[b][f] = double.NaN;
                    continue;
                }

                for (int k = 0; k < frameLength; k++) ac[k] = input[k] / r0;
                result[b][f] = EnvelopeArea(ac);
            }
        }

        return result;
    }

    /// <summary>Area under the upper envelope e(k) = max over j ≥ k of r(j), divided by the number of lags.</summary>
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
}
