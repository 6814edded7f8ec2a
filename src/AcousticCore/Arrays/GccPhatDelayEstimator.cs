namespace AcousticCore.Arrays;

/// <summary>Time delay between two microphones estimated by GCC-PHAT.</summary>
/// <param name="DelaySeconds">Delay of the second signal relative to the first (positive: it arrives later), in seconds.</param>
/// <param name="DelaySamples">The same delay in samples (fractional).</param>
/// <param name="Peak">PHAT-weighted correlation at the delay: 1 for a perfectly coherent pair, near 0 for none.</param>
public readonly record struct TimeDelayEstimate(double DelaySeconds, double DelaySamples, double Peak);

/// <summary>
/// Generalised cross-correlation with phase transform (GCC-PHAT) between microphone pairs, from frame
/// spectra, with the correlation upsampled by zero-padding and a parabolic fit for sub-sample delays.
/// </summary>
/// <remarks>
/// With spectra A, B of one frame the cross-spectrum conj(A)·B is whitened to unit magnitude
/// (the phase transform), restricted to the analysed band, and inverse transformed at
/// <see cref="Interpolation"/> times the frame size. If b(t) = a(t − τ) the correlation peaks at +τ.
/// The correlation is normalised so a perfectly coherent pair scores 1. Searches stop at the largest
/// physically possible lag. Allocation-free after construction; one instance per thread.
/// </remarks>
public sealed class GccPhatDelayEstimator
{
    private readonly Dsp.FftPlan _inverse;
    private readonly float[] _padded;
    private readonly float[] _correlation;
    private readonly float[] _cross;
    private readonly double _scale;

