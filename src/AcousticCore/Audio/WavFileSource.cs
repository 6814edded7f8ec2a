using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using NAudio.Wave;

namespace AcousticCore.Audio;

/// <summary>
/// Reads a WAV file (8/16/24/32-bit PCM, 32-bit float, WAVE_FORMAT_EXTENSIBLE; 1–64 channels; 8–192 kHz) as
/// interleaved float frames. The format is recognised by content, never by file extension.
/// </summary>
/// <remarks>
/// <para>The header is first walked by the project's own hardened RIFF parser (hostile sizes clamped, channel and
/// rate limits, codec named). A well-formed file whose data chunk fits in the file is then read through NAudio's
/// <see cref="WaveFileReader"/>. NAudio cannot read a data size of 0 or 0xFFFFFFFF (what pipes write: it reads 0
/// bytes) nor clamp a size larger than the file, so those files are read by the project's own pipe decoder to the
/// real end of the file, with a warning. Both paths use the same sample conversion, so they give identical samples.</para>
/// <para>Not thread-safe: one reader per thread.</para>
/// </remarks>
public sealed class WavFileSource : IAudioSource, IAudioSourceDiagnostics, IAudioSourceLength
{
    private const int ChunkBytes = 65_536;

    private readonly FileStream _file;
    private readonly SourceDiagnostics _diagnostics;
    private readonly WaveFileReader? _naudio;
    private readonly PcmStreamSource? _fallback;
    private readonly byte[]? _bytes;
    private readonly int _blockAlign;
    private bool _disposed;

