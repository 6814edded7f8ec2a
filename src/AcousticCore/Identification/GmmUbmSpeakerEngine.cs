using System.Buffers;
using System.Security.Cryptography;

namespace AcousticCore.Identification;

/// <summary>
/// GMM-UBM speaker verification (Reynolds, Quatieri &amp; Dunn 2000): a speaker model is the universal
/// background model with its means MAP-adapted to the speaker's enrolment audio; a trial's score is
/// the mean over voiced frames of ln p(x | speaker) − ln p(x | UBM), both evaluated on the top
/// <see cref="TopComponents"/> UBM components of each frame.
/// </summary>
/// <remarks>
/// MAP of the means with relevance factor r: n_k = Σ_t γ_k(t), E_k = Σ_t γ_k(t)·x_t / n_k,
/// α_k = n_k / (n_k + r), μ'_k = α_k·E_k + (1 − α_k)·μ_k. Weights and variances stay the UBM's.
/// Immutable and thread-safe; every call works on its own buffers (rented from the shared pool).
/// </remarks>
internal sealed class GmmUbmSpeakerEngine : ISpeakerEngine
{
    /// <summary>MAP relevance factor r (Reynolds et al. use 16).</summary>
    public const double RelevanceFactor = 16;

    /// <summary>Components per frame used for scoring (top-C of the UBM).</summary>
    public const int TopComponents = 5;

    /// <summary>Voiced speech needed to enrol, in seconds (over all clips).</summary>
    public const double MinEnrolmentSpeechSeconds = 3;

    /// <summary>Voiced speech needed to score a trial, in seconds.</summary>
    public const double MinTrialSpeechSeconds = 1;

    /// <summary>Name of the embedded background model.</summary>
    internal const string DefaultModelResource = "AcousticCore.Identification.ubm.bin";

