namespace AcousticCore.Features;

/// <summary>
/// Mel-frequency cepstral coefficients of one frame's power spectrum.
/// </summary>
/// <remarks>
/// Definition (HTK style): E_m = Σ_k w_m[k]·P[k] over the <see cref="MelFilterBank"/>;
/// L_m = ln(max(E_m, floor)); orthonormal DCT-II
/// c_n = s_n · Σ_{m=0}^{M−1} L_m · cos(π·n·(m + ½) / M) with s_0 = √(1/M), s_n = √(2/M);
/// then, if the lifter L > 0, c_n ← c_n · (1 + (L/2)·sin(π·n / L)). The caller supplies P[k] = |X[k]|²
/// of a windowed frame (for example from <see cref="Dsp.FftPlan"/> via <see cref="PowerSpectrum"/>).
/// Tables are built once; <see cref="Compute"/> allocates nothing. One instance per thread.
/// </remarks>
public sealed class MfccExtractor
{
    private readonly MelFilterBank _bank;
    private readonly float[] _dct;      // CoefficientCount × FilterCount, row-major, orthonormal scale folded in
    private readonly float[] _lifter;   // per coefficient
    private readonly float[] _logEnergies;
    private readonly float _logFloor;

    /// <summary>Builds the extractor for frames of <paramref name="frameSize"/> samples (the FFT size) at <paramref name="sampleRate"/>.</summary>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="frameSize">FFT size in samples; the power spectrum has frameSize/2 + 1 bins.</param>
    /// <param name="options">Filter bank, coefficient and lifter settings.</param>
    /// <exception cref="ArgumentOutOfRangeException">The options do not fit this sample rate or frame size.</exception>
    public MfccExtractor(int sampleRate, int frameSize, MfccOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CoefficientCount > options.FilterCount)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.CoefficientCount,
                $"CoefficientCount ({options.CoefficientCount}) cannot exceed FilterCount ({options.FilterCount}).");
        }

        double high = options.HighFrequencyHz ?? sampleRate / 2.0;
        _bank = new MelFilterBank(sampleRate, frameSize, options.FilterCount, options.LowFrequencyHz, high, options.Normalization);
        Options = options;
        int m = options.FilterCount, n = options.CoefficientCount;
        _dct = new float[n * m];
        for (int i = 0; i < n; i++)
        {
            double scale = Math.Sqrt((i == 0 ? 1.0 : 2.0) / m);
            for (int j = 0; j < m; j++)
            {
                _dct[i * m + j] = (float)(scale * Math.Cos(Math.PI * i * (j + 0.5) / m));
            }
        }

        _lifter = new float[n];
        for (int i = 0; i < n; i++)
        {
            _lifter[i] = options.Lifter == 0 ? 1f : (float)(1.0 + options.Lifter / 2.0 * Math.Sin(Math.PI * i / options.Lifter));
        }

        _logEnergies = new float[m];
        _logFloor = options.LogFloor;
    }

    /// <summary>The settings this extractor was built with.</summary>
    public MfccOptions Options { get; }

    /// <summary>The mel filter bank in use.</summary>
    public MelFilterBank FilterBank => _bank;

    /// <summary>Number of coefficients written by <see cref="Compute"/>.</summary>
    public int CoefficientCount => Options.CoefficientCount;

    /// <summary>Number of power-spectrum bins expected, frameSize / 2 + 1.</summary>
    public int BinCount => _bank.BinCount;

    /// <summary>Computes c0..c(n−1) from a power spectrum of <see cref="BinCount"/> bins.</summary>
    /// <param name="powerSpectrum">|X[k]|², k = 0..frameSize/2.</param>
    /// <param name="coefficients">Receives <see cref="CoefficientCount"/> values.</param>
    public void Compute(ReadOnlySpan<float> powerSpectrum, Span<float> coefficients)
    {
        if (coefficients.Length < CoefficientCount)
        {
            throw new ArgumentException($"Coefficients need {CoefficientCount} values, got {coefficients.Length}.", nameof(coefficients));
        }

        Span<float> logE = _logEnergies;
        _bank.Apply(powerSpectrum, logE);
        for (int j = 0; j < logE.Length; j++) logE[j] = MathF.Log(MathF.Max(logE[j], _logFloor));

        int m = logE.Length;
        for (int i = 0; i < CoefficientCount; i++)
        {
            ReadOnlySpan<float> row = _dct.AsSpan(i * m, m);
            float sum = 0f;
            for (int j = 0; j < m; j++) sum += row[j] * logE[j];
            coefficients[i] = sum * _lifter[i];
        }
    }

    /// <summary>Converts an <see cref="Dsp.FftPlan"/> spectrum (N + 2 interleaved re, im floats) to power |X[k]|² per bin.</summary>
    /// <param name="spectrum">Interleaved (re, im) pairs for bins 0..N/2.</param>
    /// <param name="powerSpectrum">Receives spectrum.Length / 2 values.</param>
    public static void PowerSpectrum(ReadOnlySpan<float> spectrum, Span<float> powerSpectrum)
    {
        int bins = spectrum.Length / 2;
        if (powerSpectrum.Length < bins)
        {
            throw new ArgumentException($"Power spectrum needs {bins} values, got {powerSpectrum.Length}.", nameof(powerSpectrum));
        }

        for (int k = 0; k < bins; k++)
        {
            float re = spectrum[2 * k], im = spectrum[2 * k + 1];
            powerSpectrum[k] = re * re + im * im;
        }
    }
}
