using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AcousticCore.Identification;

/// <summary>
/// A Gaussian mixture with diagonal covariances: p(x) = Σ_k w_k · N(x; μ_k, diag σ²_k).
/// </summary>
/// <remarks>
/// Immutable after construction; per-component constants ln w_k − ½(D ln 2π + Σ ln σ²_k) and the
/// precisions 1/σ² are precomputed, so density evaluation allocates nothing and is thread-safe.
/// Binary form (little-endian): "ACGMMUBM", int32 version = 1, int32 K, int32 D, float64 decision
/// threshold, int32 n + n UTF-8 bytes of the feature description, K float32 weights, K·D float32
/// means, K·D float32 variances, then the 32-byte SHA-256 of everything before it.
/// </remarks>
internal sealed class DiagonalGmm
{
    public const int MaxComponents = 4096;
    public const int MaxDimension = 256;
    private const int Version = 1;
    private static ReadOnlySpan<byte> Magic => "ACGMMUBM"u8;

    private readonly float[] _weights;
    private readonly float[] _means;
    private readonly float[] _variances;
    private readonly float[] _precisions;
    private readonly double[] _logConstants;

    /// <exception cref="ArgumentException">Shapes disagree, or a value is not finite / positive where it must be.</exception>
    public DiagonalGmm(float[] weights, float[] means, float[] variances)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(variances);
        int k = weights.Length;
        if (k < 1 || k > MaxComponents) throw new ArgumentException($"Component count {k} outside 1..{MaxComponents}.", nameof(weights));
        if (means.Length % k != 0 || means.Length / k < 1 || means.Length / k > MaxDimension)
        {
            throw new ArgumentException($"Means length {means.Length} is not K·D with K = {k}, D ≤ {MaxDimension}.", nameof(means));
        }

        if (variances.Length != means.Length) throw new ArgumentException("Variances and means differ in length.", nameof(variances));
        int d = means.Length / k;
        double weightSum = 0;
        for (int i = 0; i < k; i++)
        {
            if (!float.IsFinite(weights[i]) || weights[i] <= 0) throw new ArgumentException($"Weight {i} is not positive and finite.", nameof(weights));
            weightSum += weights[i];
        }

        if (Math.Abs(weightSum - 1) > 1e-3) throw new ArgumentException($"Weights sum to {weightSum}, not 1.", nameof(weights));
        for (int i = 0; i < means.Length; i++)
        {
            if (!float.IsFinite(means[i])) throw new ArgumentException($"Mean {i} is not finite.", nameof(means));
            if (!float.IsFinite(variances[i]) || variances[i] <= 0) throw new ArgumentException($"Variance {i} is not positive and finite.", nameof(variances));
        }

