namespace AcousticCore.Voice;

/// <summary>
/// Harmonics-to-noise ratio as Praat's "Sound: To Harmonicity (cc)..." defines it: a forward cross-correlation pitch
/// analysis with ceiling at Nyquist, no voicing threshold and no path costs; in each frame whose best candidate is voiced,
/// HNR = 10·log10(r / (1 − r)) with r its correlation strength (−150/+150 dB at the limits).
/// </summary>
public static class Harmonicity
{
    /// <summary>Default time step (0.01 s), floor (75 Hz), silence threshold (0.1) and periods per window (1) of the voice report.</summary>
    public const double DefaultTimeStepSeconds = 0.01, DefaultFloorHz = 75, DefaultSilenceThreshold = 0.1;

    /// <summary>HNR contour in dB per frame; NaN marks silent/unvoiced frames (Praat's −200).</summary>
    public static HarmonicityContour Analyze(ReadOnlySpan<float> samples, int sampleRate,
        double timeStepSeconds = DefaultTimeStepSeconds, double floorHz = DefaultFloorHz, double silenceThreshold = DefaultSilenceThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        if (!(timeStepSeconds > 0 && timeStepSeconds <= 1)) throw new ArgumentOutOfRangeException(nameof(timeStepSeconds), timeStepSeconds, "Must be in (0, 1] s.");
        if (!(floorHz >= 10 && floorHz <= 1000)) throw new ArgumentOutOfRangeException(nameof(floorHz), floorHz, "Must be 10 to 1000 Hz.");
        if (!(silenceThreshold >= 0 && silenceThreshold <= 1)) throw new ArgumentOutOfRangeException(nameof(silenceThreshold), silenceThreshold, "Must be 0 to 1.");
        var z = new double[samples.Length];
        for (int i = 0; i < z.Length; i++) z[i] = float.IsFinite(samples[i]) ? samples[i] : 0.0;
        return Analyze(z, sampleRate, timeStepSeconds, floorHz, silenceThreshold);
    }

    internal static HarmonicityContour Analyze(double[] z, double fs, double dt, double floor, double silence)
    {
        var raw = PitchAnalyzer.ComputeCandidates(z, fs, dt, floor, 1.0, 15, crossCorrelation: true, veryAccurate: true,
            voicingThreshold: 0.0, octaveCost: 0.0, ceiling: 0.5 * fs, refineMargin: 0.02,
            unvoicedBelowIntensity: PitchAnalyzer.ProvablyUnvoicedBelow(silence, 0.0, 0.0));
        var path = PitchAnalyzer.FindPath(raw, silence, 0.0, 0.0, 0.0, 0.0);
        var db = new double[path.FrameCount];
        for (int i = 0; i < db.Length; i++)
        {
            if (path.FrequenciesHz[i] == 0)
            {
                db[i] = double.NaN;
                continue;
            }

            double r = path.Strengths[i];
            db[i] = r <= 1e-15 ? -150.0 : r > 1.0 - 1e-15 ? 150.0 : 10.0 * Math.Log10(r / (1.0 - r));
        }

        return new HarmonicityContour(path.FirstFrameTimeSeconds, path.TimeStepSeconds, db);
    }
}

/// <summary>HNR per frame (dB), NaN for frames without a voiced candidate. Immutable.</summary>
public sealed class HarmonicityContour
{
    private readonly double[] _db;

    internal HarmonicityContour(double t1, double dt, double[] db)
    {
        FirstFrameTimeSeconds = t1;
        TimeStepSeconds = dt;
        _db = db;
    }

    /// <summary>Centre time of frame 0, seconds.</summary>
    public double FirstFrameTimeSeconds { get; }

    /// <summary>Frame step, seconds.</summary>
    public double TimeStepSeconds { get; }

    /// <summary>HNR per frame in dB; NaN where Praat writes −200 (no voiced candidate).</summary>
    public ReadOnlySpan<double> ValuesDb => _db;

    /// <summary>Mean HNR over the sounding frames whose centre lies in [tmin, tmax] (all frames when tmax ≤ tmin); NaN when none.</summary>
    public double MeanDb(double tmin = 0, double tmax = 0)
    {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < _db.Length; i++)
        {
            double t = FirstFrameTimeSeconds + i * TimeStepSeconds;
            if (tmax > tmin && (t < tmin || t > tmax)) continue;
            if (double.IsNaN(_db[i])) continue;
            sum += _db[i];
            n++;
        }

        return n > 0 ? sum / n : double.NaN;
    }
}
