using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;

namespace AcousticCore.Audio;

/// <summary>
/// Decodes interleaved little-endian PCM (or a WAV stream whose header is parsed on the fly) from any
/// <see cref="Stream"/> — stdin, a file, a socket — through <see cref="System.IO.Pipelines"/>.
/// Byte chunks may split samples and frames anywhere; only whole frames are ever returned.
/// </summary>
/// <remarks>
/// <para>Threading: one stream is processed on one thread. <see cref="Read"/> blocks the calling thread until a
/// whole frame has arrived or the stream ends; <see cref="ReadAsync"/> does the same without blocking. Neither may
/// be called concurrently.</para>
/// <para>Graceful cases (recorded in <see cref="Warnings"/>, never thrown): a stream ending inside a sample or
/// frame drops the incomplete trailing frame; a WAV data chunk that claims more bytes than the stream carries is
/// read to the real end; NaN/Inf float samples are replaced by 0 and counted in
/// <see cref="NonFiniteSamplesReplaced"/>. After the first buffers are rented, reading allocates nothing.</para>
/// </remarks>
public sealed class PcmStreamSource : IAudioSource, IAudioSourceDiagnostics
{
    private readonly BlockingReadStream _stream;
    private readonly PipeReader _reader;
    private readonly SourceDiagnostics _diagnostics;
    private readonly SampleFormat _sampleFormat;
    private readonly int _bytesPerSample;
    private readonly int _blockAlign;
    private readonly byte[] _frameScratch;
    private readonly long? _declaredDataLength;
    private long _dataRemaining;      // -1 = read until the stream ends
    private long _position;           // absolute offset of the next unconsumed byte
    private long _framesRead;
    private bool _ended;
    private bool _disposed;

    /// <summary>Wraps <paramref name="stream"/>; with <see cref="PcmStreamOptions.Wav"/> this blocks until the WAV header has arrived.</summary>
    /// <param name="stream">Byte source; read sequentially, never seeked.</param>
    /// <param name="options">Raw PCM layout, or WAV auto-detection.</param>
    /// <param name="name">Name used in messages (<c>stdin</c>, <c>tcp://…</c>, a path).</param>
    /// <param name="leaveOpen">When false (default) disposing this source disposes <paramref name="stream"/>.</param>
    /// <exception cref="AudioDataException">WAV auto-detection found a malformed, truncated or unsupported header.</exception>
    public PcmStreamSource(Stream stream, PcmStreamOptions options, string name = "stream", bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!stream.CanRead) throw new ArgumentException("Stream must be readable.", nameof(stream));

        Name = name;
        _diagnostics = new SourceDiagnostics(name);
        (_stream, _reader) = CreatePipe(stream, leaveOpen, options.ReadBufferBytes);
        try
        {
            if (options.DetectWavHeader)
            {
                var header = ReadWavHeader(_reader, new WavHeaderParser(name, _diagnostics));
                _sampleFormat = header.SampleFormat;
                Format = new AudioFormat(header.SampleRate, header.Channels);
                _position = header.DataOffset;
                _declaredDataLength = header.DeclaredDataLength;
            }
            else
            {
                _sampleFormat = options.SampleFormat;
                Format = new AudioFormat(options.SampleRateHz, options.Channels);
            }
        }
        catch
        {
            _reader.Complete();
            _stream.Dispose();
            throw;
        }

