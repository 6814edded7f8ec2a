using System.Buffers.Binary;
using Xunit;
using AcousticCore.Audio;

namespace AcousticCore.Tests.Audio;

/// <summary>
/// Writes WAV files byte by byte, including broken ones, and the sample values they must decode to. The expected
/// floats come from the integer codes written (code / 2^(bits-1), u8: (code-128)/128), independent of the decoder.
/// </summary>
internal static class TestWav
{
    internal sealed record Signal(byte[] Data, float[] Expected);

    /// <summary>Deterministic interleaved codes covering both extremes and zero, with their expected floats.</summary>
    internal static Signal MakeSignal(SampleFormat format, int channels, int frames, int seed = 1)
    {
        var rng = new Random(seed);
        int bps = format.BytesPerSample();
        var data = new byte[frames * channels * bps];
        var expected = new float[frames * channels];
        for (int i = 0; i < frames * channels; i++)
        {
            Span<byte> b = data.AsSpan(i * bps, bps);
            // First samples hit the extremes and zero; the rest are random over the full range.
            int pick = i < 3 ? i : 3;
            switch (format)
            {
                case SampleFormat.U8:
                {
                    int code = pick switch { 0 => 0, 1 => 255, 2 => 128, _ => rng.Next(0, 256) };
                    b[0] = (byte)code;
                    expected[i] = (float)((code - 128) / 128.0);
                    break;
                }
                case SampleFormat.S16:
                {
                    int code = pick switch { 0 => short.MinValue, 1 => short.MaxValue, 2 => 0, _ => rng.Next(short.MinValue, short.MaxValue + 1) };
                    BinaryPrimitives.WriteInt16LittleEndian(b, (short)code);
                    expected[i] = (float)(code / 32768.0);
                    break;
                }
                case SampleFormat.S24:
                {
                    int code = pick switch { 0 => -8388608, 1 => 8388607, 2 => 0, _ => rng.Next(-8388608, 8388608) };
                    b[0] = (byte)code;
                    b[1] = (byte)(code >> 8);
                    b[2] = (byte)(code >> 16);
                    expected[i] = (float)(code / 8388608.0);
                    break;
                }
                case SampleFormat.S32:
                {
                    int code = pick switch { 0 => int.MinValue, 1 => int.MaxValue, 2 => 0, _ => (int)rng.NextInt64(int.MinValue, (long)int.MaxValue + 1) };
                    BinaryPrimitives.WriteInt32LittleEndian(b, code);
                    expected[i] = (float)(code / 2147483648.0);
                    break;
                }
                case SampleFormat.F32:
                {
                    float v = pick switch { 0 => -1f, 1 => 1f, 2 => 0f, _ => (float)(rng.NextDouble() * 2 - 1) };
                    BinaryPrimitives.WriteSingleLittleEndian(b, v);
                    expected[i] = v;
                    break;
                }
            }
        }

        return new Signal(data, expected);
    }

    internal static int Tag(SampleFormat f) => f == SampleFormat.F32 ? 3 : 1;

    internal static int Bits(SampleFormat f) => f.BytesPerSample() * 8;

    /// <summary>A complete WAV; every header field can be overridden to build broken files.</summary>
    internal static byte[] Build(
        SampleFormat format, int channels, int sampleRate, byte[] data,
        bool extensible = false,
        int? formatTag = null,
        int? subFormatTag = null,
        int? bitsPerSample = null,
        int? blockAlign = null,
        uint? riffSize = null,
        uint? dataSize = null,
        byte[]? chunksBeforeData = null,
        byte[]? chunksAfterData = null,
        string riffId = "RIFF")
    {
        int bits = bitsPerSample ?? Bits(format);
        int align = blockAlign ?? channels * format.BytesPerSample();
        var fmt = new MemoryStream();
        var w = new BinaryWriter(fmt);
        w.Write((ushort)(formatTag ?? (extensible ? 0xFFFE : Tag(format))));
        w.Write((ushort)channels);
        w.Write((uint)sampleRate);
        w.Write((uint)(sampleRate * align));
        w.Write((ushort)align);
        w.Write((ushort)bits);
        if (extensible)
        {
            w.Write((ushort)22);
            w.Write((ushort)bits);
            w.Write(channels >= 32 ? 0u : (uint)((1L << channels) - 1));
            w.Write((uint)(subFormatTag ?? Tag(format)));
            w.Write(new byte[] { 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 });
        }

        w.Flush();
        return Assemble(riffId, fmt.ToArray(), data, riffSize, dataSize, chunksBeforeData, chunksAfterData);
    }

