using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;

namespace AcousticCore.Audio;

/// <summary>
/// Incremental, hardened RIFF/WAVE chunk walker: fed whatever bytes have arrived (a pipe may split the header
/// anywhere), it returns the validated <see cref="WavHeader"/> once the data chunk header has been read.
/// </summary>
/// <remarks>
/// Every length in the header is treated as hostile: chunks before <c>data</c> are skipped by counting, never
/// buffered (a <c>LIST</c> chunk claiming 4 GB costs nothing); the <c>fmt </c> chunk is the only one buffered and
/// is capped at <see cref="MaxFmtChunkBytes"/>. It never seeks, so it works on pipes, sockets and files alike.
/// </remarks>
internal sealed class WavHeaderParser
{
    /// <summary>Largest fmt chunk accepted; real ones are 16, 18 or 40 bytes.</summary>
    internal const int MaxFmtChunkBytes = 1024;

    /// <summary>Chunks tolerated before <c>data</c>; real files have a handful, a hostile stream could send endless empty ones.</summary>
    internal const int MaxChunksBeforeData = 4096;

    private static readonly byte[] ExtensibleGuidTail = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    private readonly string _source;
    private readonly SourceDiagnostics _diagnostics;
    private State _state = State.RiffHeader;
    private long _offset;          // absolute offset of the next unconsumed byte
    private long _skipRemaining;   // bytes of an uninteresting chunk still to skip
    private long _skipChunkStart;
    private string _skipChunkId = "";
    private long _fmtBodyLength;
    private long _fmtChunkOffset;
    private bool _isRf64;
    private long _riffSize;
    private long? _rf64DataLength;
    private Fmt? _fmt;
    private int _chunks;

    internal WavHeaderParser(string source, SourceDiagnostics diagnostics)
    {
        _source = source;
        _diagnostics = diagnostics;
    }

    private enum State
    {
        RiffHeader,
        ChunkHeader,
        FmtBody,
        Ds64Body,
        Skip,
        Done,
    }

    /// <summary>Absolute byte offset of the next byte the parser has not consumed.</summary>
    internal long Offset => _offset;

    /// <summary>
    /// Consumes as much of <paramref name="buffer"/> as it can. Returns the header when complete, else null
    /// (more bytes are needed). <paramref name="consumed"/> is where the caller should advance to.
    /// </summary>
    /// <exception cref="AudioDataException">Not a WAV, truncated, unsupported or hostile header.</exception>
    internal WavHeader? Parse(ReadOnlySequence<byte> buffer, bool isCompleted, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        WavHeader? header = null;
        while (header is null)
        {
            long before = reader.Consumed;
            bool progressed = Step(ref reader, out header);
            _offset += reader.Consumed - before;
            if (!progressed)
            {
                if (isCompleted) ThrowTruncated(reader.Remaining);
                break;
            }
        }

        consumed = reader.Position;
        return header;
    }

