namespace AcousticCore.Voice;

/// <summary>
/// The F0 path of a recording: one frame every <see cref="TimeStepSeconds"/>, frame i centred at
/// <see cref="FirstFrameTimeSeconds"/> + i·step. A frequency of 0 means unvoiced. Immutable.
/// </summary>
public sealed class PitchContour
{
    private readonly double[] _f0;
    private readonly double[] _strength;

    internal PitchContour(double durationSeconds, double firstFrameTime, double timeStep, double ceilingHz, double[] f0, double[] strength)
    {
        DurationSeconds = durationSeconds;
        FirstFrameTimeSeconds = firstFrameTime;
        TimeStepSeconds = timeStep;
        CeilingHz = ceilingHz;
        _f0 = f0;
        _strength = strength;
        int voiced = 0;
        foreach (double f in f0)
        {
            if (f > 0 && f < ceilingHz) voiced++;
        }

        VoicedFrameCount = voiced;
    }

    /// <summary>Duration of the analysed sound in seconds (the contour's time domain is 0..duration).</summary>
    public double DurationSeconds { get; }

    /// <summary>Centre time of frame 0, seconds.</summary>
    public double FirstFrameTimeSeconds { get; }

    /// <summary>Frame step, seconds.</summary>
    public double TimeStepSeconds { get; }

    /// <summary>Pitch ceiling used (Hz); frames at or above it count as unvoiced.</summary>
    public double CeilingHz { get; }

    /// <summary>Number of frames.</summary>
    public int FrameCount => _f0.Length;

    /// <summary>Number of voiced frames.</summary>
    public int VoicedFrameCount { get; }

    /// <summary>F0 per frame in Hz, 0 for unvoiced frames.</summary>
    public ReadOnlySpan<double> FrequenciesHz => _f0;

    /// <summary>Correlation strength (0..1) of the chosen candidate per frame (0 for unvoiced frames).</summary>
    public ReadOnlySpan<double> Strengths => _strength;

    /// <summary>Centre time of frame <paramref name="frame"/> (0-based), seconds.</summary>
    public double TimeOfFrame(int frame) => FirstFrameTimeSeconds + frame * TimeStepSeconds;

    /// <summary>True when frame <paramref name="frame"/> is voiced.</summary>
    public bool IsVoiced(int frame) => _f0[frame] > 0 && _f0[frame] < CeilingHz;

    /// <summary>
    /// F0 at a time, linearly interpolated between the two nearest frames as Praat does: NaN when the nearest
    /// frame is unvoiced or the time is outside the sound; the nearest value when the other neighbour is unvoiced.
    /// </summary>
    public double ValueAtTime(double t)
    {
        if (!(t >= 0 && t <= DurationSeconds) || _f0.Length == 0) return double.NaN;
        double ireal = (t - FirstFrameTimeSeconds) / TimeStepSeconds; // 0-based real index
        int ileft = (int)Math.Floor(ireal);
        double phase = ireal - ileft;
        int inear, ifar;
        if (phase < 0.5)
        {
            inear = ileft;
            ifar = ileft + 1;
        }
        else
        {
            inear = ileft + 1;
            ifar = ileft;
            phase = 1.0 - phase;
        }

        if (inear < 0 || inear >= _f0.Length || !IsVoiced(inear)) return double.NaN;
        double near = _f0[inear];
        if (ifar < 0 || ifar >= _f0.Length || !IsVoiced(ifar)) return near;
        return near + phase * (_f0[ifar] - near);
    }
}
