using System.Globalization;
using AcousticCore.Dsp;
using AcousticCore.Levels;

namespace AcousticCore.Pipeline;

/// <summary>Field names of the <c>interval</c> and <c>summary</c> records of the analyse chain.</summary>
public static class AnalysisFields
{
    /// <summary>Level fields present in both record kinds, in output order.</summary>
    public static readonly IReadOnlyList<string> Levels =
        ["laeq_db", "lceq_db", "lzeq_db", "lafmax_db", "lafmin_db", "lcpeak_db", "la10_db", "la50_db", "la90_db"];

    /// <summary>Spectral descriptor fields, in output order.</summary>
    public static readonly IReadOnlyList<string> Spectral =
    [
        "spectral_centroid_hz", "spectral_spread_hz", "spectral_flatness", "spectral_rolloff_hz",
        "spectral_flux", "spectral_crest", "spectral_slope", "zero_crossing_rate", "rms_db",
    ];

    /// <summary>Field name of a third-octave band's Z-weighted Leq, e.g. <c>lzeq_31_5hz_db</c>.</summary>
    public static string Band(ThirdOctaveBand band)
    {
        ArgumentNullException.ThrowIfNull(band);
        return "lzeq_" + band.Label + "hz_db";
    }

    /// <summary>Every column of the records for the given bands (same schema for both kinds).</summary>
    public static IReadOnlyList<string> All(IReadOnlyList<ThirdOctaveBand> bands, bool withLatency)
    {
        ArgumentNullException.ThrowIfNull(bands);
        var names = new List<string> { "kind", "file", "channel", "time_s", "duration_s" };
        names.AddRange(Levels);
        names.AddRange(Spectral);
        foreach (var b in bands) names.Add(Band(b));
        if (withLatency) names.Add("latency_ms");
        return names;
    }

    /// <summary>Every column for a stream of <paramref name="sampleRate"/> Hz, without building the chain.</summary>
    public static IReadOnlyList<string> All(int sampleRate, AnalysisOptions options, bool withLatency)
    {
        ArgumentNullException.ThrowIfNull(options);
        return All(options.IncludeBands ? ThirdOctaveBand.ForSampleRate(sampleRate) : [], withLatency);
    }

    /// <summary>Formats a number for a table cell with a fixed number of decimals; blank for non-finite.</summary>
    public static string Cell(double value, int decimals) =>
        double.IsFinite(value) ? value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "-";
}
