namespace AcousticCore.Arrays;

/// <summary>
/// Cuts an interleaved multichannel stream into overlapping frames and computes one spectrum per
/// channel per frame (periodic Hann window), laid out channel-major for the array analysers.
/// </summary>
/// <remarks>
/// Spectra use <see cref="Dsp.FftPlan"/> layout: N + 2 interleaved (re, im) floats per channel, channel c
/// at offset c·(N + 2). A periodic Hann window at hop N/2 sums to exactly 1, so the same frames serve
/// the locator and the overlap-add beamformer. Nothing is allocated after construction.
/// </remarks>
public sealed class MultichannelStft
{
    private readonly Dsp.FftPlan _fft;
    private readonly float[] _window;
    private readonly float[] _frames;   // planar, channel c at c·N
    private readonly float[] _windowed;
    private readonly float[] _spectra;
    private int _fill;
    private long _samplesConsumed;

    /// <summary>Creates the framer.</summary>
    /// <param name="channels">Interleaved channel count (1..64).</param>
    /// <param name="frameSize">Frame length N in samples, a power of two (16..65536).</param>
    /// <param name="hopSize">Frame advance in samples, 1..N.</param>
    public MultichannelStft(int channels, int frameSize, int hopSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, Audio.AudioFormat.MaxChannels);
        _fft = new Dsp.FftPlan(frameSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(hopSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hopSize, frameSize);
        Channels = channels;
        FrameSize = frameSize;
        HopSize = hopSize;
        _window = new float[frameSize];
        for (int i = 0; i < frameSize; i++)
        {
            _window[i] = (float)(0.5 - 0.5 * Math.Cos(2.0 * Math.PI * i / frameSize));
        }

        _frames = new float[channels * frameSize];
        _windowed = new float[frameSize];
        _spectra = new float[channels * (frameSize + 2)];
    }

    /// <summary>Interleaved channel count.</summary>
    public int Channels { get; }

    /// <summary>Frame length N in samples.</summary>
    public int FrameSize { get; }

    /// <summary>Frame advance in samples.</summary>
    public int HopSize { get; }

    /// <summary>Floats per channel spectrum (N + 2).</summary>
    public int SpectrumLength => FrameSize + 2;

    /// <summary>Spectra of the last completed frame, channel-major (Channels × (N + 2) floats).</summary>
    public ReadOnlySpan<float> Spectra => _spectra;

    /// <summary>Index of the first sample (per channel) of the last completed frame.</summary>
    public long FrameStartSample { get; private set; }

    /// <summary>Number of frames completed so far.</summary>
    public long FrameCount { get; private set; }

    /// <summary>
    /// Consumes interleaved samples until one frame completes or the input is used up; returns the
    /// number of floats consumed (a multiple of <see cref="Channels"/>). When <paramref name="frameReady"/>
    /// is true, <see cref="Spectra"/> holds the new frame: call again with the rest of the input.
    /// </summary>
    /// <exception cref="ArgumentException">The input is not a whole number of frames.</exception>
    public int Append(ReadOnlySpan<float> interleaved, out bool frameReady)
    {
        int channels = Channels, n = FrameSize;
        if (interleaved.Length % channels != 0)
        {
            throw new ArgumentException($"Expected whole frames of {channels} channels ({interleaved.Length} floats given).", nameof(interleaved));
        }

        int available = interleaved.Length / channels;
        int take = Math.Min(available, n - _fill);
        for (int c = 0; c < channels; c++)
        {
            var dst = _frames.AsSpan(c * n + _fill, take);
            for (int i = 0; i < take; i++) dst[i] = interleaved[i * channels + c];
        }

        _fill += take;
        _samplesConsumed += take;
        frameReady = false;
        if (_fill == n)
        {
            ComputeSpectra();
            FrameStartSample = _samplesConsumed - n;
            FrameCount++;
            frameReady = true;
            // Keep the overlap for the next frame.
            int keep = n - HopSize;
            for (int c = 0; c < channels; c++)
            {
                _frames.AsSpan(c * n + HopSize, keep).CopyTo(_frames.AsSpan(c * n, keep));
            }

            _fill = keep;
        }

        return take * channels;
    }

    /// <summary>Forgets buffered samples and counters (for a new stream).</summary>
    public void Reset()
    {
        _fill = 0;
        _samplesConsumed = 0;
        FrameCount = 0;
        FrameStartSample = 0;
    }

    private void ComputeSpectra()
    {
        int n = FrameSize, stride = n + 2;
        for (int c = 0; c < Channels; c++)
        {
            var frame = _frames.AsSpan(c * n, n);
            for (int i = 0; i < n; i++) _windowed[i] = frame[i] * _window[i];
            _fft.Forward(_windowed, _spectra.AsSpan(c * stride, stride));
        }
    }
}
