using AcousticCore.Audio;

namespace AcousticCore.Classification;

/// <summary>One classified analysis window; valid only during the callback that receives it.</summary>
public readonly ref struct WindowClassification
{
    /// <summary>Creates the view.</summary>
    public WindowClassification(long startSample, int sampleCount, int sampleRate, ReadOnlySpan<float> probabilities,
        int bestClass, string label, ReadOnlySpan<float> features)
    {
        StartSample = startSample;
        SampleCount = sampleCount;
        SampleRate = sampleRate;
        Probabilities = probabilities;
        BestClass = bestClass;
        Label = label;
        Features = features;
    }

    /// <summary>First sample of the window, at the analysis rate <see cref="SampleRate"/>.</summary>
    public long StartSample { get; }

    /// <summary>Samples covered, at the analysis rate.</summary>
    public int SampleCount { get; }

    /// <summary>Analysis sample rate, Hz: the stream's, or twice it for a stream below 16 kHz.</summary>
    public int SampleRate { get; }

    /// <summary>Window start in seconds.</summary>
    public double TimeSeconds => (double)StartSample / SampleRate;

    /// <summary>Window length in seconds.</summary>
    public double DurationSeconds => (double)SampleCount / SampleRate;

    /// <summary>Probability per model class, summing to 1.</summary>
    public ReadOnlySpan<float> Probabilities { get; }

    /// <summary>Index of the most probable class.</summary>
    public int BestClass { get; }

    /// <summary>Probability of the most probable class.</summary>
    public float Confidence => Probabilities[BestClass];

    /// <summary>Reported label: the top class, or <see cref="ClassifierModel.UnknownLabel"/> below the model's threshold.</summary>
    public string Label { get; }

    /// <summary>The window's feature vector.</summary>
    public ReadOnlySpan<float> Features { get; }
}

/// <summary>Receives each window of an <see cref="AudioClassifier"/>.</summary>
public interface IWindowClassificationSink
{
    /// <summary>Called once per window in stream order.</summary>
    void OnWindow(in WindowClassification window);
}

/// <summary>
/// Streaming classifier of one audio stream: channels are averaged to mono, features are computed per
/// analysis window and passed through the model. Also keeps the file summary (mean probability per class).
/// </summary>
/// <remarks>Push and the per-window inference allocate nothing. One instance per stream and thread.</remarks>
public sealed class AudioClassifier : IWindowFeatureSink
{
    private readonly ClassifierModel _model;
    private readonly WindowFeatureExtractor _extractor;
    private readonly int _channels;
    private readonly float[] _mono = new float[4096];
    private readonly float[] _probabilities;
    private readonly double[] _probabilitySums;
    private IWindowClassificationSink? _sink;

