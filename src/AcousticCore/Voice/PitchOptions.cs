namespace AcousticCore.Voice;

/// <summary>How pitch candidates are scored: Praat's forward cross-correlation or Hann-windowed autocorrelation.</summary>
public enum PitchMethod
{
    /// <summary>Praat "To Pitch (cc)": forward cross-correlation, one period of the floor per window (the voice-report method).</summary>
    CrossCorrelation,

    /// <summary>Praat "To Pitch (ac)": Hann-windowed autocorrelation divided by the window's autocorrelation, three periods per window.</summary>
    Autocorrelation,
}

/// <summary>
/// Settings of the pitch analysis. Defaults are those of Praat's voice report: "To Pitch (cc)" with time step 0 (automatic),
/// floor 75 Hz, ceiling 600 Hz, 15 candidates, silence 0.03, voicing 0.45, octave cost 0.01, octave-jump 0.35, v/uv 0.14.
/// </summary>
public sealed class PitchOptions
{
    private readonly double _timeStep;
    private readonly double _floor = 75;
    private readonly double _ceiling = 600;
    private readonly int _maxCandidates = 15;
    private readonly double _silence = 0.03;
    private readonly double _voicing = 0.45;
    private readonly double _octaveCost = 0.01;
    private readonly double _octaveJumpCost = 0.35;
    private readonly double _voicedUnvoicedCost = 0.14;

    /// <summary>The voice-report settings (all defaults).</summary>
    public static PitchOptions VoiceReport { get; } = new();

    /// <summary>Analysis method; default <see cref="PitchMethod.CrossCorrelation"/>.</summary>
    public PitchMethod Method { get; init; } = PitchMethod.CrossCorrelation;

    /// <summary>Frame step in seconds; 0 (default) means Praat's automatic step: periods-per-window / floor / 4 (3.33 ms for cc at 75 Hz).</summary>
    public double TimeStepSeconds { get => _timeStep; init => _timeStep = Check(value, 0, 1, nameof(TimeStepSeconds)); }

    /// <summary>Lowest F0 searched, Hz (default 75); sets the window length.</summary>
    public double FloorHz { get => _floor; init => _floor = Check(value, 10, 1000, nameof(FloorHz)); }

    /// <summary>Highest F0 searched, Hz (default 600); clipped to the Nyquist frequency.</summary>
    public double CeilingHz { get => _ceiling; init => _ceiling = Check(value, 20, 96_000, nameof(CeilingHz)); }

    /// <summary>Maximum number of candidates per frame including the unvoiced one (default 15; raised to ceiling/floor when smaller).</summary>
    public int MaxCandidates
    {
        get => _maxCandidates;
        init => _maxCandidates = value is >= 2 and <= 1000 ? value : throw new ArgumentOutOfRangeException(nameof(MaxCandidates), value, "Must be 2 to 1000.");
    }

    /// <summary>Praat's "very accurate" switch: sinc interpolation depth 700 instead of 70 when refining maxima (default false).</summary>
    public bool VeryAccurate { get; init; }

    /// <summary>Frames whose local peak is below this fraction of the global peak tend to be unvoiced (default 0.03).</summary>
    public double SilenceThreshold { get => _silence; init => _silence = Check(value, 0, 1, nameof(SilenceThreshold)); }

    /// <summary>Strength of the unvoiced candidate; higher means fewer voiced frames (default 0.45).</summary>
    public double VoicingThreshold { get => _voicing; init => _voicing = Check(value, 0, 1, nameof(VoicingThreshold)); }

    /// <summary>Per-octave bonus for high-frequency candidates (default 0.01).</summary>
    public double OctaveCost { get => _octaveCost; init => _octaveCost = Check(value, 0, 1, nameof(OctaveCost)); }

    /// <summary>Path cost per octave of F0 jump between frames, scaled by 0.01 s / time step (default 0.35).</summary>
    public double OctaveJumpCost { get => _octaveJumpCost; init => _octaveJumpCost = Check(value, 0, 10, nameof(OctaveJumpCost)); }

    /// <summary>Path cost of a voiced/unvoiced transition, scaled by 0.01 s / time step (default 0.14).</summary>
    public double VoicedUnvoicedCost { get => _voicedUnvoicedCost; init => _voicedUnvoicedCost = Check(value, 0, 10, nameof(VoicedUnvoicedCost)); }

    private static double Check(double value, double min, double max, string name) =>
        double.IsFinite(value) && value >= min && value <= max
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"Must be a finite number from {min} to {max}.");
}
