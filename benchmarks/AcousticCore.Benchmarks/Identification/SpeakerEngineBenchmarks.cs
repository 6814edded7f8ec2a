using AcousticCore.Features;
using AcousticCore.Identification;
using BenchmarkDotNet.Attributes;

namespace AcousticCore.Benchmarks.Identification;

/// <summary>
/// Identification of a 3 s clip against 10 enrolled subjects with the embedded GMM-UBM model, and
/// one MFCC frame. Synthetic voiced signals (harmonic series with a moving F0 and formant-like
/// tilt) stand in for speech: the cost does not depend on who speaks.
/// </summary>
[MemoryDiagnoser]
public class SpeakerEngineBenchmarks
{
    private const int SampleRate = 16000;
    private GmmUbmSpeakerEngine _engine = null!;
    private byte[][] _voiceprints = null!;
    private float[] _clip = null!;
    private MfccExtractor _mfcc = null!;
    private float[] _power = null!;
    private float[] _coefficients = null!;

    private static float[] Voice(double f0, double seconds, int seed)
    {
        var rng = new Random(seed);
        var x = new float[(int)(seconds * SampleRate)];
        double phase = 0;
        for (int n = 0; n < x.Length; n++)
        {
            double t = (double)n / SampleRate;
            double f = f0 * (1 + 0.1 * Math.Sin(2 * Math.PI * 3 * t));
            phase += 2 * Math.PI * f / SampleRate;
            double s = 0;
            for (int h = 1; h * f < 3800; h++) s += Math.Sin(h * phase) / h;
            double syllable = 0.5 + 0.5 * Math.Sin(2 * Math.PI * 4 * t);
            x[n] = (float)(0.1 * syllable * s + 0.001 * (rng.NextDouble() - 0.5));
        }

        return x;
    }

    [GlobalSetup]
    public void Setup()
    {
        _engine = GmmUbmSpeakerEngine.LoadDefault();
        _voiceprints = new byte[10][];
        for (int s = 0; s < 10; s++) _voiceprints[s] = _engine.Enrol([Voice(90 + 15 * s, 6, s)], SampleRate);
        _clip = Voice(120, 3, 99);
        _mfcc = new MfccExtractor(SampleRate, 512, new MfccOptions());
        _power = new float[257];
        for (int k = 0; k < _power.Length; k++) _power[k] = 1f / (1 + k);
        _coefficients = new float[13];
        if (Math.Abs(IdentifyAgainstTen() - IdentifyAgainstTenSharedFeatures()) > 1e-9)
        {
            throw new InvalidOperationException("Shared-feature scoring disagrees with per-subject scoring.");
        }
    }

    /// <summary>Scores through the interface the policy gate uses: features are extracted per subject.</summary>
    [Benchmark(Baseline = true)]
    public double IdentifyAgainstTen()
    {
        double sum = 0;
        foreach (byte[] print in _voiceprints) sum += _engine.Score(print, _clip, SampleRate);
        return sum;
    }

    /// <summary>Extracts the clip's features once and scores them against every subject.</summary>
    [Benchmark]
    public double IdentifyAgainstTenSharedFeatures()
    {
        int frames = GmmUbmSpeakerEngine.ExtractTrialFeatures(_clip, SampleRate, out float[] features);
        double sum = 0;
        foreach (byte[] print in _voiceprints) sum += _engine.ScoreVoiceprint(print, features, frames);
        return sum;
    }

    /// <summary>One MFCC frame (26 filters, 13 coefficients) from a 512-point power spectrum.</summary>
    [Benchmark]
    public float MfccFrame()
    {
        _mfcc.Compute(_power, _coefficients);
        return _coefficients[1];
    }
}