        _dataRemaining = _declaredDataLength ?? -1;
        _bytesPerSample = _sampleFormat.BytesPerSample();
        _blockAlign = _bytesPerSample * Format.Channels;
        _frameScratch = new byte[_blockAlign];
    }

    /// <summary>Continues decoding on a pipe whose WAV header was already parsed (the file source's own path).</summary>
    internal PcmStreamSource(BlockingReadStream stream, PipeReader reader, WavHeader header, long? dataLimit, string name, SourceDiagnostics diagnostics)
    {
        Name = name;
        _diagnostics = diagnostics;
        _stream = stream;
        _reader = reader;
        _sampleFormat = header.SampleFormat;
        Format = new AudioFormat(header.SampleRate, header.Channels);
        _position = header.DataOffset;
        _declaredDataLength = dataLimit;
        _dataRemaining = dataLimit ?? -1;
        _bytesPerSample = _sampleFormat.BytesPerSample();
        _blockAlign = _bytesPerSample * Format.Channels;
        _frameScratch = new byte[_blockAlign];
    }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Encoding of the samples on the stream (from the options or the WAV header).</summary>
    public SampleFormat SampleFormat => _sampleFormat;

    /// <summary>Whole sample frames returned so far.</summary>
    public long FramesRead => _framesRead;

    /// <inheritdoc />
    public long NonFiniteSamplesReplaced => _diagnostics.NonFiniteSamplesReplaced;

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings => _diagnostics.Warnings;

    /// <summary>
    /// Decides what an I/O error while reading means: return a warning to end the stream gracefully (a TCP peer
    /// that reset the connection), null to report it as an <see cref="AudioDataException"/>, or throw.
    /// </summary>
    internal Func<IOException, string?>? ReadErrorPolicy { get; set; }

    /// <inheritdoc />
    public int Read(Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckDestination(destination.Length, nameof(destination));
        while (!_ended)
        {
            ReadResult result;
            try
            {
                // The blocking stream adapter completes the pipe's read synchronously; the fallback covers a
                // pipe that buffered nothing and still went asynchronous.
                ValueTask<ReadResult> pending = _reader.ReadAsync();
                result = pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            }
            catch (IOException e)
            {
                HandleReadError(e);
                break;
            }

            int written = Consume(result, destination);

            // Top up from what the pipe already holds (no blocking): fewer, fuller calls for the caller.
            while (written > 0 && !_ended && destination.Length - written >= Format.Channels && _reader.TryRead(out result))
            {
                int more = Consume(result, destination[written..]);
                if (more == 0) break;
                written += more;
            }

            if (written > 0) return written;
        }

        return 0;
    }

    /// <summary>Asynchronous <see cref="Read"/>: completes with whole frames, 0 only at end of stream.</summary>
    /// <exception cref="AudioDataException">Unrecoverable read error (names the source and byte offset).</exception>
    public async ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckDestination(destination.Length, nameof(destination));
        while (!_ended)
        {
            ReadResult result;
            _stream.Blocking = false;
            try
            {
                result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                HandleReadError(e);
                break;
            }
            finally
            {
                _stream.Blocking = true;
            }

            int written = Consume(result, destination.Span);
            if (written > 0) return written;
        }

        return 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _reader.Complete();
        _stream.Dispose();
    }

    internal static (BlockingReadStream Stream, PipeReader Reader) CreatePipe(Stream stream, bool leaveOpen, int bufferSize)
    {
        var blocking = new BlockingReadStream(stream, leaveOpen);
        var reader = PipeReader.Create(blocking, new StreamPipeReaderOptions(bufferSize: bufferSize, minimumReadSize: Math.Min(bufferSize, 4096), leaveOpen: true));
        return (blocking, reader);
    }

    /// <summary>Feeds the pipe to the incremental WAV parser until the data chunk starts (blocking).</summary>
    internal static WavHeader ReadWavHeader(PipeReader reader, WavHeaderParser parser)
    {
        while (true)
        {
            ValueTask<ReadResult> pending = reader.ReadAsync();
            ReadResult result = pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            ReadOnlySequence<byte> buffer = result.Buffer;
            SequencePosition consumed = buffer.Start;
            WavHeader? header = null;
            try
            {
                header = parser.Parse(buffer, result.IsCompleted, out consumed);
            }
            finally
            {
                // Examined everything: if the header is still incomplete, the next read must wait for more bytes.
                reader.AdvanceTo(consumed, header is null ? buffer.End : consumed);
            }

            if (header is not null) return header;
        }
    }

    private void CheckDestination(int length, string paramName)
    {
        if (length < Format.Channels)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Destination must hold at least one frame ({Format.Channels} floats)."),
                paramName);
        }
    }

    private void HandleReadError(IOException e)
    {
        _ended = true;
        string? warning = ReadErrorPolicy?.Invoke(e);
        if (warning is null) throw new AudioDataException(Name, "read failed: " + e.Message, _position, e);
        _diagnostics.Warn(warning + TrailingNote(), _position);
    }

    private string TrailingNote() => string.Create(CultureInfo.InvariantCulture, $"; stream treated as ended after {_framesRead} whole frame(s)");

    /// <summary>Decodes whole frames from one pipe read: the read loop of STYLE.md item 6.</summary>
    private int Consume(in ReadResult result, Span<float> destination)
    {
        ReadOnlySequence<byte> buffer = result.Buffer;
        SequencePosition consumed = buffer.Start;
        SequencePosition examined = buffer.End;
        int channels = Format.Channels;
        int written = 0;
        try
        {
            bool limitReached = false;
            ReadOnlySequence<byte> usable = buffer;
            if (_dataRemaining >= 0 && buffer.Length >= _dataRemaining)
            {
                usable = buffer.Slice(0, _dataRemaining);
                limitReached = true;
            }

            int maxFrames = destination.Length / channels;
            int frames = 0;
            ReadOnlySequence<byte> rest = usable;
            while (frames < maxFrames && rest.Length >= _blockAlign)
            {
                ReadOnlySpan<byte> first = rest.FirstSpan;
                int n;
                if (first.Length >= _blockAlign)
                {
                    n = Math.Min(first.Length / _blockAlign, maxFrames - frames);
                    DecodeFrames(first[..(n * _blockAlign)], destination.Slice(frames * channels, n * channels));
                }
                else
                {
                    // A frame straddles two pipe segments: gather its bytes (at most 64 x 4) and decode it alone.
                    n = 1;
                    rest.Slice(0, _blockAlign).CopyTo(_frameScratch);
                    DecodeFrames(_frameScratch, destination.Slice(frames * channels, channels));
                }

                frames += n;
                rest = rest.Slice((long)n * _blockAlign);
            }

            long bytesUsed = (long)frames * _blockAlign;
            consumed = buffer.GetPosition(bytesUsed);
            _position += bytesUsed;
            if (_dataRemaining >= 0) _dataRemaining -= bytesUsed;
            _framesRead += frames;
            written = frames * channels;

            if (rest.Length >= _blockAlign)
            {
                examined = consumed; // destination full; whole frames still waiting: next read must not block
            }
            else if (frames == 0)
            {
                if (limitReached)
                {
                    _ended = true;
                    if (rest.Length > 0)
                    {
                        _diagnostics.Warn(string.Create(CultureInfo.InvariantCulture,
                            $"data chunk ends with {rest.Length} byte(s) of an incomplete {_blockAlign}-byte frame; dropped"), _position);
                    }
                }
                else if (result.IsCompleted)
                {
                    _ended = true;
                    WarnAtEnd(rest.Length);
                }
            }
        }
        finally
        {
            _reader.AdvanceTo(consumed, examined);
        }

        return written;
    }

    private void WarnAtEnd(long trailingBytes)
    {
        if (trailingBytes > 0)
        {
            _diagnostics.Warn(string.Create(CultureInfo.InvariantCulture,
                $"stream ended mid-frame: {trailingBytes} byte(s) of an incomplete {_blockAlign}-byte frame dropped ({(trailingBytes % _bytesPerSample != 0 ? "mid-sample" : "mid-frame")})"),
                _position);
        }

        if (_declaredDataLength is { } declared && _dataRemaining > 0)
        {
            _diagnostics.Warn(string.Create(CultureInfo.InvariantCulture,
                $"WAV data chunk declares {declared} bytes but the stream ended after {declared - _dataRemaining + trailingBytes}; read what was there"),
                _position + trailingBytes);
        }
    }

    private void DecodeFrames(ReadOnlySpan<byte> bytes, Span<float> destination)
    {
        int replaced = SampleDecoder.Decode(_sampleFormat, bytes, destination);
        if (replaced != 0) _diagnostics.NonFiniteSamplesReplaced += replaced;
    }
}