    internal static byte[] Assemble(string riffId, byte[] fmtBody, byte[] data, uint? riffSize = null, uint? dataSize = null,
        byte[]? chunksBeforeData = null, byte[]? chunksAfterData = null)
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write(System.Text.Encoding.ASCII.GetBytes(riffId));
        w.Write(0u); // patched below
        w.Write("WAVE"u8.ToArray());
        w.Write("fmt "u8.ToArray());
        w.Write((uint)fmtBody.Length);
        w.Write(fmtBody);
        if (chunksBeforeData is not null) w.Write(chunksBeforeData);
        w.Write("data"u8.ToArray());
        w.Write(dataSize ?? (uint)data.Length);
        w.Write(data);
        if (data.Length % 2 == 1 && chunksAfterData is not null) w.Write((byte)0);
        if (chunksAfterData is not null) w.Write(chunksAfterData);
        w.Flush();
        byte[] bytes = ms.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), riffSize ?? (uint)(bytes.Length - 8));
        return bytes;
    }

    /// <summary>A RIFF chunk with an arbitrary id and body (pad byte added for odd sizes).</summary>
    internal static byte[] Chunk(string id, byte[] body, uint? declaredSize = null)
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write(System.Text.Encoding.ASCII.GetBytes(id));
        w.Write(declaredSize ?? (uint)body.Length);
        w.Write(body);
        if (body.Length % 2 == 1) w.Write((byte)0);
        w.Flush();
        return ms.ToArray();
    }

    /// <summary>
    /// Smallest allocation (bytes, this thread) over several consecutive windows of reads. A per-read allocation
    /// shows in every window; a one-time event (a GC-triggered pool trim, a pool growing to a new high-water mark)
    /// cannot hide a per-read cost, but must not fail the test either.
    /// </summary>
    internal static long MinAllocatedOverWindows(Func<int> read, int windows, int readsPerWindow, out long floatsRead)
    {
        long min = long.MaxValue;
        floatsRead = 0;
        for (int w = 0; w < windows; w++)
        {
            long floats = 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < readsPerWindow; i++) floats += read();
            min = Math.Min(min, GC.GetAllocatedBytesForCurrentThread() - before);
            floatsRead += floats;
        }

        return min;
    }

    /// <summary>Reads a source to its end with a given destination size.</summary>
    internal static float[] ReadAll(IAudioSource source, int destinationFloats = 4096)
    {
        var all = new List<float>();
        var buffer = new float[Math.Max(destinationFloats, source.Format.Channels)];
        int n;
        while ((n = source.Read(buffer)) > 0)
        {
            Assert.Equal(0, n % source.Format.Channels);
            for (int i = 0; i < n; i++) all.Add(buffer[i]);
        }

        return all.ToArray();
    }
}

/// <summary>A temporary file deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    internal TempFile(byte[] content, string extension = ".wav")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "acousticcore-test-" + Guid.NewGuid().ToString("N") + extension);
        File.WriteAllBytes(Path, content);
    }

    internal string Path { get; }

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Non-seekable stream that returns at most a few bytes per read (fixed or random sizes), like a pipe or socket.</summary>
internal sealed class TrickleStream : Stream
{
    private readonly byte[] _data;
    private readonly int[] _chunkSizes;
    private int _position;
    private int _call;

    internal TrickleStream(byte[] data, params int[] chunkSizes)
    {
        _data = data;
        _chunkSizes = chunkSizes;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int chunk = _chunkSizes[_call++ % _chunkSizes.Length];
        int n = Math.Min(Math.Min(chunk, buffer.Length), _data.Length - _position);
        _data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
