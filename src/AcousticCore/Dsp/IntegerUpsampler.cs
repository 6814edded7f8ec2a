namespace AcousticCore.Dsp;

/// <summary>
/// Raises a mono stream's sample rate by a whole factor L, sample by sample: L − 1 zeros after every input sample,
/// then a <see cref="LinearPhaseLowPass"/> at the input's Nyquist frequency with gain L. The filter's delay is taken
/// out, so output sample n is the interpolated input at time n / L, and <see cref="Flush"/> supplies the last outputs:
/// N inputs give exactly N·L outputs.
/// </summary>
/// <remarks>
/// At order 128 and L = 2 the transition band is centred on the input's Nyquist frequency and about 5.5 / order of
/// the output rate wide: content up to ~90 % of that frequency passes within ±0.002 dB and its images are ≥ 70 dB
/// down (Blackman window, stopband peak ~−72 dB); content in the top ~10 % is attenuated and leaves images up to
/// −6 dB at the Nyquist frequency itself. Process and Flush allocate nothing. One instance per stream.
/// </remarks>
public sealed class IntegerUpsampler
{
    private readonly LinearPhaseLowPass _lowPass;

    /// <summary>Creates an upsampler by <paramref name="factor"/> with a low-pass of the given even <paramref name="order"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Factor not 2–16, or order not even and 16–1024.</exception>
    public IntegerUpsampler(int factor, int order = 128)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(factor, 16);
        if (order < 16 || order > 1024 || order % 2 != 0) throw new ArgumentOutOfRangeException(nameof(order), order, "Must be even and 16–1024.");
        Factor = factor;
        _lowPass = new LinearPhaseLowPass(0.5 / factor, order, gain: factor);   // DC gain L makes up for the zeros
    }

    /// <summary>The factor L.</summary>
    public int Factor { get; }

    /// <summary>Outputs held back by the filter until later input (or <see cref="Flush"/>) arrives.</summary>
    public int Delay => _lowPass.Delay;

    /// <summary>
    /// Interpolates <paramref name="input"/>; writes the outputs now available to <paramref name="output"/> (which must
    /// hold input.Length·L) and returns their count: input.Length·L, less up to <see cref="Delay"/> at the stream's start.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> too short.</exception>
    /// <exception cref="InvalidOperationException">Called after <see cref="Flush"/>.</exception>
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (_lowPass.Flushed) throw new InvalidOperationException("The upsampler was flushed: the stream has ended.");
        if (output.Length < input.Length * Factor) throw new ArgumentException($"Output holds {output.Length} samples; {input.Length * Factor} are needed.", nameof(output));
        int written = 0;
        foreach (float x in input)
        {
            for (int p = 0; p < Factor; p++)
            {
                if (_lowPass.Step(p == 0 ? x : 0f, out float y)) output[written++] = y;
            }
        }

        return written;
    }

    /// <summary>
    /// Ends the stream: writes the outputs still owed (the filter run over trailing zeros; <see cref="Delay"/> of them, fewer
    /// for a stream shorter than that) to <paramref name="output"/>, which must hold <see cref="Delay"/> samples, and returns
    /// their count. A second call returns 0.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> too short.</exception>
    public int Flush(Span<float> output) => _lowPass.Flush(output);
}