    /// <summary>Creates an estimator for frames of <paramref name="frameSize"/> samples.</summary>
    /// <param name="frameSize">Frame length N (power of two, the spectra hold N + 2 floats).</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="maxDelaySeconds">Largest physically possible delay (microphone distance / speed of sound), &gt; 0.</param>
    /// <param name="minFrequencyHz">Lowest analysed frequency in Hz (default 200).</param>
    /// <param name="maxFrequencyHz">Highest analysed frequency in Hz (default 8000, clamped below Nyquist).</param>
    /// <param name="interpolation">Upsampling factor of the correlation, a power of two 1..16 (default 4).</param>
    public GccPhatDelayEstimator(int frameSize, int sampleRate, double maxDelaySeconds,
        double minFrequencyHz = 200, double maxFrequencyHz = 8000, int interpolation = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        if (!double.IsFinite(maxDelaySeconds) || maxDelaySeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDelaySeconds), maxDelaySeconds, "Must be a positive number of seconds.");
        }

        if (interpolation < 1 || interpolation > 16 || (interpolation & (interpolation - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(interpolation), interpolation, "Must be a power of two from 1 to 16.");
        }

        if (!double.IsFinite(minFrequencyHz) || !double.IsFinite(maxFrequencyHz) || minFrequencyHz < 0 || maxFrequencyHz <= minFrequencyHz)
        {
            throw new ArgumentOutOfRangeException(nameof(maxFrequencyHz), "The band needs 0 <= minFrequencyHz < maxFrequencyHz.");
        }

        FrameSize = frameSize;
        SampleRate = sampleRate;
        Interpolation = interpolation;
        _inverse = new Dsp.FftPlan(checked(frameSize * interpolation));
        FirstBin = Math.Max(1, (int)Math.Ceiling(minFrequencyHz * frameSize / sampleRate));
        LastBin = Math.Min(frameSize / 2 - 1, (int)Math.Floor(maxFrequencyHz * frameSize / sampleRate));
        if (LastBin < FirstBin)
        {
            throw new ArgumentOutOfRangeException(nameof(maxFrequencyHz), "The analysed band holds no FFT bin at this frame size and rate.");
        }

        MaxDelaySeconds = maxDelaySeconds;
        double maxLag = maxDelaySeconds * sampleRate;
        if (maxLag >= frameSize / 2.0)
        {
            throw new ArgumentOutOfRangeException(nameof(frameSize), frameSize,
                $"Frame of {frameSize} samples is too short for delays up to {maxLag:0.#} samples; use at least {4 * maxLag:0} samples.");
        }

        MaxLagSamples = maxLag;
        _padded = new float[_inverse.Size + 2];
        _correlation = new float[_inverse.Size];
        _cross = new float[frameSize + 2];
        // Inverse scales by 1/M; a unit cross-spectrum over B bins (counted twice by Hermitian symmetry) peaks at 2B/M.
        _scale = _inverse.Size / (2.0 * (LastBin - FirstBin + 1));
    }

    /// <summary>Frame length N in samples.</summary>
    public int FrameSize { get; }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Upsampling factor of the correlation.</summary>
    public int Interpolation { get; }

    /// <summary>First FFT bin of the analysed band.</summary>
    public int FirstBin { get; }

    /// <summary>Last FFT bin of the analysed band.</summary>
    public int LastBin { get; }

    /// <summary>Largest delay searched, in seconds.</summary>
    public double MaxDelaySeconds { get; }

    /// <summary>Largest delay searched, in samples.</summary>
    public double MaxLagSamples { get; }

    /// <summary>Length of the upsampled correlation (N·<see cref="Interpolation"/>).</summary>
    internal int CorrelationLength => _inverse.Size;

    /// <summary>Estimates the delay of <paramref name="spectrumB"/>'s signal relative to <paramref name="spectrumA"/>'s from one frame.</summary>
    public TimeDelayEstimate Estimate(ReadOnlySpan<float> spectrumA, ReadOnlySpan<float> spectrumB)
    {
        CheckSpectrum(spectrumA, nameof(spectrumA));
        CheckSpectrum(spectrumB, nameof(spectrumB));
        _cross.AsSpan().Clear();
        AccumulatePhat(spectrumA, spectrumB, _cross);
        return EstimateFromCrossSpectrum(_cross, 1);
    }

    /// <summary>
    /// Estimates the delay from a sum of <paramref name="frames"/> PHAT-weighted cross-spectra
    /// (see <see cref="AccumulatePhat"/>), which averages several frames before the peak search.
    /// </summary>
    public TimeDelayEstimate EstimateFromCrossSpectrum(ReadOnlySpan<float> crossSpectrumSum, int frames)
    {
        CheckSpectrum(crossSpectrumSum, nameof(crossSpectrumSum));
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        Correlate(crossSpectrumSum, frames, _correlation);
        int m = _correlation.Length;
        int maxLag = (int)Math.Floor(MaxLagSamples * Interpolation);
        int best = 0;
        float bestValue = float.NegativeInfinity;
        for (int lag = -maxLag; lag <= maxLag; lag++)
        {
            float v = _correlation[lag < 0 ? lag + m : lag];
            if (v > bestValue)
            {
                bestValue = v;
                best = lag;
            }
        }

        double offset = 0, peak = bestValue;
        if (best > -maxLag && best < maxLag)
        {
            double y0 = _correlation[best - 1 < 0 ? best - 1 + m : best - 1];
            double y2 = _correlation[best + 1 < 0 ? best + 1 + m : best + 1];
            double denom = y0 - 2 * bestValue + y2;
            if (denom < 0)
            {
                offset = 0.5 * (y0 - y2) / denom;
                peak = bestValue - 0.25 * (y0 - y2) * offset;
            }
        }

        double samples = (best + offset) / Interpolation;
        samples = Math.Clamp(samples, -MaxLagSamples, MaxLagSamples);
        return new TimeDelayEstimate(samples / SampleRate, samples, peak);
    }

    /// <summary>
    /// Adds the PHAT-weighted cross-spectrum conj(A)·B / |A·B| of one frame over the analysed band to
    /// <paramref name="accumulator"/> (N + 2 floats); bins where either spectrum is zero add nothing.
    /// </summary>
    public void AccumulatePhat(ReadOnlySpan<float> spectrumA, ReadOnlySpan<float> spectrumB, Span<float> accumulator)
    {
        CheckSpectrum(accumulator, nameof(accumulator));
        for (int k = FirstBin; k <= LastBin; k++)
        {
            float ar = spectrumA[2 * k], ai = spectrumA[2 * k + 1];
            float br = spectrumB[2 * k], bi = spectrumB[2 * k + 1];
            float gr = ar * br + ai * bi;
            float gi = ar * bi - ai * br;
            float mag = MathF.Sqrt(gr * gr + gi * gi);
            if (mag > 1e-30f)
            {
                accumulator[2 * k] += gr / mag;
                accumulator[2 * k + 1] += gi / mag;
            }
        }
    }

    /// <summary>
    /// Upsampled, normalised correlation of a summed cross-spectrum: <paramref name="correlation"/>
    /// (N·Interpolation floats) holds lag l at index l mod length, in units of 1/(Interpolation·rate).
    /// </summary>
    internal void Correlate(ReadOnlySpan<float> crossSpectrumSum, int frames, Span<float> correlation)
    {
        _padded.AsSpan().Clear();
        crossSpectrumSum.Slice(2 * FirstBin, 2 * (LastBin - FirstBin + 1)).CopyTo(_padded.AsSpan(2 * FirstBin));
        _inverse.Inverse(_padded, correlation);
        float scale = (float)(_scale / frames);
        for (int i = 0; i < correlation.Length; i++) correlation[i] *= scale;
    }

    private void CheckSpectrum(ReadOnlySpan<float> spectrum, string name)
    {
        if (spectrum.Length < FrameSize + 2)
        {
            throw new ArgumentException($"A spectrum needs {FrameSize + 2} floats (N + 2 interleaved re/im).", name);
        }
    }
}
