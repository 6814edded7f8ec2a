namespace AcousticCore.Dsp;

/// <summary>Guards for the sample rates the level and band filters are designed for.</summary>
internal static class SampleRates
{
    public const int Min = 8_000;
    public const int Max = 192_000;

    public static void Validate(int sampleRate, string paramName)
    {
        if (sampleRate < Min || sampleRate > Max)
        {
            throw new ArgumentOutOfRangeException(paramName, sampleRate,
                $"Sample rate must be between {Min} and {Max} Hz.");
        }
    }
}

/// <summary>Keeps recursive-filter state out of the subnormal range, where x86 arithmetic is ~100x slower.</summary>
internal static class Denormals
{
    /// <summary>States below this magnitude (about −2000 dB) are set to zero between blocks.</summary>
    public const double Threshold = 1e-100;

    public static void Flush(Span<double> state)
    {
        for (int i = 0; i < state.Length; i++)
        {
            if (Math.Abs(state[i]) < Threshold)
            {
                state[i] = 0;
            }
        }
    }
}
