namespace AcousticCore.Dsp;

/// <summary>
/// An A, C or Z frequency-weighting filter (IEC 61672-1) for one channel at one sample rate,
/// normalised to 0 dB at 1 kHz.
/// </summary>
/// <remarks>
/// Runs as a cascade of second-order sections with double-precision state. Not thread-safe:
/// one instance per channel. <see cref="Process"/> allocates nothing.
/// </remarks>
public sealed class FrequencyWeightingFilter
{
    private readonly BiquadSection[] _sections;
    private readonly double[] _state; // two transposed-direct-form-II state values per section

    /// <summary>Designs the filter for <paramref name="weighting"/> at <paramref name="sampleRate"/> Hz (8000–192000).</summary>
    public FrequencyWeightingFilter(FrequencyWeighting weighting, int sampleRate)
    {
        if (!Enum.IsDefined(weighting))
        {
            throw new ArgumentOutOfRangeException(nameof(weighting), weighting, "Unknown frequency weighting.");
        }

        SampleRates.Validate(sampleRate, nameof(sampleRate));
        Weighting = weighting;
        SampleRate = sampleRate;
        _sections = WeightingFilterDesign.Design(weighting, sampleRate);
        _state = new double[2 * _sections.Length];
    }

    /// <summary>The weighting this filter applies.</summary>
    public FrequencyWeighting Weighting { get; }

    /// <summary>Sample rate in Hz the filter was designed for.</summary>
    public int SampleRate { get; }

    internal ReadOnlySpan<BiquadSection> Sections => _sections;

    /// <summary>Magnitude response in dB at <paramref name="frequencyHz"/> (of the digital filter as designed).</summary>
    public double ResponseDb(double frequencyHz) => BiquadSection.CascadeResponseDb(_sections, frequencyHz, SampleRate);

    /// <summary>Filters <paramref name="input"/> into <paramref name="output"/> (same length; may be the same memory).</summary>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length < input.Length)
        {
            throw new ArgumentException("Output is shorter than input.", nameof(output));
        }

        for (int i = 0; i < input.Length; i++)
        {
            double x = input[i];
            for (int s = 0; s < _sections.Length; s++)
            {
                ref readonly BiquadSection c = ref _sections[s];
                double y = (c.B0 * x) + _state[2 * s];
                _state[2 * s] = (c.B1 * x) - (c.A1 * y) + _state[(2 * s) + 1];
                _state[(2 * s) + 1] = (c.B2 * x) - (c.A2 * y);
                x = y;
            }

            output[i] = (float)x;
        }

        Denormals.Flush(_state);
    }

    /// <summary>Clears the filter state (as if the stream started again).</summary>
    public void Reset() => Array.Clear(_state);
}
