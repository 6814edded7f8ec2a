using NWaves.Filters.Base;
using NWaves.Filters.Fda;
using NWaves.Windows;

namespace AcousticCore.Dsp;

/// <summary>
/// A streaming linear-phase FIR low-pass (windowed sinc, Blackman window, designed and run by NWaves) whose delay is
/// taken out: output sample n is the filtered input at sample n, and <see cref="Flush"/> supplies the last outputs,
/// so N inputs give exactly N outputs.
/// </summary>
/// <remarks>
/// The transition band is about 5.5 / order of the sample rate wide, centred on the cutoff; the stopband is ~72 dB
/// down. Step, Process and Flush allocate nothing. One instance per stream.
/// </remarks>
public sealed class LinearPhaseLowPass
{
    private readonly FirFilter _filter;
    private int _toDiscard;
    private bool _flushed;

    /// <summary>
    /// Creates the filter: <paramref name="cutoff"/> as a fraction of the sample rate (0–0.5, exclusive), an even
    /// <paramref name="order"/> (taps − 1), and the gain at 0 Hz.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Cutoff not inside 0–0.5, order not even and 16–4096, or gain not positive.</exception>
    public LinearPhaseLowPass(double cutoff, int order, double gain = 1)
    {
        if (!(cutoff > 0 && cutoff < 0.5)) throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "Must be inside 0–0.5 (a fraction of the sample rate).");
        if (order < 16 || order > 4096 || order % 2 != 0) throw new ArgumentOutOfRangeException(nameof(order), order, "Must be even and 16–4096.");
        if (!(gain > 0 && double.IsFinite(gain))) throw new ArgumentOutOfRangeException(nameof(gain), gain, "Must be positive.");
        double[] kernel = DesignFilter.FirWinLp(order + 1, cutoff, WindowType.Blackman);
        double sum = kernel.Sum();
        for (int i = 0; i < kernel.Length; i++) kernel[i] *= gain / sum;
        _filter = new FirFilter(kernel);
        Delay = order / 2;
        _toDiscard = Delay;
    }

    /// <summary>Outputs held back until later input (or <see cref="Flush"/>) arrives: order / 2.</summary>
    public int Delay { get; }

    /// <summary>True once <see cref="Flush"/> has ended the stream.</summary>
    public bool Flushed => _flushed;

    /// <summary>Runs one input sample; false (no output yet) while the filter's delay fills at the stream's start.</summary>
    /// <exception cref="InvalidOperationException">Called after <see cref="Flush"/>.</exception>
    public bool Step(float x, out float y)
    {
        if (_flushed) throw new InvalidOperationException("The filter was flushed: the stream has ended.");
        y = _filter.Process(x);
        if (_toDiscard == 0) return true;
        _toDiscard--;
        return false;
    }

    /// <summary>Filters <paramref name="input"/>; writes the outputs now available (at most input.Length) and returns their count.</summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> shorter than <paramref name="input"/>.</exception>
    /// <exception cref="InvalidOperationException">Called after <see cref="Flush"/>.</exception>
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (_flushed) throw new InvalidOperationException("The filter was flushed: the stream has ended.");
        if (output.Length < input.Length) throw new ArgumentException($"Output holds {output.Length} samples; {input.Length} are needed.", nameof(output));
        int written = 0;
        foreach (float x in input)
        {
            if (Step(x, out float y)) output[written++] = y;
        }

        return written;
    }

    /// <summary>
    /// Ends the stream: writes the outputs still owed (the filter run over trailing zeros; <see cref="Delay"/> of them,
    /// fewer for a stream shorter than that) to <paramref name="output"/>, which must hold <see cref="Delay"/>, and returns
    /// their count. A second call returns 0.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> too short.</exception>
    public int Flush(Span<float> output)
    {
        if (_flushed) return 0;
        if (output.Length < Delay) throw new ArgumentException($"Output holds {output.Length} samples; {Delay} are needed.", nameof(output));
        int owed = Delay - _toDiscard, written = 0;
        while (written < owed)
        {
            if (Step(0f, out float y)) output[written++] = y;
        }

        _flushed = true;
        return written;
    }
}
