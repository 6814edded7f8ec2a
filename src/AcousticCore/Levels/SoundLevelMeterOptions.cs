namespace AcousticCore.Levels;

/// <summary>Settings of a <see cref="SoundLevelMeter"/>; validated when set.</summary>
public sealed class SoundLevelMeterOptions
{
    /// <summary>Largest accepted calibration offset magnitude, dB.</summary>
    public const double MaxCalibrationOffsetDb = 500;

    private readonly double _calibrationOffsetDb;

    /// <summary>
    /// Added to every dB output, e.g. the result of <see cref="CalibrationEstimator"/> to read dB SPL
    /// instead of dBFS. Default 0 (levels in dBFS). Must be finite and within ±500 dB.
    /// </summary>
    public double CalibrationOffsetDb
    {
        get => _calibrationOffsetDb;
        init
        {
            if (!double.IsFinite(value) || Math.Abs(value) > MaxCalibrationOffsetDb)
            {
                throw new ArgumentOutOfRangeException(nameof(CalibrationOffsetDb), value,
                    $"Calibration offset must be a finite number of dB within ±{MaxCalibrationOffsetDb}.");
            }

            _calibrationOffsetDb = value;
        }
    }

    /// <summary>Whether to run the one-third-octave band filters (about half the meter's cost). Default true.</summary>
    public bool IncludeBands { get; init; } = true;
}