        ComponentCount = k;
        Dimension = d;
        _weights = (float[])weights.Clone();
        _means = (float[])means.Clone();
        _variances = (float[])variances.Clone();
        _precisions = new float[means.Length];
        _logConstants = new double[k];
        for (int c = 0; c < k; c++)
        {
            double logDet = 0;
            for (int i = 0; i < d; i++)
            {
                logDet += Math.Log(_variances[c * d + i]);
                _precisions[c * d + i] = 1f / _variances[c * d + i];
            }

            _logConstants[c] = Math.Log(_weights[c]) - 0.5 * (d * Math.Log(2 * Math.PI) + logDet);
        }
    }

    public int ComponentCount { get; }

    public int Dimension { get; }

    public ReadOnlySpan<float> Weights => _weights;

    public ReadOnlySpan<float> Means => _means;

    public ReadOnlySpan<float> Variances => _variances;

    /// <summary>ln(w_k · N(x; μ_k, σ²_k)) for every component k.</summary>
    public void WeightedComponentLogDensities(ReadOnlySpan<float> x, Span<double> logDensities)
    {
        for (int c = 0; c < ComponentCount; c++)
        {
            logDensities[c] = WeightedComponentLogDensity(c, x, _means);
        }
    }

    /// <summary>ln(w_k · N(x; μ'_k, σ²_k)) of component k with the means taken from <paramref name="means"/> (K·D, e.g. MAP-adapted).</summary>
    public double WeightedComponentLogDensity(int component, ReadOnlySpan<float> x, ReadOnlySpan<float> means)
    {
        int d = Dimension, o = component * d;
        ReadOnlySpan<float> mu = means.Slice(o, d), prec = _precisions.AsSpan(o, d);
        float q = 0f;
        for (int i = 0; i < d; i++)
        {
            float diff = x[i] - mu[i];
            q += diff * diff * prec[i];
        }

        return _logConstants[component] - 0.5 * q;
    }

    /// <summary>ln p(x); <paramref name="scratch"/> needs <see cref="ComponentCount"/> values.</summary>
    public double LogLikelihood(ReadOnlySpan<float> x, Span<double> scratch)
    {
        Span<double> l = scratch[..ComponentCount];
        WeightedComponentLogDensities(x, l);
        return LogSumExp(l);
    }

    /// <summary>ln Σ exp(v_i), computed stably.</summary>
    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values) max = Math.Max(max, v);
        if (double.IsNegativeInfinity(max)) return max;
        double sum = 0;
        foreach (double v in values) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }

    /// <summary>Serialises the model with a decision threshold and feature description (format in the remarks).</summary>
    public byte[] Serialize(double decisionThreshold, string featureDescription)
    {
        byte[] desc = Encoding.UTF8.GetBytes(featureDescription);
        int k = ComponentCount, n = _means.Length;
        int bodyLength = Magic.Length + 4 + 4 + 4 + 8 + 4 + desc.Length + 4 * (k + 2 * n);
        var bytes = new byte[bodyLength + SHA256.HashSizeInBytes];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        int p = Magic.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[p..], Version); p += 4;
        BinaryPrimitives.WriteInt32LittleEndian(span[p..], k); p += 4;
        BinaryPrimitives.WriteInt32LittleEndian(span[p..], Dimension); p += 4;
        BinaryPrimitives.WriteDoubleLittleEndian(span[p..], decisionThreshold); p += 8;
        BinaryPrimitives.WriteInt32LittleEndian(span[p..], desc.Length); p += 4;
        desc.CopyTo(span[p..]); p += desc.Length;
        foreach (float v in _weights) { BinaryPrimitives.WriteSingleLittleEndian(span[p..], v); p += 4; }
        foreach (float v in _means) { BinaryPrimitives.WriteSingleLittleEndian(span[p..], v); p += 4; }
        foreach (float v in _variances) { BinaryPrimitives.WriteSingleLittleEndian(span[p..], v); p += 4; }
        SHA256.HashData(span[..p], span[p..]);
        return bytes;
    }

    /// <summary>Parses and validates a serialised model; any damage raises <see cref="InvalidDataException"/>.</summary>
    public static DiagonalGmm Parse(ReadOnlySpan<byte> bytes, out double decisionThreshold, out string featureDescription)
    {
        const int header = 8 + 4 + 4 + 4 + 8 + 4;
        if (bytes.Length < header + SHA256.HashSizeInBytes) throw new InvalidDataException($"Model of {bytes.Length} bytes is too short.");
        if (!bytes[..Magic.Length].SequenceEqual(Magic)) throw new InvalidDataException("Model does not start with the ACGMMUBM signature.");
        int p = Magic.Length;
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes[p..]); p += 4;
        if (version != Version) throw new InvalidDataException($"Model version {version} is not supported (expected {Version}).");
        int k = BinaryPrimitives.ReadInt32LittleEndian(bytes[p..]); p += 4;
        int d = BinaryPrimitives.ReadInt32LittleEndian(bytes[p..]); p += 4;
        if (k < 1 || k > MaxComponents || d < 1 || d > MaxDimension) throw new InvalidDataException($"Model shape K = {k}, D = {d} is out of range.");
        decisionThreshold = BinaryPrimitives.ReadDoubleLittleEndian(bytes[p..]); p += 8;
        if (!double.IsFinite(decisionThreshold)) throw new InvalidDataException("Model decision threshold is not finite.");
        int descLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[p..]); p += 4;
        if (descLength < 0 || descLength > 1024) throw new InvalidDataException($"Model description length {descLength} is out of range.");
        long expected = (long)p + descLength + 4L * (k + 2L * k * d) + SHA256.HashSizeInBytes;
        if (bytes.Length != expected) throw new InvalidDataException($"Model is {bytes.Length} bytes; its header implies {expected}.");
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        int bodyLength = bytes.Length - SHA256.HashSizeInBytes;
        SHA256.HashData(bytes[..bodyLength], hash);
        if (!CryptographicOperations.FixedTimeEquals(hash, bytes[bodyLength..])) throw new InvalidDataException("Model checksum does not match its contents.");
        featureDescription = Encoding.UTF8.GetString(bytes.Slice(p, descLength)); p += descLength;
        var w = new float[k];
        var m = new float[k * d];
        var v = new float[k * d];
        for (int i = 0; i < w.Length; i++) { w[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[p..]); p += 4; }
        for (int i = 0; i < m.Length; i++) { m[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[p..]); p += 4; }
        for (int i = 0; i < v.Length; i++) { v[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[p..]); p += 4; }
        try
        {
            return new DiagonalGmm(w, m, v);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException("Model parameters are invalid: " + e.Message, e);
        }
    }
}