    private bool Step(ref SequenceReader<byte> reader, out WavHeader? header)
    {
        header = null;
        Span<byte> head = stackalloc byte[12];
        switch (_state)
        {
            case State.RiffHeader:
                if (reader.Remaining < 12) return false;
                reader.TryCopyTo(head);
                if (!head[..4].SequenceEqual("RIFF"u8))
                {
                    _isRf64 = head[..4].SequenceEqual("RF64"u8);
                    if (!_isRf64) throw Error($"not a WAV file: starts with {Describe(head[..4])} instead of \"RIFF\"", 0);
                }

                _riffSize = BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(4, 4));
                if (!head.Slice(8, 4).SequenceEqual("WAVE"u8))
                {
                    throw Error($"not a WAV file: RIFF form type is {Describe(head.Slice(8, 4))} instead of \"WAVE\"", 8);
                }

                reader.Advance(12);
                _state = State.ChunkHeader;
                return true;

            case State.ChunkHeader:
            {
                if (reader.Remaining < 8) return false;
                reader.TryCopyTo(head[..8]);
                long chunkOffset = _offset;
                if (++_chunks > MaxChunksBeforeData)
                {
                    throw Error($"more than {MaxChunksBeforeData} chunks before the 'data' chunk (not a plausible WAV header)", chunkOffset);
                }

                uint size = BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(4, 4));
                reader.Advance(8);
                ReadOnlySpan<byte> id = head[..4];
                if (id.SequenceEqual("fmt "u8))
                {
                    if (_fmt is not null) throw Error("second 'fmt ' chunk", chunkOffset);
                    if (size < 16) throw Error($"'fmt ' chunk is {size} bytes (at least 16 needed)", chunkOffset);
                    if (size > MaxFmtChunkBytes)
                    {
                        throw Error($"'fmt ' chunk claims {size} bytes (implausible; at most {MaxFmtChunkBytes} accepted)", chunkOffset);
                    }

                    _fmtChunkOffset = chunkOffset;
                    _fmtBodyLength = size + (size & 1);
                    _state = State.FmtBody;
                    return true;
                }

                if (id.SequenceEqual("ds64"u8) && _isRf64)
                {
                    if (size < 24 || size > MaxFmtChunkBytes) throw Error($"RF64 'ds64' chunk has invalid size {size}", chunkOffset);
                    _fmtBodyLength = size + (size & 1);
                    _state = State.Ds64Body;
                    return true;
                }

                if (id.SequenceEqual("data"u8))
                {
                    if (_fmt is not { } fmt) throw Error("'data' chunk comes before any 'fmt ' chunk", chunkOffset);
                    long? declared = size is 0 or uint.MaxValue ? null : size;
                    if (_isRf64 && size == uint.MaxValue && _rf64DataLength is { } d64 && d64 > 0) declared = d64;
                    header = new WavHeader(fmt.SampleFormat, fmt.Channels, fmt.SampleRate, fmt.FormatTag, _offset + 8, declared,
                        DataSizeIsZero: size == 0, RiffSize: _isRf64 ? null : _riffSize);
                    _state = State.Done;
                    return true;
                }

                _skipChunkStart = chunkOffset;
                _skipChunkId = Describe(id);
                _skipRemaining = (long)size + (size & 1);
                _state = State.Skip;
                return true;
            }

            case State.Skip:
            {
                if (_skipRemaining == 0)
                {
                    _state = State.ChunkHeader;
                    return true;
                }

                if (reader.Remaining == 0) return false;
                long n = Math.Min(reader.Remaining, _skipRemaining);
                reader.Advance(n);
                _skipRemaining -= n;
                return true;
            }

            case State.FmtBody:
            case State.Ds64Body:
            {
                if (reader.Remaining < _fmtBodyLength) return false;
                Span<byte> body = stackalloc byte[(int)_fmtBodyLength];
                reader.TryCopyTo(body);
                reader.Advance(_fmtBodyLength);
                if (_state == State.FmtBody)
                {
                    _fmt = ParseFmt(body, _fmtChunkOffset + 8);
                }
                else
                {
                    _rf64DataLength = BinaryPrimitives.ReadInt64LittleEndian(body.Slice(8, 8));
                }

                _state = State.ChunkHeader;
                return true;
            }

