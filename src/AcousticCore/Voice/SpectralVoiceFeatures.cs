using AcousticCore.Dsp;

namespace AcousticCore.Voice;

/// <summary>
/// Short-time spectral descriptors in the eGeMAPS sense (Eyben et al. 2016), computed on 25 ms Hamming-windowed frames every
/// 10 ms: loudness, alpha ratio, Hammarberg index and the two spectral slopes. Per-frame values are kept so functionals can be
/// taken over any time range.
/// </summary>
internal sealed class SpectralVoiceFeatures
{
    public const double FrameSeconds = 0.025, HopSeconds = 0.010;

    private SpectralVoiceFeatures(double[] times, double[] loudness, double[] alpha, double[] hammarberg, double[] slope0, double[] slope1)
    {
        Times = times;
        Loudness = loudness;
        AlphaRatioDb = alpha;
        HammarbergDb = hammarberg;
        Slope0To500 = slope0;
        Slope500To1500 = slope1;
    }

    public double[] Times { get; }
    public double[] Loudness { get; }
    public double[] AlphaRatioDb { get; }
    public double[] HammarbergDb { get; }
    public double[] Slope0To500 { get; }
    public double[] Slope500To1500 { get; }

    public static SpectralVoiceFeatures Compute(double[] z, double fs)
    {
        int frameLength = Math.Max(16, (int)Math.Round(FrameSeconds * fs));
        int hop = Math.Max(1, (int)Math.Round(HopSeconds * fs));
        int nfft = 16;
        while (nfft < frameLength) nfft *= 2;
        int frames = z.Length >= frameLength ? (z.Length - frameLength) / hop + 1 : 0;
        var times = new double[frames];
        var loud = new double[frames];
        var alpha = new double[frames];
        var ham = new double[frames];
        var s0 = new double[frames];
        var s1 = new double[frames];
        if (frames == 0) return new SpectralVoiceFeatures(times, loud, alpha, ham, s0, s1);

        var plan = new FftPlan(nfft);
        var input = new float[nfft];
        var spectrum = new float[nfft + 2];
        var power = new double[nfft / 2 + 1];
        var window = new double[frameLength];
        for (int i = 0; i < frameLength; i++) window[i] = 0.54 - 0.46 * Math.Cos(2 * Math.PI * i / (frameLength - 1));
        double binHz = fs / nfft;
        var barkBand = BarkBands(power.Length, binHz);
        var bandEnergy = new double[25];
        for (int f = 0; f < frames; f++)
        {
            int start = f * hop;
            Array.Clear(input);
            for (int i = 0; i < frameLength; i++) input[i] = (float)(z[start + i] * window[i]);
            plan.Forward(input, spectrum);
            for (int k = 0; k < power.Length; k++) power[k] = (double)spectrum[2 * k] * spectrum[2 * k] + (double)spectrum[2 * k + 1] * spectrum[2 * k + 1];
            times[f] = (start + 0.5 * frameLength) / fs;
            FrameFeatures(power, binHz, barkBand, bandEnergy, out loud[f], out alpha[f], out ham[f], out s0[f], out s1[f]);
        }

        return new SpectralVoiceFeatures(times, loud, alpha, ham, s0, s1);
    }

    /// <summary>Bark band (0..24) of each bin by Zwicker &amp; Terhardt's critical-band rate; −1 outside 20 Hz–15.5 kHz.</summary>
    private static int[] BarkBands(int bins, double binHz)
    {
        var band = new int[bins];
        for (int k = 0; k < bins; k++)
        {
            double f = k * binHz;
            if (f < 20 || f > 15_500)
            {
                band[k] = -1;
                continue;
            }

            double z = 13 * Math.Atan(0.00076 * f) + 3.5 * Math.Atan(f / 7500 * (f / 7500));
            band[k] = Math.Min(24, (int)z);
        }

        return band;
    }

    /// <summary>Per-frame features from a power spectrum (|X_k|², bins 0..N/2).</summary>
    internal static void FrameFeatures(ReadOnlySpan<double> power, double binHz, int[] barkBand, double[] bandEnergy,
        out double loudness, out double alphaRatioDb, out double hammarbergDb, out double slope0To500, out double slope500To1500)
    {
        Array.Clear(bandEnergy);
        double low = 0, high = 0, peakLow = 0, peakHigh = 0;
        for (int k = 0; k < power.Length; k++)
        {
            double f = k * binHz, p = power[k];
            if (barkBand[k] >= 0) bandEnergy[barkBand[k]] += p;
            if (f >= 50 && f < 1000) low += p;
            else if (f >= 1000 && f <= 5000) high += p;
            if (f > 0 && f <= 2000) peakLow = Math.Max(peakLow, p);
            else if (f > 2000 && f <= 5000) peakHigh = Math.Max(peakHigh, p);
        }

        // Stevens' power law on critical-band energies, as auditory-spectrum loudness does (arbitrary units)
        loudness = 0;
        foreach (double e in bandEnergy) loudness += Math.Pow(e, 0.3);
        alphaRatioDb = low > 0 && high > 0 ? 10 * Math.Log10(high / low) : double.NaN;
        hammarbergDb = peakLow > 0 && peakHigh > 0 ? 10 * Math.Log10(peakLow / peakHigh) : double.NaN;
        slope0To500 = LogSpectrumSlope(power, binHz, 0, 500);
        slope500To1500 = LogSpectrumSlope(power, binHz, 500, 1500);
    }

    /// <summary>Least-squares slope (dB per Hz) of 10·log10 power against frequency over the bins in [f1, f2]; NaN if fewer than 2 bins or silent.</summary>
    internal static double LogSpectrumSlope(ReadOnlySpan<double> power, double binHz, double f1, double f2)
    {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0;
        for (int k = (int)Math.Ceiling(f1 / binHz); k < power.Length && k * binHz <= f2; k++)
        {
            if (!(power[k] > 0)) return double.NaN;
            double x = k * binHz, y = 10 * Math.Log10(power[k]);
            sx += x; sy += y; sxx += x * x; sxy += x * y;
            n++;
        }

        double den = n * sxx - sx * sx;
        return n >= 2 && den > 0 ? (n * sxy - sx * sy) / den : double.NaN;
    }
}
