namespace AcousticCore.Voice;

/// <summary>
/// Period and amplitude rules for jitter and shimmer, as Praat's "Get jitter"/"Get shimmer" take them. Defaults:
/// shortest period 0.0001 s, longest period 0.02 s, maximum period factor 1.3, maximum amplitude factor 1.6.
/// </summary>
public sealed class PerturbationOptions
{
    private readonly double _shortest = 0.0001;
    private readonly double _longest = 0.02;
    private readonly double _periodFactor = 1.3;
    private readonly double _amplitudeFactor = 1.6;

    /// <summary>The voice-report rules (all defaults).</summary>
    public static PerturbationOptions VoiceReport { get; } = new();

    /// <summary>Intervals shorter than this (seconds) are not periods (default 0.0001).</summary>
    public double ShortestPeriodSeconds { get => _shortest; init => _shortest = Check(value, 0, 1, nameof(ShortestPeriodSeconds)); }

    /// <summary>Intervals longer than this (seconds) are not periods (default 0.02, i.e. F0 above 50 Hz).</summary>
    public double LongestPeriodSeconds { get => _longest; init => _longest = Check(value, 0, 1, nameof(LongestPeriodSeconds)); }

    /// <summary>Largest ratio between consecutive periods that still counts (default 1.3).</summary>
    public double MaximumPeriodFactor { get => _periodFactor; init => _periodFactor = Check(value, 1, 100, nameof(MaximumPeriodFactor)); }

    /// <summary>Largest ratio between consecutive amplitudes that still counts (default 1.6).</summary>
    public double MaximumAmplitudeFactor { get => _amplitudeFactor; init => _amplitudeFactor = Check(value, 1, 100, nameof(MaximumAmplitudeFactor)); }

    private static double Check(double value, double min, double max, string name) =>
        double.IsFinite(value) && value >= min && value <= max
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"Must be a finite number from {min} to {max}.");
}
