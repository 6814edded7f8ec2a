namespace AcousticCore.Arrays;

/// <summary>Settings of <see cref="SrpPhatLocator"/>; every value is checked when set.</summary>
public sealed class SrpPhatOptions
{
    private readonly int _frameSize = 1024;
    private readonly double _minFrequencyHz = 200;
    private readonly double _maxFrequencyHz = 8000;
    private readonly double _speedOfSoundMps = 343;
    private readonly double _azimuthStepDeg = 1;
    private readonly double _elevationStepDeg = 3;
    private readonly int _maxSources = 1;
    private readonly double _minSourceSeparationDeg = 20;
    private readonly int _interpolation = 4;

    /// <summary>Frame length in samples, a power of two 64..16384 (default 1024: 64 ms at 16 kHz, 21 ms at 48 kHz).</summary>
    public int FrameSize
    {
        get => _frameSize;
        init => _frameSize = value >= 64 && value <= 16384 && (value & (value - 1)) == 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(FrameSize), value, "Frame size must be a power of two from 64 to 16384.");
    }

    /// <summary>Lowest analysed frequency in Hz (default 200: below it a small array has almost no phase difference).</summary>
    public double MinFrequencyHz
    {
        get => _minFrequencyHz;
        init => _minFrequencyHz = double.IsFinite(value) && value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MinFrequencyHz), value, "Must be a finite frequency >= 0 Hz.");
    }

    /// <summary>Highest analysed frequency in Hz (default 8000; clamped just below Nyquist).</summary>
    public double MaxFrequencyHz
    {
        get => _maxFrequencyHz;
        init => _maxFrequencyHz = double.IsFinite(value) && value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxFrequencyHz), value, "Must be a finite frequency > 0 Hz.");
    }

    /// <summary>Speed of sound in m/s (default 343, air at 20 °C).</summary>
    public double SpeedOfSoundMps
    {
        get => _speedOfSoundMps;
        init => _speedOfSoundMps = double.IsFinite(value) && value >= 100 && value <= 2000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(SpeedOfSoundMps), value, "Must be 100..2000 m/s.");
    }

    /// <summary>Azimuth (or, for a linear array, axis-angle) grid step in degrees, 0.25..10 (default 1).</summary>
    public double AzimuthStepDeg
    {
        get => _azimuthStepDeg;
        init => _azimuthStepDeg = double.IsFinite(value) && value >= 0.25 && value <= 10
            ? value
            : throw new ArgumentOutOfRangeException(nameof(AzimuthStepDeg), value, "Must be 0.25..10 degrees.");
    }

    /// <summary>Elevation grid step in degrees for three-dimensional arrays, 0.5..15 (default 3).</summary>
    public double ElevationStepDeg
    {
        get => _elevationStepDeg;
        init => _elevationStepDeg = double.IsFinite(value) && value >= 0.5 && value <= 15
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ElevationStepDeg), value, "Must be 0.5..15 degrees.");
    }

    /// <summary>Number of sources reported per window (the strongest SRP peaks), 1..8 (default 1).</summary>
    public int MaxSources
    {
        get => _maxSources;
        init => _maxSources = value >= 1 && value <= 8
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxSources), value, "Must be 1..8.");
    }

    /// <summary>Smallest angle in degrees between two reported sources, 1..180 (default 20).</summary>
    public double MinSourceSeparationDeg
    {
        get => _minSourceSeparationDeg;
        init => _minSourceSeparationDeg = double.IsFinite(value) && value >= 1 && value <= 180
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MinSourceSeparationDeg), value, "Must be 1..180 degrees.");
    }

    /// <summary>Upsampling factor of the GCC-PHAT correlations, a power of two 1..16 (default 4).</summary>
    public int Interpolation
    {
        get => _interpolation;
        init => _interpolation = value >= 1 && value <= 16 && (value & (value - 1)) == 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Interpolation), value, "Must be a power of two from 1 to 16.");
    }

    /// <summary>The analysed band's upper edge at <paramref name="sampleRate"/>: <see cref="MaxFrequencyHz"/> clamped below Nyquist.</summary>
    public double EffectiveMaxFrequencyHz(int sampleRate) => Math.Min(MaxFrequencyHz, 0.5 * sampleRate * (1.0 - 2.0 / FrameSize));
}
