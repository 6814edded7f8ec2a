namespace AcousticCore.Levels;

/// <summary>
/// Sound levels of one channel over an interval or a whole stream, in dB re full scale (AES17: a
/// full-scale sine reads 0 dB) plus the meter's calibration offset. Preallocated by the caller and
/// filled by <see cref="SoundLevelMeter"/>, so reading levels allocates nothing.
/// </summary>
/// <remarks>
/// A level of −∞ means digital silence (mean square exactly zero); NaN means "not defined" (for
/// example LA10 of an interval, or any level of an interval with no samples).
/// </remarks>
public sealed class LevelValues
{
    /// <summary>Creates an empty value set with room for <paramref name="bandCount"/> band levels.</summary>
    public LevelValues(int bandCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bandCount);
        BandLeqDb = new double[bandCount];
        Clear();
    }

    /// <summary>Duration covered, in seconds.</summary>
    public double DurationS { get; internal set; }

    /// <summary>A-weighted equivalent continuous level LAeq, dB.</summary>
    public double LAeqDb { get; internal set; }

    /// <summary>C-weighted equivalent continuous level LCeq, dB.</summary>
    public double LCeqDb { get; internal set; }

    /// <summary>Z-weighted (unweighted) equivalent continuous level LZeq, dB.</summary>
    public double LZeqDb { get; internal set; }

    /// <summary>Maximum A-weighted Fast-time-weighted level LAFmax, dB.</summary>
    public double LAFmaxDb { get; internal set; }

    /// <summary>Minimum A-weighted Fast level LAFmin, dB (the first 0.625 s, five Fast time constants, of the stream are ignored).</summary>
    public double LAFminDb { get; internal set; }

    /// <summary>C-weighted peak level LCpeak: the largest |C-weighted sample|, dB re the peak of a full-scale sine's RMS (a full-scale sine reads +3.01 dB).</summary>
    public double LCpeakDb { get; internal set; }

    /// <summary>A-weighted Fast level exceeded 10 % of the time, dB (whole stream only; NaN for intervals).</summary>
    public double LA10Db { get; internal set; }

    /// <summary>A-weighted Fast level exceeded 50 % of the time, dB (whole stream only; NaN for intervals).</summary>
    public double LA50Db { get; internal set; }

    /// <summary>A-weighted Fast level exceeded 90 % of the time, dB (whole stream only; NaN for intervals).</summary>
    public double LA90Db { get; internal set; }

    /// <summary>Z-weighted one-third-octave band levels Leq, dB, in the order of <see cref="SoundLevelMeter.Bands"/>.</summary>
    public double[] BandLeqDb { get; }

    /// <summary>Sets every value to NaN and the duration to 0.</summary>
    internal void Clear()
    {
        DurationS = 0;
        LAeqDb = LCeqDb = LZeqDb = LAFmaxDb = LAFminDb = LCpeakDb = LA10Db = LA50Db = LA90Db = double.NaN;
        Array.Fill(BandLeqDb, double.NaN);
    }
}
