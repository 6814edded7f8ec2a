using System.Runtime.InteropServices;
using AcousticCore.Audio;
using Xunit;

namespace AcousticCore.Tests.Audio;

public partial class WavFileSourceTests
{
    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkFifo(string path, uint mode);

    [Fact]
    public async Task NonSeekableFileLikeAFifoIsReadByTheOwnDecoder()
    {
        if (!OperatingSystem.IsLinux()) return; // FIFOs via libc mkfifo; the seekable paths are covered everywhere
        var signal = TestWav.MakeSignal(SampleFormat.S16, 2, 4000);
        byte[] wav = TestWav.Build(SampleFormat.S16, 2, 48_000, signal.Data);
        string path = Path.Combine(Path.GetTempPath(), "acousticcore-fifo-" + Guid.NewGuid().ToString("N") + ".wav");
        Assert.Equal(0, MkFifo(path, 0x180)); // 0600
        try
        {
            Task writer = Task.Run(() => File.WriteAllBytes(path, wav));
            float[] x = await Task.Run(() =>
            {
                using var source = new WavFileSource(path);
                Assert.False(source.ReadsThroughNAudio);
                Assert.Equal(4000, source.TotalFrames); // from the header: the FIFO has no length
                return TestWav.ReadAll(source);
            }).WaitAsync(TimeSpan.FromSeconds(10));
            await writer.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(signal.Expected, x);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Rf64WithDs64SizeIsRead()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S24, 2, 300);
        byte[] ds64Body = new byte[28];
        BitConverter.TryWriteBytes(ds64Body.AsSpan(0), 0xFFFFFFFFL);
        BitConverter.TryWriteBytes(ds64Body.AsSpan(8), (long)signal.Data.Length);
        BitConverter.TryWriteBytes(ds64Body.AsSpan(16), 300L);
        // ds64 must come first in RF64; build it by hand: RF64, ds64, fmt, data (size field 0xFFFFFFFF), trailing junk.
        byte[] plain = TestWav.Build(SampleFormat.S24, 2, 48_000, signal.Data, dataSize: 0xFFFFFFFF, riffSize: 0xFFFFFFFF,
            riffId: "RF64", chunksAfterData: TestWav.Chunk("JUNK", new byte[30]));
        byte[] rf64 = [.. plain[..12], .. TestWav.Chunk("ds64", ds64Body), .. plain[12..]];
        using var file = new TempFile(rf64);
        using var source = new WavFileSource(file.Path);
        Assert.Equal(signal.Expected, TestWav.ReadAll(source));
    }