    private static readonly Lazy<GmmUbmSpeakerEngine> Default = new(LoadDefaultCore, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly DiagonalGmm _ubm;
    private readonly byte[] _modelHash;

    /// <summary>Builds the engine from a serialised background model (see <see cref="DiagonalGmm"/>).</summary>
    /// <exception cref="InvalidDataException">The model is damaged or was made for other features.</exception>
    public GmmUbmSpeakerEngine(ReadOnlySpan<byte> model)
    {
        _ubm = DiagonalGmm.Parse(model, out double threshold, out string description);
        if (description != SpeakerFeatureExtractor.Description || _ubm.Dimension != SpeakerFeatureExtractor.Dimension)
        {
            throw new InvalidDataException($"Background model was trained on other features ('{description}').");
        }

        if (_ubm.ComponentCount < TopComponents) throw new InvalidDataException($"Background model has fewer than {TopComponents} components.");
        _modelHash = SHA256.HashData(model);
        DecisionThreshold = threshold;
        ModelId = $"gmm-ubm-map/k{_ubm.ComponentCount}-d{_ubm.Dimension}-r{RelevanceFactor}-top{TopComponents}/{Convert.ToHexStringLower(_modelHash)[..16]}";
    }

    /// <inheritdoc />
    public string ModelId { get; }

    /// <inheritdoc />
    public double DecisionThreshold { get; }

    internal DiagonalGmm Background => _ubm;

    /// <summary>The engine with the background model embedded in the library (loaded once).</summary>
    internal static GmmUbmSpeakerEngine LoadDefault() => Default.Value;

    private static GmmUbmSpeakerEngine LoadDefaultCore()
    {
        using Stream stream = typeof(GmmUbmSpeakerEngine).Assembly.GetManifestResourceStream(DefaultModelResource)
            ?? throw new InvalidDataException($"Embedded resource {DefaultModelResource} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new GmmUbmSpeakerEngine(copy.ToArray());
    }

    /// <inheritdoc />
    public byte[] Enrol(IReadOnlyList<float[]> clips, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.Count == 0) throw new ArgumentException("At least one clip is needed to enrol.", nameof(clips));
        if (clips.Count > 1000) throw new ArgumentException("At most 1000 clips can be enrolled at once.", nameof(clips));
        var extractor = new SpeakerFeatureExtractor(sampleRate);
        int k = _ubm.ComponentCount, d = _ubm.Dimension;
        var occupancy = new double[k];
        var firstOrder = new double[k * d];
        int totalFrames = 0;
        for (int i = 0; i < clips.Count; i++)
        {
            // Statistics are accumulated clip by clip so memory stays bounded by one clip's features.
            float[] clip = clips[i] ?? throw new ArgumentException($"Clip {i} is null.", nameof(clips));
            int frames = extractor.Extract(clip, out float[] features);
            AccumulateStatistics(_ubm, features, frames, occupancy, firstOrder);
            totalFrames += frames;
        }

        double seconds = totalFrames / extractor.FramesPerSecond;
        if (seconds < MinEnrolmentSpeechSeconds)
        {
            throw new ArgumentException($"Enrolment has {seconds:F2} s of voiced speech; at least {MinEnrolmentSpeechSeconds} s is needed.", nameof(clips));
        }

        float[] adapted = AdaptMeans(_ubm, occupancy, firstOrder, RelevanceFactor);
        return Voiceprint.Serialize(_modelHash, k, d, adapted);
    }

    /// <summary>Adds the zeroth- and first-order Baum–Welch statistics of the frames under <paramref name="ubm"/>.</summary>
    internal static void AccumulateStatistics(DiagonalGmm ubm, ReadOnlySpan<float> features, int frames, Span<double> occupancy, Span<double> firstOrder)
    {
        int k = ubm.ComponentCount, d = ubm.Dimension;
        Span<double> logp = k <= 1024 ? stackalloc double[k] : new double[k];
        for (int t = 0; t < frames; t++)
        {
            ReadOnlySpan<float> x = features.Slice(t * d, d);
            ubm.WeightedComponentLogDensities(x, logp);
            double total = DiagonalGmm.LogSumExp(logp);
            for (int c = 0; c < k; c++)
            {
                double g = Math.Exp(logp[c] - total);
                if (g < 1e-8) continue;
                occupancy[c] += g;
                for (int i = 0; i < d; i++) firstOrder[c * d + i] += g * x[i];
            }
        }
    }

    /// <summary>MAP-adapted means μ'_k = (Σ_t γ_k(t)·x_t + r·μ_k) / (n_k + r), i.e. α·E + (1 − α)·μ without dividing by a tiny n.</summary>
    internal static float[] AdaptMeans(DiagonalGmm ubm, ReadOnlySpan<double> occupancy, ReadOnlySpan<double> firstOrder, double relevanceFactor)
    {
        int k = ubm.ComponentCount, d = ubm.Dimension;
        var adapted = new float[k * d];
        ReadOnlySpan<float> means = ubm.Means;
        for (int c = 0; c < k; c++)
        {
            for (int i = 0; i < d; i++)
            {
                adapted[c * d + i] = (float)((firstOrder[c * d + i] + relevanceFactor * means[c * d + i]) / (occupancy[c] + relevanceFactor));
            }
        }

        return adapted;
    }

    /// <inheritdoc />
    public double Score(ReadOnlySpan<byte> voiceprint, ReadOnlySpan<float> audio, int sampleRate)
    {
        // The voiceprint is checked before any audio is processed: a corrupt one fails fast.
        int k = _ubm.ComponentCount, d = _ubm.Dimension;
        float[] means = ArrayPool<float>.Shared.Rent(k * d);
        try
        {
            Voiceprint.Parse(voiceprint, _modelHash, k, d, means);
            int frames = ExtractTrialFeatures(audio, sampleRate, out float[] features);
            return ScoreFeatures(means.AsSpan(0, k * d), features, frames);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(means);
        }
    }

    /// <inheritdoc />
    public double[] ScoreAll(IReadOnlyList<byte[]> voiceprints, ReadOnlySpan<float> audio, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(voiceprints);
        if (voiceprints.Count == 0) return [];
        // Features once per clip; each voiceprint is still validated before it is used.
        int frames = ExtractTrialFeatures(audio, sampleRate, out float[] features);
        var scores = new double[voiceprints.Count];
        for (int i = 0; i < scores.Length; i++) scores[i] = ScoreVoiceprint(voiceprints[i], features, frames);
        return scores;
    }

    /// <summary>Features of a trial clip, checked for enough voiced speech; lets one clip be scored against several voiceprints.</summary>
    /// <exception cref="ArgumentException">Too little voiced speech, or invalid audio.</exception>
    internal static int ExtractTrialFeatures(ReadOnlySpan<float> audio, int sampleRate, out float[] features)
    {
        var extractor = new SpeakerFeatureExtractor(sampleRate);
        int frames = extractor.Extract(audio, out features);
        double seconds = frames / extractor.FramesPerSecond;
        if (seconds < MinTrialSpeechSeconds)
        {
            throw new ArgumentException($"Audio has {seconds:F2} s of voiced speech; at least {MinTrialSpeechSeconds} s is needed to score.", nameof(audio));
        }

        return frames;
    }

    /// <summary>Score of already extracted trial features against one voiceprint.</summary>
    /// <exception cref="ArgumentException">The voiceprint is corrupt or belongs to another model.</exception>
    internal double ScoreVoiceprint(ReadOnlySpan<byte> voiceprint, ReadOnlySpan<float> features, int frames)
    {
        int k = _ubm.ComponentCount, d = _ubm.Dimension;
        float[] means = ArrayPool<float>.Shared.Rent(k * d);
        try
        {
            Voiceprint.Parse(voiceprint, _modelHash, k, d, means);
            return ScoreFeatures(means.AsSpan(0, k * d), features, frames);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(means);
        }
    }

    /// <summary>Mean top-C log-likelihood ratio of feature frames against adapted means; allocates nothing for K ≤ 1024.</summary>
    internal double ScoreFeatures(ReadOnlySpan<float> adaptedMeans, ReadOnlySpan<float> features, int frames)
    {
        int k = _ubm.ComponentCount, d = _ubm.Dimension;
        Span<double> logp = k <= 1024 ? stackalloc double[k] : new double[k];
        Span<int> top = stackalloc int[TopComponents];
        Span<double> ubmTop = stackalloc double[TopComponents];
        Span<double> spkTop = stackalloc double[TopComponents];
        double sum = 0;
        for (int t = 0; t < frames; t++)
        {
            ReadOnlySpan<float> x = features.Slice(t * d, d);
            _ubm.WeightedComponentLogDensities(x, logp);
            SelectTop(logp, top);
            for (int j = 0; j < top.Length; j++)
            {
                ubmTop[j] = logp[top[j]];
                spkTop[j] = _ubm.WeightedComponentLogDensity(top[j], x, adaptedMeans);
            }

            sum += DiagonalGmm.LogSumExp(spkTop) - DiagonalGmm.LogSumExp(ubmTop);
        }

        return sum / frames;
    }

    /// <summary>Indices of the largest values, best first (ties: lower index first, so results are deterministic).</summary>
    private static void SelectTop(ReadOnlySpan<double> values, Span<int> top)
    {
        int filled = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (filled == top.Length && v <= values[top[filled - 1]]) continue;
            int pos = filled < top.Length ? filled++ : filled - 1;
            while (pos > 0 && values[top[pos - 1]] < v)
            {
                top[pos] = top[pos - 1];
                pos--;
            }

            top[pos] = i;
        }
    }
}
