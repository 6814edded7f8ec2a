namespace AcousticCore.Tests.TestSupport;

/// <summary>Test signals whose properties are known by construction.</summary>
internal static class Signals
{
    public static float[] Sine(double frequencyHz, double amplitude, int sampleRate, int length, double phase = 0)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * frequencyHz * i / sampleRate + phase));
        return x;
    }

    /// <summary>Gaussian white noise with the given RMS (Box–Muller, fixed seed).</summary>
    public static float[] WhiteNoise(double rms, int length, int seed)
    {
        var rng = new Random(seed);
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            x[i] = (float)(rms * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return x;
    }

    /// <summary>Linear chirp from f0 to f1 over the whole length.</summary>
    public static float[] LinearChirp(double f0, double f1, double amplitude, int sampleRate, int length)
    {
        var x = new float[length];
        double duration = (double)length / sampleRate;
        double k = (f1 - f0) / duration;
        for (int i = 0; i < length; i++)
        {
            double t = (double)i / sampleRate;
            x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * (f0 * t + 0.5 * k * t * t)));
        }

        return x;
    }

    public static float[] Interleave(params float[][] channels)
    {
        int n = channels[0].Length, c = channels.Length;
        var x = new float[n * c];
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < c; ch++) x[i * c + ch] = channels[ch][i];
        }

        return x;
    }
}