            default:
                return false;
        }
    }

    private Fmt ParseFmt(ReadOnlySpan<byte> body, long bodyOffset)
    {
        int tag = BinaryPrimitives.ReadUInt16LittleEndian(body);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
        long rate = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
        long byteRate = BinaryPrimitives.ReadUInt32LittleEndian(body[8..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(body[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);

        int effectiveTag = tag;
        if (tag == 0xFFFE)
        {
            // WAVE_FORMAT_EXTENSIBLE: cbSize(2) validBits(2) channelMask(4) subFormat GUID(16) after the 16 base bytes.
            if (body.Length < 40 || BinaryPrimitives.ReadUInt16LittleEndian(body[16..]) < 22)
            {
                throw Error($"WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is too short ({body.Length} bytes, 40 needed)", bodyOffset);
            }

            int validBits = BinaryPrimitives.ReadUInt16LittleEndian(body[18..]);
            ReadOnlySpan<byte> guid = body.Slice(24, 16);
            uint subTag = BinaryPrimitives.ReadUInt32LittleEndian(guid);
            if (!guid[4..].SequenceEqual(ExtensibleGuidTail) || subTag > 0xFFFF)
            {
                throw Error($"unsupported codec: WAVE_FORMAT_EXTENSIBLE sub-format {new Guid(guid)}", bodyOffset + 24);
            }

            effectiveTag = (int)subTag;
            if (effectiveTag is not (1 or 3))
            {
                throw Error($"unsupported codec: WAVE_FORMAT_EXTENSIBLE sub-format tag 0x{effectiveTag:X4} ({CodecName(effectiveTag)}); " + Supported, bodyOffset + 24);
            }

            if (validBits > bits)
            {
                throw Error($"WAVE_FORMAT_EXTENSIBLE valid bits per sample {validBits} exceed the {bits}-bit container", bodyOffset + 18);
            }
        }
        else if (tag is not (1 or 3))
        {
            throw Error($"unsupported codec: format tag 0x{tag:X4} ({CodecName(tag)}); " + Supported, bodyOffset);
        }

        if (AudioFormat.Validate(rate, channels) is { } problem)
        {
            throw Error("unsupported WAV header: " + problem, bodyOffset + (channels is < 1 or > AudioFormat.MaxChannels ? 2 : 4));
        }

        SampleFormat format = (effectiveTag, bits) switch
        {
            (1, 8) => SampleFormat.U8,
            (1, 16) => SampleFormat.S16,
            (1, 24) => SampleFormat.S24,
            (1, 32) => SampleFormat.S32,
            (3, 32) => SampleFormat.F32,
            (1, _) => throw Error($"unsupported PCM bit depth {bits} (supported: 8, 16, 24, 32)", bodyOffset + 14),
            _ => throw Error($"unsupported IEEE float bit depth {bits} (only 32-bit float is supported)", bodyOffset + 14),
        };

        int expectedAlign = channels * format.BytesPerSample();
        if (blockAlign != expectedAlign)
        {
            throw Error($"block align {blockAlign} does not match {channels} channel(s) x {format.BytesPerSample()} bytes = {expectedAlign}", bodyOffset + 12);
        }

        if (byteRate != rate * expectedAlign)
        {
            _diagnostics.Warn($"header byte rate {byteRate} B/s disagrees with {rate} Hz x {expectedAlign} B/frame; using the sample rate", bodyOffset + 8);
        }

        return new Fmt(format, channels, (int)rate, tag);
    }

    private const string Supported = "supported: PCM (0x0001) 8/16/24/32-bit, IEEE float (0x0003) 32-bit, and EXTENSIBLE (0xFFFE) with those sub-formats";

    private void ThrowTruncated(long remaining)
    {
        long end = _offset + remaining;
        if (end == 0) throw Error("empty: 0 bytes where a WAV (RIFF/WAVE) header was expected");
        string where = _state switch
        {
            State.RiffHeader => "inside the 12-byte RIFF header",
            State.FmtBody => "inside the 'fmt ' chunk",
            State.Ds64Body => "inside the 'ds64' chunk",
            State.Skip => $"inside chunk {_skipChunkId} that starts at byte {_skipChunkStart.ToString(CultureInfo.InvariantCulture)} and claims {(_skipRemaining + _offset - _skipChunkStart - 8).ToString(CultureInfo.InvariantCulture)} bytes",
            _ => _fmt is null ? "before any 'fmt ' chunk" : "before the 'data' chunk",
        };
        throw Error($"truncated WAV header: ends at byte {end.ToString(CultureInfo.InvariantCulture)} {where}; no 'data' chunk found", end);
    }

    private AudioDataException Error(string problem, long? offset = null) => new(_source, problem, offset);

    private static string Describe(ReadOnlySpan<byte> id)
    {
        foreach (byte b in id)
        {
            if (b < 0x20 || b > 0x7E) return "bytes " + Convert.ToHexString(id);
        }

        return "'" + System.Text.Encoding.ASCII.GetString(id) + "'";
    }

    /// <summary>Names the common non-PCM WAV codecs so the error says what the file actually is.</summary>
    internal static string CodecName(int tag) => tag switch
    {
        0x0000 => "unknown/invalid",
        0x0002 => "Microsoft ADPCM",
        0x0006 => "A-law",
        0x0007 => "mu-law",
        0x0011 => "IMA ADPCM",
        0x0031 => "GSM 6.10",
        0x0050 => "MPEG audio",
        0x0055 => "MPEG Layer 3 (MP3)",
        0x00FF => "AAC",
        0x0160 or 0x0161 or 0x0162 or 0x0163 => "Windows Media Audio",
        0x1610 => "HE-AAC",
        0x2000 => "Dolby AC-3",
        0xF1AC => "FLAC",
        _ => "not PCM or float",
    };

    private readonly record struct Fmt(SampleFormat SampleFormat, int Channels, int SampleRate, int FormatTag);
}
