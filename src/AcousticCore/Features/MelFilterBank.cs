namespace AcousticCore.Features;

/// <summary>How each triangular mel filter is scaled.</summary>
public enum MelFilterNormalization
{
    /// <summary>Every triangle peaks at 1 at its centre frequency (HTK convention).</summary>
    UnitPeak,

    /// <summary>Every triangle has unit area in Hz: peak height 2 / (upper edge − lower edge) (Slaney convention).</summary>
    UnitArea,
}

/// <summary>
/// A bank of triangular filters spaced evenly on the HTK mel scale, applied to a power spectrum.
/// </summary>
/// <remarks>
/// Mel scale: m(f) = 2595 · log10(1 + f / 700). For F filters between <c>lowFrequencyHz</c> and
/// <c>highFrequencyHz</c>, F + 2 edge frequencies are spaced evenly in mel; filter i rises linearly
/// in Hz from edge i to edge i + 1 (its centre) and falls linearly to edge i + 2. Weights are
/// evaluated at the FFT bin frequencies k · sampleRate / fftSize, k = 0..fftSize/2. The input is a
/// power spectrum |X[k]|² of fftSize/2 + 1 bins; the output is the weighted sum per filter. Tables
/// are built once; <see cref="Apply"/> allocates nothing.
/// </remarks>
public sealed class MelFilterBank
{
    private readonly int[] _firstBin;
    private readonly float[][] _weights;
    private readonly double[] _edgesHz;

