using AcousticCore.Classification;
using BenchmarkDotNet.Attributes;

namespace AcousticCore.Benchmarks;

/// <summary>
/// Classification cost per analysis window: features of 0.5 s of new audio (one window hop: 50 frames of
/// FFT, descriptors, bands, MFCC, harmonicity, contrast, chroma, the frame spectrum kept for the long-term
/// spectrum, then the window statistics, per-group modulation and context means) plus the perceptron inference.
/// </summary>
[MemoryDiagnoser]
public class ClassifierBenchmarks
{
    private AudioClassifier _classifier = null!;
    private float[] _hop = null!;
    private readonly Sink _sink = new();

    [Params(16000, 48000)]
    public int SampleRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = ClassifierModelFile.LoadDefault();
        _classifier = new AudioClassifier(model, SampleRate, 1);
        var rng = new Random(1);
        var warm = new float[SampleRate * 2];
        for (int i = 0; i < warm.Length; i++) warm[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
        _classifier.Push(warm, _sink);
        _hop = warm.AsSpan(0, SampleRate / 2).ToArray();
    }

    /// <summary>Pushes one window hop (0.5 s): exactly one window is classified per call.</summary>
    [Benchmark]
    public float ClassifyOneWindow()
    {
        _classifier.Push(_hop, _sink);
        return _sink.LastConfidence;
    }

    private sealed class Sink : IWindowClassificationSink
    {
        public float LastConfidence;

        public void OnWindow(in WindowClassification window) => LastConfidence = window.Confidence;
    }
}