    /// <summary>Creates a classifier for a stream of the given format.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Sample rate outside 8–192 kHz (8–16 kHz is analysed at twice the rate) or no channels.</exception>
    public AudioClassifier(ClassifierModel model, int sampleRate, int channels)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        _model = model;
        _channels = channels;
        _extractor = new WindowFeatureExtractor(sampleRate, model.Settings);
        _probabilities = new float[model.ClassCount];
        _probabilitySums = new double[model.ClassCount];
    }

    /// <summary>The model in use.</summary>
    public ClassifierModel Model => _model;

    /// <summary>Analysis sample rate in Hz (window positions count its samples): the stream's, or twice it below 16 kHz.</summary>
    public int SampleRate => _extractor.SampleRate;

    /// <summary>Windows classified so far.</summary>
    public long WindowCount => _extractor.WindowCount;

    /// <summary>Appends interleaved samples (whole frames); calls <paramref name="sink"/> per completed window.</summary>
    public void Push(ReadOnlySpan<float> interleaved, IWindowClassificationSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (interleaved.Length % _channels != 0)
        {
            throw new ArgumentException($"Block of {interleaved.Length} floats is not whole frames of {_channels} channels.", nameof(interleaved));
        }

        _sink = sink;
        FramesPushed += interleaved.Length / _channels;
        try
        {
            if (_channels == 1)
            {
                _extractor.Push(interleaved, this);
                return;
            }

            int framesPerChunk = _mono.Length;
            float scale = 1f / _channels;
            while (!interleaved.IsEmpty)
            {
                int frames = Math.Min(framesPerChunk, interleaved.Length / _channels);
                for (int i = 0; i < frames; i++)
                {
                    float s = 0;
                    ReadOnlySpan<float> f = interleaved.Slice(i * _channels, _channels);
                    for (int c = 0; c < f.Length; c++) s += f[c];
                    _mono[i] = s * scale;
                }

                _extractor.Push(_mono.AsSpan(0, frames), this);
                interleaved = interleaved[(frames * _channels)..];
            }
        }
        finally
        {
            _sink = null;
        }
    }

    /// <summary>Ends the stream (a clip shorter than one window still yields one window, see <see cref="WindowFeatureExtractor.Complete"/>).</summary>
    public void Complete(IWindowClassificationSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        try
        {
            _extractor.Complete(this);
        }
        finally
        {
            _sink = null;
        }
    }

    /// <summary>
    /// The stream's dominant class: the class with the highest mean probability over all windows, with that
    /// mean as confidence (<see cref="ClassifierModel.UnknownLabel"/> below the threshold). Null before any window.
    /// </summary>
    public ClassificationSummary? GetSummary()
    {
        long n = _extractor.WindowCount;
        if (n == 0) return null;
        var mean = new double[_probabilitySums.Length];
        int best = 0;
        for (int c = 0; c < mean.Length; c++)
        {
            mean[c] = _probabilitySums[c] / n;
            if (mean[c] > mean[best]) best = c;
        }

        return new ClassificationSummary(_model.LabelFor(best, mean[best]), best, mean[best], n, mean);
    }

    /// <summary>Sample frames pushed so far.</summary>
    public long FramesPushed { get; private set; }

    /// <summary>Classifies a whole source to its end; returns the summary (null when the source is shorter than ~0.13 s).</summary>
    public static ClassificationSummary? ClassifySource(ClassifierModel model, IAudioSource source, IWindowClassificationSink sink) =>
        ClassifySource(model, source, sink, out _);

    /// <summary>As <see cref="ClassifySource(ClassifierModel, IAudioSource, IWindowClassificationSink)"/>, also giving the frames read.</summary>
    public static ClassificationSummary? ClassifySource(ClassifierModel model, IAudioSource source, IWindowClassificationSink sink, out long frames)
    {
        ArgumentNullException.ThrowIfNull(source);
        var classifier = new AudioClassifier(model, source.Format.SampleRate, source.Format.Channels);
        var buffer = new float[8192 * source.Format.Channels];
        int read;
        while ((read = source.Read(buffer)) > 0) classifier.Push(buffer.AsSpan(0, read), sink);
        classifier.Complete(sink);
        frames = classifier.FramesPushed;
        return classifier.GetSummary();
    }

    /// <inheritdoc />
    void IWindowFeatureSink.OnWindow(long startSample, int sampleCount, ReadOnlySpan<float> features)
    {
        int best = _model.Predict(features, _probabilities);
        for (int c = 0; c < _probabilities.Length; c++) _probabilitySums[c] += _probabilities[c];
        string label = _model.LabelFor(best, _probabilities[best]);
        _sink!.OnWindow(new WindowClassification(startSample, sampleCount, _extractor.SampleRate, _probabilities, best, label, features));
    }
}

/// <summary>A stream's dominant class over all its windows.</summary>
/// <param name="Label">Dominant class, or <c>unknown</c> below the model's confidence threshold.</param>
/// <param name="BestClass">Index of the dominant class.</param>
/// <param name="Confidence">Mean probability of the dominant class over the windows.</param>
/// <param name="Windows">Windows classified.</param>
/// <param name="MeanProbabilities">Mean probability per class.</param>
public sealed record ClassificationSummary(string Label, int BestClass, double Confidence, long Windows, IReadOnlyList<double> MeanProbabilities);