    /// <summary>Builds the filter bank for one sample rate, FFT size and frequency range.</summary>
    /// <param name="sampleRate">Sample rate in Hz (1000–384000).</param>
    /// <param name="fftSize">FFT size in samples; the power spectrum has fftSize/2 + 1 bins.</param>
    /// <param name="filterCount">Number of triangular filters (1–256).</param>
    /// <param name="lowFrequencyHz">Lower edge of the first filter in Hz (≥ 0).</param>
    /// <param name="highFrequencyHz">Upper edge of the last filter in Hz (≤ sampleRate / 2, above the lower edge).</param>
    /// <param name="normalization">Peak or area normalisation of each triangle.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range, or a filter would contain no FFT bin.</exception>
    public MelFilterBank(int sampleRate, int fftSize, int filterCount, double lowFrequencyHz, double highFrequencyHz,
        MelFilterNormalization normalization = MelFilterNormalization.UnitPeak)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRate, 384_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(fftSize, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fftSize, 65_536);
        ArgumentOutOfRangeException.ThrowIfLessThan(filterCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(filterCount, 256);
        if (!double.IsFinite(lowFrequencyHz) || lowFrequencyHz < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lowFrequencyHz), lowFrequencyHz, "Lower frequency must be finite and ≥ 0 Hz.");
        }

        if (!double.IsFinite(highFrequencyHz) || highFrequencyHz <= lowFrequencyHz || highFrequencyHz > sampleRate / 2.0)
        {
            throw new ArgumentOutOfRangeException(nameof(highFrequencyHz), highFrequencyHz,
                $"Upper frequency must lie above the lower frequency and at most at Nyquist ({sampleRate / 2.0} Hz).");
        }

        SampleRate = sampleRate;
        FftSize = fftSize;
        FilterCount = filterCount;
        BinCount = fftSize / 2 + 1;
        Normalization = normalization;

        double melLow = HzToMel(lowFrequencyHz), melHigh = HzToMel(highFrequencyHz);
        _edgesHz = new double[filterCount + 2];
        for (int i = 0; i < _edgesHz.Length; i++)
        {
            _edgesHz[i] = MelToHz(melLow + (melHigh - melLow) * i / (filterCount + 1));
        }

        _firstBin = new int[filterCount];
        _weights = new float[filterCount][];
        double binHz = (double)sampleRate / fftSize;
        for (int m = 0; m < filterCount; m++)
        {
            double lo = _edgesHz[m], centre = _edgesHz[m + 1], hi = _edgesHz[m + 2];
            double height = normalization == MelFilterNormalization.UnitArea ? 2.0 / (hi - lo) : 1.0;
            int first = (int)Math.Ceiling(lo / binHz);
            int last = Math.Min(BinCount - 1, (int)Math.Floor(hi / binHz));
            // Bins exactly on an edge get weight 0; keep them out so the span is the support.
            if (first * binHz <= lo) first++;
            if (last * binHz >= hi) last--;
            if (last < first)
            {
                throw new ArgumentOutOfRangeException(nameof(filterCount), filterCount,
                    $"Filter {m} ({lo:F1}–{hi:F1} Hz) contains no FFT bin at {binHz:F2} Hz spacing: use fewer filters or a larger FFT.");
            }

            var w = new float[last - first + 1];
            for (int k = first; k <= last; k++)
            {
                double f = k * binHz;
                double tri = f <= centre ? (f - lo) / (centre - lo) : (hi - f) / (hi - centre);
                w[k - first] = (float)(height * tri);
            }

            _firstBin[m] = first;
            _weights[m] = w;
        }
    }

    /// <summary>Sample rate in Hz the bank was built for.</summary>
    public int SampleRate { get; }

    /// <summary>FFT size in samples.</summary>
    public int FftSize { get; }

    /// <summary>Number of power-spectrum bins expected, FFT size / 2 + 1.</summary>
    public int BinCount { get; }

    /// <summary>Number of triangular filters.</summary>
    public int FilterCount { get; }

    /// <summary>Normalisation of the triangles.</summary>
    public MelFilterNormalization Normalization { get; }

    /// <summary>Converts a frequency in Hz to HTK mel: 2595 · log10(1 + f / 700).</summary>
    public static double HzToMel(double frequencyHz) => 2595.0 * Math.Log10(1.0 + frequencyHz / 700.0);

    /// <summary>Converts HTK mel to a frequency in Hz: 700 · (10^(m / 2595) − 1).</summary>
    public static double MelToHz(double mel) => 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);

    /// <summary>Centre (peak) frequency of filter <paramref name="filter"/> in Hz.</summary>
    public double CenterFrequencyHz(int filter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(filter);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(filter, FilterCount);
        return _edgesHz[filter + 1];
    }

    /// <summary>Lower edge frequency of filter <paramref name="filter"/> in Hz (upper edge is the lower edge of filter + 2).</summary>
    public double LowerEdgeHz(int filter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(filter);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(filter, FilterCount);
        return _edgesHz[filter];
    }

    /// <summary>Upper edge frequency of filter <paramref name="filter"/> in Hz.</summary>
    public double UpperEdgeHz(int filter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(filter);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(filter, FilterCount);
        return _edgesHz[filter + 2];
    }

    /// <summary>The non-zero weights of one filter, starting at FFT bin <paramref name="firstBin"/>.</summary>
    public ReadOnlySpan<float> GetWeights(int filter, out int firstBin)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(filter);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(filter, FilterCount);
        firstBin = _firstBin[filter];
        return _weights[filter];
    }

    /// <summary>Writes the weighted power in each filter: energies[m] = Σ_k w_m[k] · power[k].</summary>
    /// <param name="powerSpectrum">|X[k]|² for k = 0..<see cref="BinCount"/> − 1.</param>
    /// <param name="energies">Receives <see cref="FilterCount"/> values.</param>
    public void Apply(ReadOnlySpan<float> powerSpectrum, Span<float> energies)
    {
        if (powerSpectrum.Length < BinCount)
        {
            throw new ArgumentException($"Power spectrum needs {BinCount} bins, got {powerSpectrum.Length}.", nameof(powerSpectrum));
        }

        if (energies.Length < FilterCount)
        {
            throw new ArgumentException($"Energies need {FilterCount} values, got {energies.Length}.", nameof(energies));
        }

        for (int m = 0; m < _weights.Length; m++)
        {
            float[] w = _weights[m];
            ReadOnlySpan<float> p = powerSpectrum.Slice(_firstBin[m], w.Length);
            double sum = 0;
            for (int k = 0; k < w.Length; k++) sum += w[k] * p[k];
            energies[m] = (float)sum;
        }
    }
}
