namespace AcousticCore.Audio;

/// <summary>
/// Raises the sample rate of another source by band-limited interpolation (NWaves' windowed-sinc
/// <c>Resampler.Resample</c>, 15 zero crossings a side, Hann taper), reading it as it goes: memory stays bounded
/// whatever the length. The new signal has no content above the original Nyquist frequency, as the recording had none.
/// </summary>
/// <remarks>
/// The input is cut into chunks of at least 8192 frames, a whole number of periods of the rate ratio (441 frames
/// for 11.025 → 16 kHz) so that every chunk lands on the same output grid, with at least 16 frames of context on
/// each side, which the sinc needs, also rounded up to a period. For co-prime rates (e.g. 11 111 Hz) a period is
/// the rate itself, so chunk and context are a second each and the conversion does about three times the work.
/// NWaves' interpolation position is single precision, so short chunks also keep it exact to ~10⁻³ sample.
/// Output frame n is the interpolated input at time n·r_in/r_out; there are ⌊N·r_out/r_in⌋ of them.
/// </remarks>
public sealed class UpsamplingSource : IAudioSource, IAudioSourceDiagnostics
{
    private const int ChunkFrames = 8192;
    private const int ContextFrames = 16;

    private readonly IAudioSource _inner;
    private readonly NWaves.Operations.Resampler _resampler = new();
    private readonly int _inRate, _outRate, _channels;
    private readonly int _periodIn, _periodOut;       // frames per period of the rate ratio
    private readonly int _chunk, _margin;             // input frames, multiples of _periodIn
    private readonly List<float>[] _input;            // de-interleaved input from frame _inputStart on
    private readonly float[] _readBuffer;
    private readonly Queue<float> _output = new();    // interleaved output not yet read
    private long _inputStart, _inputFrames, _nextChunk;
    private bool _innerEnded;

    /// <summary>Wraps <paramref name="inner"/> (owned: disposed with this source) and serves it at <paramref name="sampleRate"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleRate"/> is not above the source's rate, or not a supported rate.</exception>
    public UpsamplingSource(IAudioSource inner, int sampleRate)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _inRate = inner.Format.SampleRate;
        if (sampleRate <= _inRate) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"Must be above the source's {_inRate} Hz.");
        Format = new AudioFormat(sampleRate, inner.Format.Channels);
        _outRate = sampleRate;
        _channels = inner.Format.Channels;
        int gcd = (int)System.Numerics.BigInteger.GreatestCommonDivisor(_inRate, _outRate);
        _periodIn = _inRate / gcd;
        _periodOut = _outRate / gcd;
        _chunk = _periodIn * (int)Math.Ceiling((double)ChunkFrames / _periodIn);
        _margin = _periodIn * (int)Math.Ceiling((double)ContextFrames / _periodIn);
        _input = new List<float>[_channels];
        for (int c = 0; c < _channels; c++) _input[c] = new List<float>(_chunk + 2 * _margin);
        _readBuffer = new float[4096 * _channels];
    }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public long NonFiniteSamplesReplaced => (_inner as IAudioSourceDiagnostics)?.NonFiniteSamplesReplaced ?? 0;

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings => (_inner as IAudioSourceDiagnostics)?.Warnings ?? [];

    /// <inheritdoc />
    public int Read(Span<float> destination)
    {
        int frames = destination.Length / _channels;
        if (frames == 0) throw new ArgumentException($"Room for at least one frame ({_channels} floats) is needed.", nameof(destination));
        while (_output.Count == 0 && ProduceChunk())
        {
        }

        int n = Math.Min(frames, _output.Count / _channels) * _channels;
        for (int i = 0; i < n; i++) destination[i] = _output.Dequeue();
        return n;
    }

    /// <inheritdoc />
    public void Dispose() => _inner.Dispose();

    /// <summary>Converts the next chunk into the output queue; false when the input is used up.</summary>
    private bool ProduceChunk()
    {
        long chunkStart = _nextChunk * _chunk;
        long needed = chunkStart + _chunk + _margin;
        while (!_innerEnded && _inputStart + _inputFrames < needed) ReadInner();
        long inputEnd = _inputStart + _inputFrames;
        if (chunkStart >= inputEnd) return false;

        // Output frames of this chunk: [chunkStart·g, min(chunkEnd·g, ⌊N·g⌋)) once N is known, g = periodOut/periodIn.
        long outFirst = chunkStart / _periodIn * _periodOut;
        long outEnd = (chunkStart + _chunk) / _periodIn * _periodOut;
        if (_innerEnded) outEnd = Math.Min(outEnd, inputEnd * _periodOut / _periodIn);
        long segmentStart = Math.Max(0, chunkStart - _margin);   // a multiple of _periodIn: on the output grid
        long segmentEnd = Math.Min(inputEnd, chunkStart + _chunk + _margin);
        int offset = (int)((chunkStart - segmentStart) / _periodIn * _periodOut);
        int count = (int)(outEnd - outFirst);
        var converted = new float[_channels][];
        int length = (int)(segmentEnd - segmentStart);

        // After the last input frame the signal is zero (as NWaves treats it): padding the last segment with the margin
        // keeps NWaves' single-precision output length, (int)(length·g), from falling one short of the frames needed.
        int padding = segmentEnd == inputEnd ? _margin : 0;
        for (int c = 0; c < _channels; c++)
        {
            var segment = new float[length + padding];
            _input[c].CopyTo((int)(segmentStart - _inputStart), segment, 0, length);
            converted[c] = _resampler.Resample(new NWaves.Signals.DiscreteSignal(_inRate, segment), _outRate).Samples;
        }

        for (int i = 0; i < count; i++)
        {
            for (int c = 0; c < _channels; c++) _output.Enqueue(converted[c][offset + i]);
        }

        // Keep the context the next chunk needs before its start.
        _nextChunk++;
        long keepFrom = Math.Clamp(_nextChunk * _chunk - _margin, _inputStart, _inputStart + _inputFrames);
        int drop = (int)(keepFrom - _inputStart);
        for (int c = 0; c < _channels; c++) _input[c].RemoveRange(0, drop);
        _inputStart = keepFrom;
        _inputFrames -= drop;
        return true;
    }

    private void ReadInner()
    {
        int read = _inner.Read(_readBuffer);
        if (read == 0)
        {
            _innerEnded = true;
            return;
        }

        int frames = read / _channels;
        for (int f = 0; f < frames; f++)
        {
            for (int c = 0; c < _channels; c++) _input[c].Add(_readBuffer[f * _channels + c]);
        }

        _inputFrames += frames;
    }
}
