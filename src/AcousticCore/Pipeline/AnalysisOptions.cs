using AcousticCore.Dsp;

namespace AcousticCore.Pipeline;

/// <summary>Settings of the analyse chain (levels, bands, spectral descriptors). Validated when set.</summary>
public sealed class AnalysisOptions
{
    private readonly double _intervalSeconds = 1.0;
    private readonly double _calibrationOffsetDb;

    /// <summary>Length of one reporting interval in seconds, 0.01..3600; default 1.</summary>
    public double IntervalSeconds
    {
        get => _intervalSeconds;
        init
        {
            if (!double.IsFinite(value) || value < 0.01 || value > 3600)
            {
                throw new ArgumentOutOfRangeException(nameof(IntervalSeconds), value, "Interval must be 0.01 to 3600 seconds.");
            }

            _intervalSeconds = value;
        }
    }

    /// <summary>Frame size, hop and window of the shared STFT.</summary>
    public StftOptions Stft { get; init; } = new();

    /// <summary>dB added to every level (dBFS → dB SPL); default 0, |X| ≤ 300.</summary>
    public double CalibrationOffsetDb
    {
        get => _calibrationOffsetDb;
        init
        {
            if (!double.IsFinite(value) || Math.Abs(value) > 300)
            {
                throw new ArgumentOutOfRangeException(nameof(CalibrationOffsetDb), value, "Calibration offset must be a finite number of dB within ±300.");
            }

            _calibrationOffsetDb = value;
        }
    }

    /// <summary>Whether third-octave band levels are computed; default true.</summary>
    public bool IncludeBands { get; init; } = true;

    /// <summary>Samples per interval at <paramref name="sampleRate"/> (rounded, at least 1).</summary>
    public long IntervalSamples(int sampleRate) => Math.Max(1, (long)Math.Round(IntervalSeconds * sampleRate));
}