    /// <summary>Opens and validates the WAV file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="AudioDataException">Empty, truncated, not a WAV, unsupported codec or format (message names file, problem and byte offset).</exception>
    public WavFileSource(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Name = path;
        _diagnostics = new SourceDiagnostics(path);
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        try
        {
            // A FIFO or device (process substitution, /dev/stdin) cannot seek: NAudio cannot read it, the own decoder can.
            long? fileLength = _file.CanSeek ? _file.Length : null;
            if (fileLength == 0)
            {
                throw new AudioDataException(path, "empty file (0 bytes); expected a WAV (RIFF/WAVE) header", 0);
            }

            var (stream, reader) = PcmStreamSource.CreatePipe(_file, leaveOpen: true, ChunkBytes);
            WavHeader header;
            try
            {
                header = PcmStreamSource.ReadWavHeader(reader, new WavHeaderParser(path, _diagnostics));
            }
            catch
            {
                reader.Complete();
                throw;
            }

            Format = new AudioFormat(header.SampleRate, header.Channels);
            SampleFormat = header.SampleFormat;
            _blockAlign = header.BlockAlign;
            long? available = fileLength - header.DataOffset;

            if (header.DeclaredDataLength is { } declared && declared <= available && declared % _blockAlign == 0
                && TryOpenNAudio(header, declared, out _naudio))
            {
                reader.Complete();
                stream.Dispose(); // leaves the file open: it was created with leaveOpen
                TotalFrames = declared / _blockAlign;
                _bytes = ArrayPool<byte>.Shared.Rent(Math.Max(1, ChunkBytes / _blockAlign) * _blockAlign); // one per file, returned on dispose
                return;
            }

            long? limit = header.DeclaredDataLength;
            if (limit is null && header.DataSizeIsZero && fileLength is long length && header.RiffSize == length - 8 && length > header.DataOffset
                && IsChunksToTheEnd(_file, header.DataOffset, length))
            {
                // A finalised file (its RIFF size is its length) whose data chunk is empty and followed by nothing but whole
                // chunks (LIST metadata, say): those bytes are not samples, unlike a streaming writer's unknown length.
                _diagnostics.Warn(string.Create(CultureInfo.InvariantCulture,
                    $"WAV data chunk is empty (size 0) in a finished file; the {length - header.DataOffset} bytes after it are other chunks, not samples"),
                    header.DataOffset - 4);
                limit = 0;
            }
            else if (limit is null)
            {
                _diagnostics.Warn(fileLength is null
                    ? "WAV data chunk size is 0 or 0xFFFFFFFF (unknown length, as streaming writers leave it); reading to the end of the stream"
                    : "WAV data chunk size is 0 or 0xFFFFFFFF (unknown length, as streaming writers leave it); reading to the end of the file",
                    header.DataOffset - 4);
            }
            else if (limit > available)
            {
                _diagnostics.Warn(string.Create(CultureInfo.InvariantCulture,
                    $"WAV data chunk declares {limit} bytes but only {available} follow in the file; reading what is there"), header.DataOffset - 4);
                limit = available;
            }

            TotalFrames = (limit ?? available) / _blockAlign;
            _fallback = new PcmStreamSource(stream, reader, header, limit, path, _diagnostics);
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// True when the bytes from <paramref name="offset"/> to the end are whole RIFF chunks (a printable four-letter id, a
    /// size, the body and its pad byte) ending exactly at the end of the file; samples almost never parse so.
    /// </summary>
    private static bool IsChunksToTheEnd(FileStream file, long offset, long length)
    {
        Span<byte> head = stackalloc byte[8];
        long position = offset;
        for (int chunks = 0; chunks < 10_000 && position + 8 <= length; chunks++)
        {
            if (RandomAccess.Read(file.SafeFileHandle, head, position) != 8) return false;
            foreach (byte b in head[..4])
            {
                if (b is < 0x20 or > 0x7E) return false;
            }

            long size = BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
            position += 8 + size + (size & 1);
            if (position == length || (position == length + 1 && (size & 1) == 1)) return true;   // a last pad byte may be missing
        }

        return false;
    }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Encoding of the samples in the file.</summary>
    public SampleFormat SampleFormat { get; }

    /// <summary>
    /// Whole frames in the data chunk as far as the file really holds them (for progress and durations); null when
    /// the file cannot seek (a FIFO) and its header does not give the length.
    /// </summary>
    public long? TotalFrames { get; }

    /// <inheritdoc />
    public long? LengthFrames => TotalFrames;

    /// <inheritdoc />
    public long NonFiniteSamplesReplaced => _diagnostics.NonFiniteSamplesReplaced;

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings => _diagnostics.Warnings;

    /// <summary>True when the sample bytes come through NAudio's <see cref="WaveFileReader"/> (well-formed files).</summary>
    internal bool ReadsThroughNAudio => _naudio is not null;

    /// <inheritdoc />
    public int Read(Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fallback is not null) return _fallback.Read(destination);

        int channels = Format.Channels;
        if (destination.Length < channels)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Destination must hold at least one frame ({channels} floats)."), nameof(destination));
        }

        int frames = Math.Min(destination.Length / channels, Math.Max(1, ChunkBytes / _blockAlign));
        Span<byte> bytes = _bytes.AsSpan(0, frames * _blockAlign);
        int got = 0;
        try
        {
            // NAudio returns what the file gives; loop so a short read never splits a frame.
            while (got < bytes.Length)
            {
                int n = _naudio!.Read(bytes[got..]);
                if (n <= 0) break;
                got += n;
            }
        }
        catch (IOException e)
        {
            throw new AudioDataException(Name, "read failed: " + e.Message, null, e);
        }

        int whole = got / _blockAlign;
        if (got % _blockAlign != 0)
        {
            _diagnostics.Warn(string.Create(CultureInfo.InvariantCulture, $"file ended mid-frame: {got % _blockAlign} byte(s) of an incomplete frame dropped"));
        }

        int replaced = SampleDecoder.Decode(SampleFormat, bytes[..(whole * _blockAlign)], destination[..(whole * channels)]);
        if (replaced != 0) _diagnostics.NonFiniteSamplesReplaced += replaced;
        return whole * channels;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _naudio?.Dispose();
        _fallback?.Dispose();
        if (_bytes is not null) ArrayPool<byte>.Shared.Return(_bytes);
        _file.Dispose();
    }

    private bool TryOpenNAudio(WavHeader header, long declared, out WaveFileReader? reader)
    {
        reader = null;
        WaveFileReader? candidate = null;
        long pipePosition = _file.Position; // the pipe has buffered up to here; the fallback must continue from it
        try
        {
            _file.Position = 0;
            candidate = new WaveFileReader(_file);
            WaveFormat f = candidate.WaveFormat;

            // NAudio must agree with the validated header; if it does not, trust the hardened parser.
            if (f.Channels == header.Channels && f.SampleRate == header.SampleRate && f.BlockAlign == _blockAlign
                && candidate.Length == declared && candidate.Position == 0)
            {
                reader = candidate;
                return true;
            }
        }
#pragma warning disable CA1031 // NAudio is the preferred path, not the only one: any failure falls back to the own decoder
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        candidate?.Dispose();
        _file.Position = pipePosition;
        return false;
    }
}
