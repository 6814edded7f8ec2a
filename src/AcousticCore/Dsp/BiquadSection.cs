using System.Numerics;

namespace AcousticCore.Dsp;

/// <summary>
/// Coefficients of one second-order IIR section, normalised so a0 = 1:
/// H(z) = (b0 + b1·z⁻¹ + b2·z⁻²) / (1 + a1·z⁻¹ + a2·z⁻²).
/// </summary>
internal readonly record struct BiquadSection(double B0, double B1, double B2, double A1, double A2)
{
    /// <summary>The section that passes its input unchanged (used to pad lanes of a vector bank).</summary>
    public static BiquadSection Identity => new(1, 0, 0, 0, 0);

    /// <summary>Builds a section from an NWaves transfer function of order 2 or less.</summary>
    public static BiquadSection FromTransferFunction(NWaves.Filters.Base.TransferFunction tf)
    {
        ArgumentNullException.ThrowIfNull(tf);
        double[] b = tf.Numerator;
        double[] a = tf.Denominator;
        if (b.Length > 3 || a.Length > 3)
        {
            throw new ArgumentException("Transfer function is not of second order or less.", nameof(tf));
        }

        double a0 = a[0];
        return new BiquadSection(
            b[0] / a0,
            b.Length > 1 ? b[1] / a0 : 0,
            b.Length > 2 ? b[2] / a0 : 0,
            a.Length > 1 ? a[1] / a0 : 0,
            a.Length > 2 ? a[2] / a0 : 0);
    }

    /// <summary>Splits an NWaves transfer function into second-order sections (NWaves pairs the poles and zeros).</summary>
    public static BiquadSection[] FromHighOrder(NWaves.Filters.Base.TransferFunction tf)
    {
        var sos = NWaves.Filters.Fda.DesignFilter.TfToSos(tf);
        var sections = new BiquadSection[sos.Length];
        for (int i = 0; i < sos.Length; i++)
        {
            sections[i] = FromTransferFunction(sos[i]);
        }

        return sections;
    }

    /// <summary>The section scaled by <paramref name="gain"/> (numerator only).</summary>
    public BiquadSection Scaled(double gain) => this with { B0 = B0 * gain, B1 = B1 * gain, B2 = B2 * gain };

    /// <summary>Complex response at normalised frequency <paramref name="cyclesPerSample"/> (f / fs).</summary>
    public Complex Response(double cyclesPerSample)
    {
        var z1 = Complex.FromPolarCoordinates(1, -2 * Math.PI * cyclesPerSample);
        var z2 = z1 * z1;
        return (B0 + (B1 * z1) + (B2 * z2)) / (1 + (A1 * z1) + (A2 * z2));
    }

    /// <summary>Magnitude response in dB of a cascade at frequency <paramref name="frequencyHz"/>.</summary>
    public static double CascadeResponseDb(ReadOnlySpan<BiquadSection> sections, double frequencyHz, double sampleRate)
    {
        Complex h = Complex.One;
        foreach (var s in sections)
        {
            h *= s.Response(frequencyHz / sampleRate);
        }

        return 20 * Math.Log10(h.Magnitude);
    }
}
