using AcousticCore.Voice;
using BenchmarkDotNet.Attributes;

namespace AcousticCore.Benchmarks;

/// <summary>
/// Voice features for 60 s of a synthetic voiced signal (a 110–150 Hz glottal-like pulse train through three formant
/// resonators, with 0.3 s pauses every 1.2 s), at 16 kHz and 44.1 kHz: To Pitch (cc), pulses, jitter, shimmer, HNR and
/// the eGeMAPS-style set.
/// </summary>
[MemoryDiagnoser]
public class VoiceBenchmarks
{
    private float[] _signal = [];

    /// <summary>Sample rate of the 60 s signal.</summary>
    [Params(16000, 44100)]
    public int SampleRate { get; set; }

    [GlobalSetup]
    public void Setup() => _signal = MakeSpeechLike(SampleRate, 60);

    /// <summary>Pitch only (the part every other measure needs).</summary>
    [Benchmark(Baseline = true)]
    public int PitchCc() => PitchAnalyzer.Analyze(_signal, SampleRate).VoicedFrameCount;

    /// <summary>The full voice feature set, as <c>acoustic voice features</c> computes it.</summary>
    [Benchmark]
    public double AllFeatures() => VoiceAnalyzer.Analyze(_signal, SampleRate).Summary.F0MeanHz;

    internal static float[] MakeSpeechLike(int fs, double seconds)
    {
        var x = new float[(int)(fs * seconds)];
        double phase = 0, y1 = 0, y2 = 0, z1 = 0, z2 = 0;
        double r = Math.Exp(-Math.PI * 100 / fs), c1 = 2 * r * Math.Cos(2 * Math.PI * 700 / fs);
        double r2 = Math.Exp(-Math.PI * 120 / fs), c2 = 2 * r2 * Math.Cos(2 * Math.PI * 1200 / fs);
        for (int i = 0; i < x.Length; i++)
        {
            double t = i / (double)fs;
            bool voiced = t % 1.5 < 1.2;
            double f0 = 130 + 20 * Math.Sin(2 * Math.PI * 0.7 * t);
            phase += f0 / fs;
            double excitation = 0;
            if (phase >= 1)
            {
                phase -= 1;
                excitation = voiced ? 1 : 0;
            }

            double a = excitation + c1 * y1 - r * r * y2;
            y2 = y1;
            y1 = a;
            double b = a + c2 * z1 - r2 * r2 * z2;
            z2 = z1;
            z1 = b;
            x[i] = (float)(0.05 * b);
        }

        return x;
    }
}
