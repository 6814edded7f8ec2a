using AcousticCore.Dsp;

namespace AcousticCore.Levels;

/// <summary>Settings of <see cref="CalibrationEstimator"/>; validated when set.</summary>
public sealed class CalibrationOptions
{
    private readonly double _referenceLevelDb = 94;
    private readonly double? _expectedFrequencyHz = 1000;
    private readonly double _frequencyTolerancePercent = 5;
    private readonly double _maxLevelVariationDb = 1;
    private readonly double _minSignalToNoiseDb = 20;

    /// <summary>Level the calibrator produces, e.g. 94 dB SPL (1 Pa) or 114 dB. Default 94. Finite, −100…300.</summary>
    public double ReferenceLevelDb
    {
        get => _referenceLevelDb;
        init => _referenceLevelDb = Check(value, -100, 300, nameof(ReferenceLevelDb));
    }

    /// <summary>Calibrator frequency in Hz (default 1000); null accepts a tone at any frequency.</summary>
    public double? ExpectedFrequencyHz
    {
        get => _expectedFrequencyHz;
        init => _expectedFrequencyHz = value is null ? null : Check(value.Value, 1, 100_000, nameof(ExpectedFrequencyHz));
    }

    /// <summary>How far the measured tone may lie from <see cref="ExpectedFrequencyHz"/>, percent. Default 5.</summary>
    public double FrequencyTolerancePercent
    {
        get => _frequencyTolerancePercent;
        init => _frequencyTolerancePercent = Check(value, 0.01, 50, nameof(FrequencyTolerancePercent));
    }

    /// <summary>Largest spread (max − min) of the 100 ms levels of the analysed part, dB. Default 1.</summary>
    public double MaxLevelVariationDb
    {
        get => _maxLevelVariationDb;
        init => _maxLevelVariationDb = Check(value, 0.01, 40, nameof(MaxLevelVariationDb));
    }

    /// <summary>Smallest ratio of the tone's power to everything else in the recording, dB. Default 20.</summary>
    public double MinSignalToNoiseDb
    {
        get => _minSignalToNoiseDb;
        init => _minSignalToNoiseDb = Check(value, 0, 100, nameof(MinSignalToNoiseDb));
    }

    private static double Check(double value, double min, double max, string name)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number from {min} to {max}.");
        }

        return value;
    }
}

/// <summary>What <see cref="CalibrationEstimator"/> found in a calibrator recording.</summary>
/// <param name="OffsetDb">Add this to dBFS levels (e.g. <see cref="SoundLevelMeterOptions.CalibrationOffsetDb"/>) so the tone reads the reference level.</param>
/// <param name="MeasuredLevelDbfs">Level of the tone alone, dB re full scale (AES17: a full-scale sine is 0 dB).</param>
/// <param name="ToneFrequencyHz">Frequency of the tone, Hz (interpolated between FFT bins).</param>
/// <param name="ReferenceLevelDb">The level the tone should read.</param>
/// <param name="LevelVariationDb">Spread (max − min) of the 100 ms levels over the analysed part, dB.</param>
/// <param name="SignalToNoiseDb">Power of the tone over the power of everything else, dB.</param>
/// <param name="AnalysedDurationS">Length of the analysed middle part of the recording, seconds.</param>
public sealed record CalibrationResult(
    double OffsetDb,
    double MeasuredLevelDbfs,
    double ToneFrequencyHz,
    double ReferenceLevelDb,
    double LevelVariationDb,
    double SignalToNoiseDb,
    double AnalysedDurationS);

/// <summary>A recording that cannot serve as a calibration: the message says what is wrong with it.</summary>
public sealed class CalibrationException : Exception
{
    /// <summary>Creates the exception with a message naming the problem.</summary>
    public CalibrationException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public CalibrationException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public CalibrationException() : base("The recording cannot serve as a calibration.")
    {
    }
}

/// <summary>
/// Derives the calibration offset (dB to add to dBFS levels) from a mono recording of an acoustic
/// calibrator, after checking that the recording holds one steady, dominant tone.
/// </summary>
/// <remarks>
/// The first and last 10 % of the recording are skipped (handling noise while the calibrator is
/// fitted or removed). Over the middle part: the levels of consecutive 100 ms blocks must stay within
/// <see cref="CalibrationOptions.MaxLevelVariationDb"/>; a Hann-windowed FFT (up to 65 536 points,
/// centred) finds the strongest bin, its frequency (log-parabolic interpolation) and the fraction of
/// the power within ±4 bins of it. The tone level is the mean square of the analysed part times that
/// fraction, so broadband noise does not inflate it: offset = reference − tone level (dBFS).
/// </remarks>
public static class CalibrationEstimator
{
    /// <summary>Shortest accepted recording, seconds.</summary>
    public const double MinDurationS = 1.0;

    private const double TrimFraction = 0.1;
    private const double BlockSeconds = 0.1;
    private const int ToneHalfWidthBins = 4;

