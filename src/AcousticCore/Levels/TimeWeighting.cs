namespace AcousticCore.Levels;

/// <summary>Exponential time weightings of IEC 61672-1.</summary>
public enum TimeWeighting
{
    /// <summary>Fast: time constant 125 ms.</summary>
    Fast = 0,

    /// <summary>Slow: time constant 1 s.</summary>
    Slow = 1,

    /// <summary>Impulse (IEC 61672-1:2002 Annex, IEC 60651): 35 ms rise, then a 1.5 s decaying peak hold.</summary>
    Impulse = 2,
}

/// <summary>
/// Runs a time weighting over the squared samples of an already frequency-weighted signal and
/// tracks the weighted mean square (the quantity whose level is LAF, LAS, LAI).
/// </summary>
/// <remarks>
/// Discretised as y[n] = y[n−1] + α·(x[n]² − y[n−1]) with α = 1 − exp(−1/(τ·fs)), the exact
/// response of the analog first-order averager to a sample-and-hold input. Impulse runs the 35 ms
/// averager and then holds its peaks, decaying by exp(−1/(1.5 s·fs)) per sample (2.9 dB/s).
/// The detector starts at zero, as a meter switched on in silence. Not thread-safe; no allocation.
/// </remarks>
public sealed class TimeWeightingDetector
{
    /// <summary>Fast time constant in seconds.</summary>
    public const double FastSeconds = 0.125;

    /// <summary>Slow time constant in seconds.</summary>
    public const double SlowSeconds = 1.0;

    /// <summary>Impulse rise time constant in seconds.</summary>
    public const double ImpulseRiseSeconds = 0.035;

    /// <summary>Impulse decay time constant in seconds.</summary>
    public const double ImpulseDecaySeconds = 1.5;

    private readonly double _alpha;
    private readonly double _decay;
    private readonly bool _impulse;
    private double _average;
    private double _held;

    /// <summary>Creates a detector for <paramref name="weighting"/> at <paramref name="sampleRate"/> Hz (8000–192000).</summary>
    public TimeWeightingDetector(TimeWeighting weighting, int sampleRate)
    {
        Dsp.SampleRates.Validate(sampleRate, nameof(sampleRate));
        double tau = weighting switch
        {
            TimeWeighting.Fast => FastSeconds,
            TimeWeighting.Slow => SlowSeconds,
            TimeWeighting.Impulse => ImpulseRiseSeconds,
            _ => throw new ArgumentOutOfRangeException(nameof(weighting), weighting, "Unknown time weighting."),
        };
        Weighting = weighting;
        _alpha = CoefficientFor(tau, sampleRate);
        _impulse = weighting == TimeWeighting.Impulse;
        _decay = Math.Exp(-1 / (ImpulseDecaySeconds * sampleRate));
    }

    /// <summary>The time weighting this detector applies.</summary>
    public TimeWeighting Weighting { get; }

    /// <summary>The current time-weighted mean square (full-scale units squared).</summary>
    public double MeanSquare => _impulse ? _held : _average;

    /// <summary>The smoothing coefficient α = 1 − exp(−1/(τ·fs)).</summary>
    internal static double CoefficientFor(double timeConstantSeconds, int sampleRate) =>
        -double.ExpM1(-1 / (timeConstantSeconds * sampleRate));

    /// <summary>Feeds samples; returns the largest time-weighted mean square reached during them.</summary>
    public double Process(ReadOnlySpan<float> weightedSamples)
    {
        double max = 0;
        double average = _average;
        double held = _held;
        foreach (float s in weightedSamples)
        {
            double sq = (double)s * s;
            average += _alpha * (sq - average);
            double value = average;
            if (_impulse)
            {
                held = Math.Max(average, held * _decay);
                value = held;
            }

            if (value > max) max = value;
        }

        _average = average < Dsp.Denormals.Threshold ? 0 : average;
        _held = held < Dsp.Denormals.Threshold ? 0 : held;
        return max;
    }

    /// <summary>Returns the detector to zero.</summary>
    public void Reset()
    {
        _average = 0;
        _held = 0;
    }
}
