namespace AcousticCore.Features;

/// <summary>
/// Regression (delta) coefficients over a sequence of feature frames, HTK style.
/// </summary>
/// <remarks>
/// d_t = Σ_{θ=1}^{Θ} θ·(c_{t+θ} − c_{t−θ}) / (2·Σ_{θ=1}^{Θ} θ²), with frames beyond either end replaced
/// by the first or last frame (edge replication, as HTK does). Applying it to deltas gives
/// acceleration (delta-delta) coefficients. Allocates nothing.
/// </remarks>
public static class MfccDeltas
{
    /// <summary>Computes deltas of <paramref name="frameCount"/> frames of <paramref name="dimension"/> values each.</summary>
    /// <param name="features">Frames row-major: frame t occupies [t·dimension, (t+1)·dimension).</param>
    /// <param name="frameCount">Number of frames (≥ 1).</param>
    /// <param name="dimension">Values per frame (≥ 1).</param>
    /// <param name="halfWindow">Θ, frames on each side (1–10); 2 is usual.</param>
    /// <param name="deltas">Receives frameCount · dimension values, same layout; must not overlap <paramref name="features"/>.</param>
    public static void Compute(ReadOnlySpan<float> features, int frameCount, int dimension, int halfWindow, Span<float> deltas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(halfWindow, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(halfWindow, 10);
        long needed = (long)frameCount * dimension;
        if (features.Length < needed) throw new ArgumentException($"Features need {needed} values, got {features.Length}.", nameof(features));
        if (deltas.Length < needed) throw new ArgumentException($"Deltas need {needed} values, got {deltas.Length}.", nameof(deltas));

        float denominator = 0f;
        for (int th = 1; th <= halfWindow; th++) denominator += th * th;
        denominator *= 2f;

        for (int t = 0; t < frameCount; t++)
        {
            Span<float> d = deltas.Slice(t * dimension, dimension);
            d.Clear();
            for (int th = 1; th <= halfWindow; th++)
            {
                int ahead = Math.Min(t + th, frameCount - 1), behind = Math.Max(t - th, 0);
                ReadOnlySpan<float> a = features.Slice(ahead * dimension, dimension);
                ReadOnlySpan<float> b = features.Slice(behind * dimension, dimension);
                for (int i = 0; i < dimension; i++) d[i] += th * (a[i] - b[i]);
            }

            for (int i = 0; i < dimension; i++) d[i] /= denominator;
        }
    }
}