    /// <summary>Estimates the offset from <paramref name="samples"/> (one channel, full scale ±1) at <paramref name="sampleRate"/> Hz.</summary>
    /// <exception cref="CalibrationException">No steady dominant tone (too short, silent, noisy, unsteady, wrong frequency, non-finite samples).</exception>
    public static CalibrationResult Estimate(ReadOnlySpan<float> samples, int sampleRate, CalibrationOptions? options = null)
    {
        SampleRates.Validate(sampleRate, nameof(sampleRate));
        options ??= new CalibrationOptions();
        double duration = (double)samples.Length / sampleRate;
        if (duration < MinDurationS)
        {
            throw new CalibrationException(
                $"the recording is {duration:0.###} s long; a calibration needs at least {MinDurationS:0.#} s of steady tone");
        }

        for (int i = 0; i < samples.Length; i++)
        {
            if (!float.IsFinite(samples[i]))
            {
                throw new CalibrationException($"sample {i} is {samples[i]}, not a finite number");
            }
        }

        int trim = (int)(samples.Length * TrimFraction);
        ReadOnlySpan<float> middle = samples[trim..^trim];

        double sumSquares = 0;
        foreach (float s in middle) sumSquares += (double)s * s;
        double meanSquare = sumSquares / middle.Length;
        if (meanSquare == 0)
        {
            throw new CalibrationException("the recording is digital silence: no calibrator tone");
        }

        double variation = LevelSpreadOfBlocks(middle, (int)(BlockSeconds * sampleRate));
        var (frequency, toneFraction) = DominantTone(middle, sampleRate);
        double snr = toneFraction >= 1 ? double.PositiveInfinity : 10 * Math.Log10(toneFraction / (1 - toneFraction));
        if (snr < options.MinSignalToNoiseDb)
        {
            throw new CalibrationException(
                $"no dominant tone: the strongest component ({frequency:0.#} Hz) is only {snr:0.#} dB above the rest (needs {options.MinSignalToNoiseDb:0.#} dB)");
        }

        if (options.ExpectedFrequencyHz is double expected &&
            Math.Abs(frequency - expected) > expected * options.FrequencyTolerancePercent / 100)
        {
            throw new CalibrationException(
                $"the tone is at {frequency:0.#} Hz, not within {options.FrequencyTolerancePercent:0.##} % of the expected {expected:0.#} Hz");
        }

        if (variation > options.MaxLevelVariationDb)
        {
            throw new CalibrationException(
                $"the tone is not steady: its 100 ms levels vary by {variation:0.##} dB (at most {options.MaxLevelVariationDb:0.##} dB allowed)");
        }

        double toneLevel = 10 * Math.Log10(meanSquare * toneFraction / 0.5);
        return new CalibrationResult(
            options.ReferenceLevelDb - toneLevel,
            toneLevel,
            frequency,
            options.ReferenceLevelDb,
            variation,
            snr,
            (double)middle.Length / sampleRate);
    }

    private static double LevelSpreadOfBlocks(ReadOnlySpan<float> x, int block)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int start = 0; start + block <= x.Length; start += block)
        {
            double sum = 0;
            foreach (float s in x.Slice(start, block)) sum += (double)s * s;
            double level = 10 * Math.Log10(sum / block);
            min = Math.Min(min, level);
            max = Math.Max(max, level);
        }

        return max - min; // +∞ when a block is silent
    }

    private static (double FrequencyHz, double ToneFraction) DominantTone(ReadOnlySpan<float> x, int sampleRate)
    {
        int n = FftPlan.MaxSize;
        while (n > x.Length) n /= 2;
        var plan = new FftPlan(n);
        var windowed = new float[n];
        var spectrum = new float[n + 2];
        int offset = (x.Length - n) / 2;
        for (int i = 0; i < n; i++)
        {
            double w = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / n)); // periodic Hann
            windowed[i] = (float)(x[offset + i] * w);
        }

        plan.Forward(windowed, spectrum);
        int bins = (n / 2) + 1;
        var power = new double[bins];
        double total = 0;
        int peak = 1;
        for (int k = 1; k < bins; k++) // DC (an ADC offset) is neither tone nor noise
        {
            double re = spectrum[2 * k], im = spectrum[(2 * k) + 1];
            power[k] = (re * re) + (im * im);
            total += power[k];
            if (power[k] > power[peak]) peak = k;
        }

        double tone = 0;
        for (int k = Math.Max(1, peak - ToneHalfWidthBins); k <= Math.Min(bins - 1, peak + ToneHalfWidthBins); k++)
        {
            tone += power[k];
        }

        double delta = 0;
        if (peak > 1 && peak < bins - 1 && power[peak - 1] > 0 && power[peak + 1] > 0)
        {
            double a = Math.Log(power[peak - 1]), b = Math.Log(power[peak]), c = Math.Log(power[peak + 1]);
            double denominator = a - (2 * b) + c;
            if (denominator < 0) delta = 0.5 * (a - c) / denominator;
        }

        return ((peak + delta) * sampleRate / n, total > 0 ? tone / total : 0);
    }
}
