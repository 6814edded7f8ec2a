namespace AcousticCore.Dsp;

/// <summary>Analysis window applied to each frame before the FFT.</summary>
public enum WindowKind
{
    /// <summary>Hann (raised cosine); the default.</summary>
    Hann,
    /// <summary>Hamming.</summary>
    Hamming,
    /// <summary>4-term Blackman-Harris (−92 dB side lobes).</summary>
    BlackmanHarris,
    /// <summary>No taper.</summary>
    Rectangular,
}

/// <summary>
/// Periodic (DFT-even) window coefficients, designed once per (kind, size): Hann and Hamming from
/// FftSharp's periodic designs; Blackman-Harris (which FftSharp lacks) from Harris (1978), 4-term, −92 dB.
/// </summary>
public static class WindowDesign
{
    /// <summary>Returns <paramref name="size"/> window coefficients of the given kind (FftSharp's design).</summary>
    public static float[] Create(WindowKind kind, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        var result = new float[size];
        if (kind == WindowKind.BlackmanHarris)
        {
            for (int i = 0; i < size; i++)
            {
                double x = 2 * Math.PI * i / size;
                result[i] = (float)(0.35875 - 0.48829 * Math.Cos(x) + 0.14128 * Math.Cos(2 * x) - 0.01168 * Math.Cos(3 * x));
            }

            return result;
        }

        if (kind == WindowKind.Rectangular)
        {
            result.AsSpan().Fill(1f);
            return result;
        }

        FftSharp.IWindow window = kind switch
        {
            WindowKind.Hann => new FftSharp.Windows.HanningPeriodic(),
            WindowKind.Hamming => new FftSharp.Windows.HammingPeriodic(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown window."),
        };
        double[] w = window.Create(size, false);
        for (int i = 0; i < size; i++) result[i] = (float)w[i];
        return result;
    }

    /// <summary>Parses a CLI window name: hann, hamming, blackman-harris, rectangular.</summary>
    /// <returns>False when unknown.</returns>
    public static bool TryParse(string name, out WindowKind kind)
    {
        switch (name.ToLowerInvariant())
        {
            case "hann": case "hanning": kind = WindowKind.Hann; return true;
            case "hamming": kind = WindowKind.Hamming; return true;
            case "blackman-harris": case "blackmanharris": kind = WindowKind.BlackmanHarris; return true;
            case "rectangular": case "rect": case "none": kind = WindowKind.Rectangular; return true;
            default: kind = default; return false;
        }
    }
}
