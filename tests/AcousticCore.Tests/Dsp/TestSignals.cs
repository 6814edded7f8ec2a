using System.Numerics;

namespace AcousticCore.Tests.Dsp;

/// <summary>Test signals whose answers are known by construction.</summary>
internal static class TestSignals
{
    public static float[] Sine(double frequencyHz, double amplitude, int sampleRate, int length, double phase = 0)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(amplitude * Math.Sin((2 * Math.PI * frequencyHz * i / sampleRate) + phase));
        return x;
    }

    /// <summary>
    /// Periodic pink noise of length 2^log2Length: every FFT bin k > 0 has magnitude ∝ 1/√k and a
    /// random phase (fixed seed), so the power per bin is ∝ 1/f and every constant-percentage band
    /// holds the same power by construction. Scaled to the given RMS.
    /// </summary>
    public static float[] PeriodicPinkNoise(int log2Length, double rms, int seed)
    {
        float[] unit;
        lock (PinkCache)
        {
            if (!PinkCache.TryGetValue((log2Length, seed), out unit!))
            {
                unit = MakePinkNoise(log2Length, 1.0, seed);
                PinkCache[(log2Length, seed)] = unit;
            }
        }

        var x = new float[unit.Length];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(unit[i] * rms);
        return x;
    }

    private static readonly Dictionary<(int, int), float[]> PinkCache = new();

    private static float[] MakePinkNoise(int log2Length, double rms, int seed)
    {
        int n = 1 << log2Length;
        var rng = new Random(seed);
        var spectrum = new Complex[n];
        for (int k = 1; k < n / 2; k++)
        {
            double magnitude = 1 / Math.Sqrt(k);
            double phase = rng.NextDouble() * 2 * Math.PI;
            spectrum[k] = Complex.FromPolarCoordinates(magnitude, phase);
            spectrum[n - k] = Complex.Conjugate(spectrum[k]);
        }

        FftSharp.FFT.Inverse(spectrum);
        double sumSq = 0;
        for (int i = 0; i < n; i++) sumSq += spectrum[i].Real * spectrum[i].Real;
        double scale = rms / Math.Sqrt(sumSq / n);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(spectrum[i].Real * scale);
        return x;
    }
}