    [Fact]
    public void EighteenByteFmtChunkWithZeroCbSizeIsAccepted()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S16, 1, 64);
        byte[] fmt = new byte[18];
        BitConverter.TryWriteBytes(fmt.AsSpan(0), (ushort)1);
        BitConverter.TryWriteBytes(fmt.AsSpan(2), (ushort)1);
        BitConverter.TryWriteBytes(fmt.AsSpan(4), 32_000u);
        BitConverter.TryWriteBytes(fmt.AsSpan(8), 64_000u);
        BitConverter.TryWriteBytes(fmt.AsSpan(12), (ushort)2);
        BitConverter.TryWriteBytes(fmt.AsSpan(14), (ushort)16);
        using var file = new TempFile(TestWav.Assemble("RIFF", fmt, signal.Data));
        using var source = new WavFileSource(file.Path);
        Assert.Equal(32_000, source.Format.SampleRate);
        Assert.Equal(signal.Expected, TestWav.ReadAll(source));
    }

    [Theory]
    [InlineData(SampleFormat.U8, 1, 8_000, false)]
    [InlineData(SampleFormat.S16, 1, 8_000, false)]
    [InlineData(SampleFormat.S16, 2, 48_000, false)]
    [InlineData(SampleFormat.S16, 64, 48_000, false)]
    [InlineData(SampleFormat.S24, 2, 192_000, false)]
    [InlineData(SampleFormat.S24, 64, 96_000, true)]
    [InlineData(SampleFormat.S32, 2, 44_100, false)]
    [InlineData(SampleFormat.S32, 1, 192_000, true)]
    [InlineData(SampleFormat.F32, 1, 8_000, false)]
    [InlineData(SampleFormat.F32, 64, 192_000, true)]
    [InlineData(SampleFormat.U8, 2, 22_050, false)]
    [InlineData(SampleFormat.S16, 2, 48_000, true)]
    [InlineData(SampleFormat.U8, 2, 16_000, true)]
    public void DecodesEveryFormatToTheWrittenValues(SampleFormat format, int channels, int rate, bool extensible)
    {
        var signal = TestWav.MakeSignal(format, channels, frames: 1001);
        using var file = new TempFile(TestWav.Build(format, channels, rate, signal.Data, extensible: extensible));
        using var source = new WavFileSource(file.Path);

        Assert.Equal(rate, source.Format.SampleRate);
        Assert.Equal(channels, source.Format.Channels);
        Assert.Equal(format, source.SampleFormat);
        Assert.Equal(1001, source.TotalFrames);
        Assert.Equal(1001, ((IAudioSourceLength)source).LengthFrames);
        Assert.True(source.ReadsThroughNAudio);
        Assert.Equal(signal.Expected, TestWav.ReadAll(source, 333));
        Assert.Empty(source.Warnings);
    }

    [Fact]
    public void FullScaleCodesMapToMinusOneAndJustBelowOne()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S16, 1, 3);
        using var file = new TempFile(TestWav.Build(SampleFormat.S16, 1, 48_000, signal.Data));
        using var source = AudioSourceFactory.OpenFile(file.Path);
        float[] x = TestWav.ReadAll(source);
        Assert.Equal(-1f, x[0]);
        Assert.Equal(32767f / 32768f, x[1]);
        Assert.Equal(0f, x[2]);
    }

    [Fact]
    public void SkipsChunksBeforeDataAndStopsAtDeclaredDataEnd()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S16, 2, 100);
        byte[] list = TestWav.Chunk("LIST", new byte[37]);  // odd size: pad byte must be skipped
        byte[] junk = TestWav.Chunk("JUNK", new byte[8]);
        byte[] after = TestWav.Chunk("id3 ", new byte[64]);
        using var file = new TempFile(TestWav.Build(SampleFormat.S16, 2, 48_000, signal.Data,
            chunksBeforeData: [.. list, .. junk], chunksAfterData: after));
        using var source = new WavFileSource(file.Path);
        Assert.Equal(signal.Expected, TestWav.ReadAll(source));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0xFFFFFFFFu)]
    public void StreamingWriterSizesAreReadToTheRealEndWithAWarning(uint size)
    {
        var signal = TestWav.MakeSignal(SampleFormat.S24, 2, 777);
        using var file = new TempFile(TestWav.Build(SampleFormat.S24, 2, 48_000, signal.Data, riffSize: size, dataSize: size));
        using var source = new WavFileSource(file.Path);
        Assert.False(source.ReadsThroughNAudio);
        Assert.Equal(signal.Expected, TestWav.ReadAll(source, 100));
        Assert.Contains(source.Warnings, w => w.Contains("0xFFFFFFFF", StringComparison.Ordinal) && w.Contains(file.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void AnEmptyDataChunkInAFinishedFileIsEmptyNotTheChunksAfterIt()
    {
        // A finished file (RIFF size = length − 8) with no samples and LIST metadata after its data chunk: the LIST bytes
        // must not be decoded as audio. The same layout with a streaming writer's RIFF size still reads to the end.
        byte[] list = TestWav.Chunk("LIST", System.Text.Encoding.ASCII.GetBytes("INFOISFT\u000e\0\0\0some recorder\0\0"));
        using var file = new TempFile(TestWav.Build(SampleFormat.S16, 1, 16_000, [], chunksAfterData: list));
        using (var source = new WavFileSource(file.Path))
        {
            Assert.Equal(0, source.TotalFrames);
            Assert.Empty(TestWav.ReadAll(source));
            Assert.Contains(source.Warnings, w => w.Contains("empty (size 0)", StringComparison.Ordinal));
        }

        using var streamed = new TempFile(TestWav.Build(SampleFormat.S16, 1, 16_000, [], riffSize: 0xFFFFFFFF, chunksAfterData: list));
        using (var reads = new WavFileSource(streamed.Path))
        {
            Assert.Equal(list.Length / 2, TestWav.ReadAll(reads).Length);
            Assert.Contains(reads.Warnings, w => w.Contains("unknown length", StringComparison.Ordinal));
        }

        // Data size 0 and a right RIFF size, but samples after the header, not chunks: read them, as an unknown length.
        var signal = TestWav.MakeSignal(SampleFormat.S16, 1, 16_000);
        byte[] bytes = TestWav.Build(SampleFormat.S16, 1, 16_000, signal.Data);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(40, 4), 0);   // the data chunk's size field
        using var samples = new TempFile(bytes);
        using var read = new WavFileSource(samples.Path);
        Assert.Equal(signal.Expected, TestWav.ReadAll(read));
        Assert.Contains(read.Warnings, w => w.Contains("unknown length", StringComparison.Ordinal));
    }

    [Fact]
    public void DataChunkLargerThanFileReadsWhatIsThereWithAWarning()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S16, 2, 500);
        using var file = new TempFile(TestWav.Build(SampleFormat.S16, 2, 48_000, signal.Data, dataSize: (uint)signal.Data.Length * 3));
        using var source = new WavFileSource(file.Path);
        Assert.Equal(500, source.TotalFrames);
        Assert.Equal(signal.Expected, TestWav.ReadAll(source));
        string w = Assert.Single(source.Warnings);
        Assert.Contains("declares 6000 bytes but only 2000 follow", w, StringComparison.Ordinal);
        Assert.Contains(file.Path, w, StringComparison.Ordinal);
    }

    [Fact]
    public void FourGigabyteDataClaimOnATinyFileIsClampedWithoutAGiantAllocation()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S16, 1, 50);
        using var file = new TempFile(TestWav.Build(SampleFormat.S16, 1, 48_000, signal.Data, riffSize: 0xFFFFFFF0u, dataSize: 0xFFFFFFF0u));
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var source = new WavFileSource(file.Path);
        float[] x = TestWav.ReadAll(source);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(signal.Expected, x);
        Assert.True(allocated < 2_000_000, $"allocated {allocated} bytes");
        Assert.Contains(source.Warnings, w => w.Contains("declares 4294967280 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void HugeChunkBeforeDataIsSkippedByCountingAndReportedAsTruncated()
    {
        byte[] bogus = TestWav.Chunk("LIST", new byte[16], declaredSize: 0xFFFFFF00u);
        using var file = new TempFile(TestWav.Build(SampleFormat.S16, 1, 48_000, new byte[100], chunksBeforeData: bogus));
        var e = Assert.Throws<AudioDataException>(() => new WavFileSource(file.Path));
        Assert.Contains("truncated WAV header", e.Message, StringComparison.Ordinal);
        Assert.Contains("'LIST'", e.Message, StringComparison.Ordinal);
        Assert.Contains(file.Path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DataNotAMultipleOfTheFrameDropsTheIncompleteFrameWithAWarning()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S16, 2, 10);
        byte[] data = [.. signal.Data, 1, 2, 3];
        using var file = new TempFile(TestWav.Build(SampleFormat.S16, 2, 48_000, data));
        using var source = new WavFileSource(file.Path);
        Assert.Equal(signal.Expected, TestWav.ReadAll(source));
        Assert.Contains(source.Warnings, w => w.Contains("3 byte(s) of an incomplete 4-byte frame", StringComparison.Ordinal));
    }

    [Fact]
    public void NonFiniteFloatSamplesAreReplacedByZeroAndCounted()
    {
        float[] values = [0.5f, float.NaN, -0.25f, float.PositiveInfinity, float.NegativeInfinity, 1f];
        byte[] data = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(data.AsSpan(4 * i), values[i]);
        using var file = new TempFile(TestWav.Build(SampleFormat.F32, 2, 48_000, data));
        using var source = new WavFileSource(file.Path);
        Assert.Equal(new[] { 0.5f, 0f, -0.25f, 0f, 0f, 1f }, TestWav.ReadAll(source));
        Assert.Equal(3, source.NonFiniteSamplesReplaced);
    }

    [Fact]
    public void EmptyFileIsAnErrorNamingTheFile()
    {
        using var file = new TempFile([]);
        var e = Assert.Throws<AudioDataException>(() => AudioSourceFactory.OpenFile(file.Path));
        Assert.Contains("empty file (0 bytes)", e.Message, StringComparison.Ordinal);
        Assert.Equal(file.Path, e.SourceName);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(11)]
    [InlineData(20)]
    [InlineData(40)]
    public void TruncatedHeaderIsAnErrorWithTheOffset(int keep)
    {
        byte[] full = TestWav.Build(SampleFormat.S16, 2, 48_000, new byte[400]);
        using var file = new TempFile(full[..keep]);
        var e = Assert.Throws<AudioDataException>(() => AudioSourceFactory.OpenFile(file.Path));
        Assert.Contains("truncated WAV header", e.Message, StringComparison.Ordinal);
        Assert.Equal(keep, e.ByteOffset);
        Assert.Contains(file.Path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextFileNamedWavIsNotAWav()
    {
        using var file = new TempFile("hello, this is not audio at all\n"u8.ToArray());
        var e = Assert.Throws<AudioDataException>(() => AudioSourceFactory.OpenFile(file.Path));
        Assert.Contains("not a WAV file: starts with 'hell' instead of \"RIFF\"", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, e.ByteOffset);
    }

    [Fact]
    public void RiffThatIsNotWaveIsNotAWav()
    {
        byte[] avi = TestWav.Build(SampleFormat.S16, 1, 48_000, new byte[10]);
        "AVI "u8.CopyTo(avi.AsSpan(8));
        using var file = new TempFile(avi);
        var e = Assert.Throws<AudioDataException>(() => AudioSourceFactory.OpenFile(file.Path));
        Assert.Contains("RIFF form type is 'AVI '", e.Message, StringComparison.Ordinal);
        Assert.Equal(8, e.ByteOffset);
    }

    [Fact]
    public void MissingFileIsFileNotFound()
    {
        string path = Path.Combine(Path.GetTempPath(), "acousticcore-no-such-" + Guid.NewGuid().ToString("N") + ".wav");
        var e = Assert.Throws<FileNotFoundException>(() => AudioSourceFactory.OpenFile(path));
        Assert.Equal(path, e.FileName);
    }

    [Theory]
    [InlineData(0, 48_000, "channel count 0 (must be at least 1)")]
    [InlineData(65_535, 48_000, "channel count 65535 (at most 64 supported)")]
    [InlineData(65, 48_000, "channel count 65 (at most 64 supported)")]
    [InlineData(2, 0, "sample rate 0 Hz")]
    [InlineData(2, 7_999, "sample rate 7999 Hz")]
    [InlineData(2, 384_000, "sample rate 384000 Hz")]
    public void HostileChannelAndRateFieldsAreClearErrors(int channels, int rate, string expected)
    {
        // blockAlign is a 16-bit field: a 65535-channel header cannot even state its own frame size.
        using var file = new TempFile(TestWav.Build(SampleFormat.S16, channels, rate, new byte[64], blockAlign: (ushort)(channels * 2)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<AudioDataException>(() => AudioSourceFactory.OpenFile(file.Path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 2_000_000);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains(file.Path, e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.ByteOffset);
    }

    [Theory]
    [InlineData(0x0002, "format tag 0x0002 (Microsoft ADPCM)")]
    [InlineData(0x0055, "format tag 0x0055 (MPEG Layer 3 (MP3))")]
    [InlineData(0x0011, "format tag 0x0011 (IMA ADPCM)")]
    [InlineData(0x0007, "format tag 0x0007 (mu-law)")]
    [InlineData(0x1234, "format tag 0x1234")]
    public void UnsupportedCodecsNameTheFormatTag(int tag, string expected)
    {
        using var file = new TempFile(TestWav.Build(SampleFormat.S16, 2, 44_100, new byte[64], formatTag: tag, bitsPerSample: 4));
        var e = Assert.Throws<AudioDataException>(() => AudioSourceFactory.OpenFile(file.Path));
        Assert.Contains("unsupported codec: " + expected, e.Message, StringComparison.Ordinal);
        Assert.Equal(20, e.ByteOffset);
    }

    [Fact]
    public void ExtensibleWithNonPcmSubFormatNamesIt()
    {
        using var file = new TempFile(TestWav.Build(SampleFormat.S16, 2, 44_100, new byte[64], extensible: true, subFormatTag: 0x0055));
        var e = Assert.Throws<AudioDataException>(() => AudioSourceFactory.OpenFile(file.Path));
        Assert.Contains("sub-format tag 0x0055 (MPEG Layer 3 (MP3))", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SampleFormat.S16, 12, "unsupported PCM bit depth 12")]
    [InlineData(SampleFormat.F32, 64, "unsupported IEEE float bit depth 64")]
    public void UnsupportedBitDepthsAreErrors(SampleFormat format, int bits, string expected)
    {
        using var file = new TempFile(TestWav.Build(format, 1, 48_000, new byte[64], bitsPerSample: bits));
        var e = Assert.Throws<AudioDataException>(() => AudioSourceFactory.OpenFile(file.Path));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BlockAlignThatContradictsTheFormatIsAnError()
    {
        using var file = new TempFile(TestWav.Build(SampleFormat.S16, 2, 48_000, new byte[64], blockAlign: 6));
        var e = Assert.Throws<AudioDataException>(() => AudioSourceFactory.OpenFile(file.Path));
        Assert.Contains("block align 6 does not match 2 channel(s) x 2 bytes = 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImplausibleFmtChunkSizeIsAnError()
    {
        byte[] wav = TestWav.Build(SampleFormat.S16, 2, 48_000, new byte[64]);
        BitConverter.TryWriteBytes(wav.AsSpan(16), 0x7FFFFFF0u);
        using var file = new TempFile(wav);
        var e = Assert.Throws<AudioDataException>(() => AudioSourceFactory.OpenFile(file.Path));
        Assert.Contains("'fmt ' chunk claims 2147483632 bytes", e.Message, StringComparison.Ordinal);
        Assert.Equal(12, e.ByteOffset);
    }

    [Fact]
    public void DataBeforeFmtIsAnError()
    {
        byte[] wav = [.. "RIFF"u8, 0, 0, 0, 0, .. "WAVE"u8, .. TestWav.Chunk("data", new byte[8])];
        using var file = new TempFile(wav);
        var e = Assert.Throws<AudioDataException>(() => AudioSourceFactory.OpenFile(file.Path));
        Assert.Contains("'data' chunk comes before any 'fmt ' chunk", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtensibleTwentyBitsInA24BitContainerReadsAtContainerScale()
    {
        // 20 valid bits are left-justified in the 3-byte container, so container scaling (2^23) gives full scale ±1.
        var signal = TestWav.MakeSignal(SampleFormat.S24, 2, 50);
        for (int i = 0; i < signal.Data.Length; i += 3) signal.Data[i] &= 0xF0; // low 4 bits unused
        byte[] wav = TestWav.Build(SampleFormat.S24, 2, 48_000, signal.Data, extensible: true);
        wav[38] = 20; // wValidBitsPerSample (fmt body offset 18 = file offset 20 + 18)
        using var file = new TempFile(wav);
        using var source = new WavFileSource(file.Path);
        float[] x = TestWav.ReadAll(source);
        for (int i = 0; i < x.Length; i++)
        {
            int code = signal.Data[3 * i] | (signal.Data[3 * i + 1] << 8) | ((sbyte)signal.Data[3 * i + 2] << 16);
            Assert.Equal((float)(code / 8388608.0), x[i]);
        }

        Assert.Equal(-1f, x[0]);
    }

    [Fact]
    public void ExtensibleValidBitsAboveTheContainerIsAnError()
    {
        byte[] wav = TestWav.Build(SampleFormat.S24, 2, 48_000, new byte[60], extensible: true);
        wav[38] = 32;
        using var file = new TempFile(wav);
        var e = Assert.Throws<AudioDataException>(() => new WavFileSource(file.Path));
        Assert.Contains("valid bits per sample 32 exceed the 24-bit container", e.Message, StringComparison.Ordinal);
        Assert.Equal(38, e.ByteOffset);
    }

    [Fact]
    public void ContentNotExtensionDecides()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S16, 1, 20);
        using var file = new TempFile(TestWav.Build(SampleFormat.S16, 1, 16_000, signal.Data), ".dat");
        using var source = AudioSourceFactory.OpenFile(file.Path);
        Assert.Equal(signal.Expected, TestWav.ReadAll(source));
    }
}
