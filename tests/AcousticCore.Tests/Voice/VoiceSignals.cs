namespace AcousticCore.Tests.Voice;

/// <summary>Signals whose voice properties are known by construction.</summary>
internal static class VoiceSignals
{
    /// <summary>Sine with optional sinusoidal FM (relative depth) and AM (relative depth) at a modulation rate.</summary>
    public static float[] Tone(int fs, double seconds, double f0, double amplitude = 0.5,
        double fmDepth = 0, double amDepth = 0, double modulationHz = 10)
    {
        var x = new float[(int)(seconds * fs)];
        double phase = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double t = i / (double)fs;
            double f = f0 * (1 + fmDepth * Math.Sin(2 * Math.PI * modulationHz * t));
            phase += 2 * Math.PI * f / fs;
            double a = amplitude * (1 + amDepth * Math.Sin(2 * Math.PI * modulationHz * t));
            x[i] = (float)(a * Math.Sin(phase));
        }

        return x;
    }

    /// <summary>Single-sample impulses at the given sample indices with the given amplitudes.</summary>
    public static float[] Impulses(int length, IReadOnlyList<int> positions, IReadOnlyList<double> amplitudes)
    {
        var x = new float[length];
        for (int k = 0; k < positions.Count; k++) x[positions[k]] = (float)amplitudes[k];
        return x;
    }

    public static float[] WhiteNoise(int length, double rms, int seed)
    {
        var rng = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            // Box–Muller
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            x[i] = (float)(rms * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return x;
    }
}
