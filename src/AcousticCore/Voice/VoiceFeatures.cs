namespace AcousticCore.Voice;

/// <summary>
/// Voice descriptors of one time range (a voiced segment or a whole file). NaN means undefined for this range
/// (<see cref="Note"/> says why when the whole range has nothing to measure). Signal descriptors only: not truth, threat or emotion scores.
/// </summary>
public sealed class VoiceFeatures
{
    /// <summary>Start of the range, seconds from the start of the sound.</summary>
    public double StartSeconds { get; init; }

    /// <summary>Length of the range, seconds.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>Total length of voiced pitch frames in the range, seconds (frames × time step).</summary>
    public double VoicedDurationSeconds { get; init; }

    /// <summary>Why values are undefined (e.g. no voiced frames), or empty.</summary>
    public string Note { get; init; } = "";

    /// <summary>Mean F0 over voiced frames, Hz (Praat "Get mean").</summary>
    public double F0MeanHz { get; init; } = double.NaN;

    /// <summary>Standard deviation (n − 1) of F0 over voiced frames, Hz.</summary>
    public double F0SdHz { get; init; } = double.NaN;

    /// <summary>Lowest voiced-frame F0, Hz (no interpolation).</summary>
    public double F0MinHz { get; init; } = double.NaN;

    /// <summary>Highest voiced-frame F0, Hz (no interpolation).</summary>
    public double F0MaxHz { get; init; } = double.NaN;

    /// <summary>Median F0, Hz (Praat's quantile rule).</summary>
    public double F0MedianHz { get; init; } = double.NaN;

    /// <summary>Mean F0 in semitones re 27.5 Hz: 12·log2(F0 / 27.5).</summary>
    public double F0MeanSemitones { get; init; } = double.NaN;

    /// <summary>Standard deviation of F0 in semitones.</summary>
    public double F0SdSemitones { get; init; } = double.NaN;

    /// <summary>20th percentile of F0, semitones re 27.5 Hz.</summary>
    public double F0P20Semitones { get; init; } = double.NaN;

    /// <summary>50th percentile of F0, semitones re 27.5 Hz.</summary>
    public double F0P50Semitones { get; init; } = double.NaN;

    /// <summary>80th percentile of F0, semitones re 27.5 Hz.</summary>
    public double F0P80Semitones { get; init; } = double.NaN;

    /// <summary>80th minus 20th percentile of F0, semitones (eGeMAPS "pctlrange0-2").</summary>
    public double F0RangeSemitones { get; init; } = double.NaN;

    /// <summary>Mean slope of rising F0 stretches, semitones per second (positive).</summary>
    public double F0RisingSlopeSemitonesPerSecond { get; init; } = double.NaN;

    /// <summary>Mean slope of falling F0 stretches, semitones per second (negative).</summary>
    public double F0FallingSlopeSemitonesPerSecond { get; init; } = double.NaN;

    /// <summary>Number of glottal pulses in the range.</summary>
    public int PulseCount { get; init; }

    /// <summary>Jitter measures of the pulses in the range.</summary>
    public JitterMeasures? Jitter { get; init; }

    /// <summary>Shimmer measures of the pulses in the range.</summary>
    public ShimmerMeasures? Shimmer { get; init; }

    /// <summary>Mean HNR over sounding harmonicity frames, dB.</summary>
    public double HnrDb { get; init; } = double.NaN;

    /// <summary>Mean loudness over all spectral frames: Σ over Bark bands of band energy^0.3 (arbitrary units).</summary>
    public double LoudnessAu { get; init; } = double.NaN;

    /// <summary>Mean over voiced frames of 10·log10(E[1–5 kHz] / E[50 Hz–1 kHz]), dB.</summary>
    public double AlphaRatioDb { get; init; } = double.NaN;

    /// <summary>Mean over voiced frames of 10·log10(peak power in 0–2 kHz / peak power in 2–5 kHz), dB.</summary>
    public double HammarbergIndexDb { get; init; } = double.NaN;

    /// <summary>Mean over voiced frames of the regression slope of the dB power spectrum over 0–500 Hz, dB per Hz.</summary>
    public double SpectralSlope0To500 { get; init; } = double.NaN;

    /// <summary>Mean over voiced frames of the regression slope of the dB power spectrum over 500–1500 Hz, dB per Hz.</summary>
    public double SpectralSlope500To1500 { get; init; } = double.NaN;

    /// <summary>Voiced segments per second of the range.</summary>
    public double VoicedSegmentsPerSecond { get; init; } = double.NaN;

    /// <summary>Mean voiced-segment length, seconds.</summary>
    public double VoicedSegmentMeanSeconds { get; init; } = double.NaN;

    /// <summary>Standard deviation of voiced-segment length, seconds.</summary>
    public double VoicedSegmentSdSeconds { get; init; } = double.NaN;

    /// <summary>Share (0..1) of the detrended F0 contour's energy (semitones) in 8–12 Hz; contours steadier than 0.02 st RMS count as that.</summary>
    public double F0TremorRelativeEnergy { get; init; } = double.NaN;

    /// <summary>Share (0..1) of the detrended amplitude envelope's energy (dB) in 8–12 Hz; envelopes steadier than 0.1 dB RMS count as that.</summary>
    public double AmplitudeTremorRelativeEnergy { get; init; } = double.NaN;

    /// <summary>TEO-CB-Auto-Env per critical band (16 bands, 100 Hz–3.7 kHz), mean over voiced frames; NaN above Nyquist.</summary>
    public IReadOnlyList<double> TeoCbAutoEnv { get; init; } = [];
}
