using AcousticCore.Classification;
using BenchmarkDotNet.Attributes;

namespace AcousticCore.Benchmarks;

/// <summary>
/// Classification cost per analysis window: features of 0.5 s of new audio (one window hop: 50 frames of
/// FFT, descriptors, bands, MFCC, harmonicity, contrast, chroma, the frame spectrum kept for the long-term
/// spectrum, then the window statistics, per-group modulation and context means) plus the inference of the
/// built-in model (perceptron and boosted trees); and the inference alone, with and without the trees.
/// </summary>
[MemoryDiagnoser]
public class ClassifierBenchmarks
{
    private AudioClassifier _classifier = null!;
    private float[] _hop = null!;
    private readonly Sink _sink = new();
    private ClassifierModel _model = null!;
    private ClassifierModel _perceptronOnly = null!;
    private float[] _features = null!;
    private readonly float[] _probabilities = new float[16];

    [Params(8000, 16000, 48000)]
    public int SampleRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = ClassifierModelFile.LoadDefault();
        _model = model;
        _perceptronOnly = new ClassifierModel(model.Classes, model.Settings, model.Means, model.StandardDeviations, model.HiddenWeights,
            model.HiddenBias, model.Weights, model.Bias, model.ConfidenceThreshold, model.Training);
        _features = model.Means.ToArray();
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

    /// <summary>Inference alone (perceptron + trees) on one feature vector (the training means).</summary>
    [Benchmark]
    public int InferenceOnly() => _model.Predict(_features, _probabilities);

    /// <summary>Inference of the perceptron alone, for comparison.</summary>
    [Benchmark]
    public int InferencePerceptronOnly() => _perceptronOnly.Predict(_features, _probabilities);

    private sealed class Sink : IWindowClassificationSink
    {
        public float LastConfidence;

        public void OnWindow(in WindowClassification window) => LastConfidence = window.Confidence;
    }
}
