using System.Globalization;

namespace AcousticCore.Dsp;

/// <summary>
/// One one-third-octave band of IEC 61260-1 (base-10 system, G = 10^(3/10)): exact mid-band
/// frequency 1000·10^(n/10) Hz, edges at the mid-band frequency times 10^(±1/20).
/// </summary>
public sealed class ThirdOctaveBand
{
    private static readonly decimal[] Mantissas = [1m, 1.25m, 1.6m, 2m, 2.5m, 3.15m, 4m, 5m, 6.3m, 8m];

    internal ThirdOctaveBand(int index)
    {
        Index = index;
        ExactHz = 1000 * Math.Pow(10, index / 10.0);
        LowerEdgeHz = ExactHz * Math.Pow(10, -1 / 20.0);
        UpperEdgeHz = ExactHz * Math.Pow(10, 1 / 20.0);
        int decade = (int)Math.Floor(index / 10.0);
        decimal nominal = Mantissas[index - (10 * decade)];
        for (int i = 0; i < decade + 3; i++) nominal *= 10;
        for (int i = 0; i > decade + 3; i--) nominal /= 10;
        NominalHz = (double)nominal;
        Label = nominal.ToString("0.###", CultureInfo.InvariantCulture).Replace('.', '_');
    }

    /// <summary>Band number relative to the 1 kHz band (1 kHz = 0, 25 Hz = −16).</summary>
    internal int Index { get; }

    /// <summary>Nominal mid-band frequency in Hz as printed by IEC 61260-1 (e.g. 31.5, 1000, 12500).</summary>
    public double NominalHz { get; }

    /// <summary>Exact mid-band frequency in Hz, 1000·10^(n/10).</summary>
    public double ExactHz { get; }

    /// <summary>Lower band-edge frequency in Hz (exact mid-band frequency · 10^(−1/20)).</summary>
    public double LowerEdgeHz { get; }

    /// <summary>Upper band-edge frequency in Hz (exact mid-band frequency · 10^(1/20)).</summary>
    public double UpperEdgeHz { get; }

    /// <summary>The nominal frequency for field names: "25", "31_5", "1000", "12500".</summary>
    public string Label { get; }

    /// <summary>The bands from 25 Hz up to the highest band whose upper edge is below Nyquist.</summary>
    public static IReadOnlyList<ThirdOctaveBand> ForSampleRate(int sampleRate)
    {
        SampleRates.Validate(sampleRate, nameof(sampleRate));
        var bands = new List<ThirdOctaveBand>();
        for (int n = LowestIndex; ; n++)
        {
            var band = new ThirdOctaveBand(n);
            if (band.UpperEdgeHz >= sampleRate / 2.0) break;
            bands.Add(band);
        }

        return bands;
    }

    /// <summary>Index of the 25 Hz band.</summary>
    internal const int LowestIndex = -16;

    /// <inheritdoc/>
    public override string ToString() => $"{Label} Hz";
}
