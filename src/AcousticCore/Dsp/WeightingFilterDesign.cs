using System.Numerics;
using NWaves.Filters.Base;
using NWaves.Filters.Fda;

namespace AcousticCore.Dsp;

/// <summary>
/// Designs the A and C weighting filters of IEC 61672-1 for a sample rate as second-order sections.
/// </summary>
/// <remarks>
/// The analog weightings (IEC 61672-1 Annex E) are products of first-order factors:
/// C(s) = k·s² / ((s + ω1)²(s + ω4)²) and A(s) = C(s)·s² / ((s + ω2)(s + ω3)).
/// The high-pass factors are mapped to the z-plane by NWaves' bilinear design (IirHpTf), which
/// pre-warps each corner so it lands exactly at its analog frequency; their corners are far below
/// Nyquist, so the bilinear frequency compression does not matter. The 12194 Hz low-pass pair is
/// close to (or above) Nyquist, where the bilinear transform forces a zero at fs/2 and is several dB
/// too low at 16 kHz (NWaves' pre-warped design: −2.9 dB at 48 kHz, −3.9 dB at 44.1 kHz). It is
/// therefore designed by magnitude matching instead: its poles by the matched-z map
/// p = exp(−2π·f4/fs), and its numerator chosen so that |H(e^jω)|² equals the analog
/// 1/(1 + (f/f4)²)² exactly at DC, at Nyquist and at min(f4, fs/4) (the three-point method of
/// M. Vicanek, "Matched Second Order Digital Filters", 2016). The cascade is then scaled to exactly
/// 0 dB at 1 kHz, which is what the standard's normalisation constants (A1000 = −2.000 dB,
/// C1000 = −0.062 dB) do.
/// Sections: [0] high-pass 20.6 Hz double pole, [1] low-pass 12194 Hz double pole, and for A
/// [2] high-pass 107.7 Hz · 737.9 Hz. A shares sections 0 and 1 with C.
/// </remarks>
internal static class WeightingFilterDesign
{
    // Pole frequencies from the closed-form expressions of IEC 61672-1:2013 Annex E (E.1–E.6),
    // given to more digits than the rounded 20.6 / 107.7 / 737.9 / 12194 Hz of the text.
    internal const double F1 = 20.598997;
    internal const double F2 = 107.65265;
    internal const double F3 = 737.86223;
    internal const double F4 = 12194.217;

    public static BiquadSection[] Design(FrequencyWeighting weighting, int sampleRate)
    {
        if (weighting == FrequencyWeighting.Z)
        {
            return [];
        }

        double fs = sampleRate;
        var highPass1 = DesignFilter.IirHpTf(F1 / fs, [new Complex(-1, 0), new Complex(-1, 0)]);
        var sections = new List<BiquadSection>(3)
        {
            BiquadSection.FromTransferFunction(highPass1),
            MatchedLowPassPair(fs),
        };

        if (weighting == FrequencyWeighting.A)
        {
            TransferFunction hp2 = DesignFilter.IirHpTf(F2 / fs, [new Complex(-1, 0)]);
            TransferFunction hp3 = DesignFilter.IirHpTf(F3 / fs, [new Complex(-1, 0)]);
            sections.Add(BiquadSection.FromTransferFunction(hp2 * hp3));
        }

        var result = sections.ToArray();
        double gainAt1k = Math.Pow(10, BiquadSection.CascadeResponseDb(result, 1000, fs) / 20);
        result[0] = result[0].Scaled(1 / gainAt1k);
        return result;
    }

    /// <summary>The analog low-pass pair 1/(1 + s/ω4)² as a magnitude-matched biquad (see remarks).</summary>
    internal static BiquadSection MatchedLowPassPair(double fs)
    {
        double p = Math.Exp(-2 * Math.PI * F4 / fs);
        double a1 = -2 * p;
        double a2 = p * p;

        // Squared magnitudes: target = analog power response; denominator = |1 + a1 z^-1 + a2 z^-2|^2.
        static double Target(double f) => 1 / Math.Pow(1 + ((f / F4) * (f / F4)), 2);
        double Denominator(double w)
        {
            var z1 = Complex.FromPolarCoordinates(1, -w);
            double m = (1 + (a1 * z1) + (a2 * z1 * z1)).Magnitude;
            return m * m;
        }

        // |N|^2 = B0·φ0 + B1·φ1 + B2·φ2 with φ1 = sin²(ω/2), φ0 = 1 − φ1, φ2 = 4·φ0·φ1.
        double b0Sq = Target(0) * Denominator(0);
        double b1Sq = Target(fs / 2) * Denominator(Math.PI);
        double fm = Math.Min(F4, fs / 4);
        double wm = 2 * Math.PI * fm / fs;
        double phi1 = Math.Pow(Math.Sin(wm / 2), 2);
        double phi0 = 1 - phi1;
        double phi2 = 4 * phi0 * phi1;
        double bb2 = ((Target(fm) * Denominator(wm)) - (b0Sq * phi0) - (b1Sq * phi1)) / phi2;

        double sum = Math.Sqrt(b0Sq);      // b0 + b1 + b2
        double alternating = Math.Sqrt(b1Sq); // b0 − b1 + b2
        double w = (sum + alternating) / 2;   // b0 + b2
        double b0 = (w + Math.Sqrt(Math.Max(0, (w * w) + bb2))) / 2;
        double b1 = (sum - alternating) / 2;
        double b2 = -bb2 / (4 * b0);
        return new BiquadSection(b0, b1, b2, a1, a2);
    }
}
