namespace AcousticCore.Dsp;

/// <summary>
/// One analysis frame of one channel with its spectrum, computed once and shared by every analyser.
/// Valid only during the callback that receives it.
/// </summary>
/// <remarks>
/// <see cref="Spectrum"/> is the unnormalised FFT of the windowed frame (N + 2 interleaved re/im floats).
/// <see cref="Power"/> is the one-sided power spectrum scaled so that Σ Power = Σ(w·x)² / Σw²: for a
/// stationary signal its sum is the signal's mean square, whatever the window (Parseval).
/// </remarks>
public readonly ref struct Frame
{
    /// <summary>Creates a frame view.</summary>
    public Frame(int channel, long startSample, int sampleRate, ReadOnlySpan<float> samples,
        ReadOnlySpan<float> spectrum, ReadOnlySpan<float> power)
    {
        Channel = channel;
        StartSample = startSample;
        SampleRate = sampleRate;
        Samples = samples;
        Spectrum = spectrum;
        Power = power;
    }

    /// <summary>Channel index, 0-based.</summary>
    public int Channel { get; }

    /// <summary>Index of the frame's first sample in the stream (the clock).</summary>
    public long StartSample { get; }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>The frame's samples before windowing.</summary>
    public ReadOnlySpan<float> Samples { get; }

    /// <summary>Unnormalised FFT of the windowed frame: N + 2 interleaved (re, im) floats.</summary>
    public ReadOnlySpan<float> Spectrum { get; }

    /// <summary>One-sided power per bin 0..N/2, window-power normalised (see remarks).</summary>
    public ReadOnlySpan<float> Power { get; }

    /// <summary>Frequency spacing of the bins in Hz.</summary>
    public double BinHz => (double)SampleRate / Samples.Length;
}
