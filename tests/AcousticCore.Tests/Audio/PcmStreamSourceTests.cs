using AcousticCore.Audio;
using Xunit;

namespace AcousticCore.Tests.Audio;

public class PcmStreamSourceTests
{
    public static TheoryData<SampleFormat, int, int> RawCases => new()
    {
        { SampleFormat.U8, 1, 1 },
        { SampleFormat.S16, 2, 1 },
        { SampleFormat.S16, 2, 3 },
        { SampleFormat.S24, 2, 7 },
        { SampleFormat.S24, 16, 4093 },
        { SampleFormat.S32, 3, 7 },
        { SampleFormat.F32, 64, 3 },
        { SampleFormat.F32, 1, 4093 },
    };

    [Theory]
    [MemberData(nameof(RawCases))]
    public void RawPcmInTinyChunksDecodesToTheWrittenValues(SampleFormat format, int channels, int chunk)
    {
        var signal = TestWav.MakeSignal(format, channels, frames: 700, seed: chunk);
        using var source = new PcmStreamSource(new TrickleStream(signal.Data, chunk), new PcmStreamOptions(format, channels, 48_000), "stdin");
        Assert.Equal(format, source.SampleFormat);
        Assert.Equal(signal.Expected, TestWav.ReadAll(source, 97));
        Assert.Empty(source.Warnings);
        Assert.Equal(700, source.FramesRead);
    }

    [Theory]
    [InlineData(SampleFormat.S16, 2, false)]
    [InlineData(SampleFormat.S24, 16, false)]
    [InlineData(SampleFormat.F32, 64, true)]
    [InlineData(SampleFormat.U8, 1, false)]
    [InlineData(SampleFormat.S32, 2, true)]
    public void WavStreamInRandomChunksEqualsWholeFileDecode(SampleFormat format, int channels, bool extensible)
    {
        var signal = TestWav.MakeSignal(format, channels, frames: 1500);
        byte[] wav = TestWav.Build(format, channels, 44_100, signal.Data, extensible: extensible,
            chunksBeforeData: TestWav.Chunk("LIST", new byte[101]));
        float[] batch;
        using (var file = new TempFile(wav))
        using (var whole = AudioSourceFactory.OpenFile(file.Path))
        {
            batch = TestWav.ReadAll(whole);
        }

        Assert.Equal(signal.Expected, batch);
        var rng = new Random(7);
        int[] randomSizes = Enumerable.Range(0, 64).Select(_ => rng.Next(1, 5000)).ToArray();
        foreach (int[] sizes in new[] { new[] { 1 }, new[] { 3 }, new[] { 7 }, new[] { 4093 }, randomSizes })
        {
            using var source = new PcmStreamSource(new TrickleStream(wav, sizes), PcmStreamOptions.Wav, "stdin");
            Assert.Equal(44_100, source.Format.SampleRate);
            Assert.Equal(channels, source.Format.Channels);
            Assert.Equal(batch, TestWav.ReadAll(source, 1 + sizes[0] % 500 * channels));
            Assert.Empty(source.Warnings);
        }
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0xFFFFFFFFu)]
    public void PipedWavWithUnknownSizesIsReadToTheEnd(uint size)
    {
        var signal = TestWav.MakeSignal(SampleFormat.S16, 2, 1000);
        byte[] wav = TestWav.Build(SampleFormat.S16, 2, 48_000, signal.Data, riffSize: size, dataSize: size);
        using var source = new PcmStreamSource(new TrickleStream(wav, 5), PcmStreamOptions.Wav, "stdin");
        Assert.Equal(signal.Expected, TestWav.ReadAll(source));
        Assert.Empty(source.Warnings);
    }

    [Fact]
    public void WavStreamStopsAtTheDeclaredDataEnd()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S16, 1, 100);
        byte[] wav = TestWav.Build(SampleFormat.S16, 1, 48_000, signal.Data, chunksAfterData: TestWav.Chunk("LIST", new byte[300]));
        using var source = new PcmStreamSource(new TrickleStream(wav, 13), PcmStreamOptions.Wav, "stdin");
        Assert.Equal(signal.Expected, TestWav.ReadAll(source));
    }

    [Theory]
    [InlineData(1, "mid-sample")]   // 1 byte of a 3-byte sample
    [InlineData(3, "mid-frame")]    // one whole sample of a 2-sample frame
    [InlineData(5, "mid-sample")]
    public void StreamEndingInsideAFrameDropsItWithAWarning(int extra, string kind)
    {
        var signal = TestWav.MakeSignal(SampleFormat.S24, 2, 40);
        byte[] bytes = [.. signal.Data, .. new byte[extra]];
        using var source = new PcmStreamSource(new TrickleStream(bytes, 7), new PcmStreamOptions(SampleFormat.S24, 2, 48_000), "stdin");
        Assert.Equal(signal.Expected, TestWav.ReadAll(source));
        string w = Assert.Single(source.Warnings);
        Assert.Equal($"stdin: stream ended mid-frame: {extra} byte(s) of an incomplete 6-byte frame dropped ({kind}) (at byte 240)", w);
        Assert.Equal(0, source.Read(new float[8])); // stays ended
    }

    [Fact]
    public void WavStreamShorterThanItsDataChunkWarns()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S16, 1, 10);
        byte[] wav = TestWav.Build(SampleFormat.S16, 1, 48_000, signal.Data, dataSize: 1000);
        using var source = new PcmStreamSource(new MemoryStream(wav), PcmStreamOptions.Wav, "stdin");
        Assert.Equal(signal.Expected, TestWav.ReadAll(source));
        Assert.Contains(source.Warnings, w => w.Contains("declares 1000 bytes but the stream ended after 20", StringComparison.Ordinal));
    }

    [Fact]
    public void NonFiniteStreamSamplesAreReplacedAndCounted()
    {
        float[] values = [float.NaN, 0.5f, float.NegativeInfinity, -0.5f];
        byte[] data = new byte[16];
        for (int i = 0; i < 4; i++) BitConverter.TryWriteBytes(data.AsSpan(4 * i), values[i]);
        using var source = new PcmStreamSource(new TrickleStream(data, 3), new PcmStreamOptions(SampleFormat.F32, 1, 8_000), "stdin");
        Assert.Equal(new[] { 0f, 0.5f, 0f, -0.5f }, TestWav.ReadAll(source));
        Assert.Equal(2, source.NonFiniteSamplesReplaced);
    }

    [Fact]
    public void EmptyWavStreamIsAnError()
    {
        var e = Assert.Throws<AudioDataException>(() => new PcmStreamSource(new MemoryStream(), PcmStreamOptions.Wav, "stdin"));
        Assert.Equal("stdin: empty: 0 bytes where a WAV (RIFF/WAVE) header was expected", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    public void TruncatedWavHeaderOnAStreamGivesTheOffset(int chunk)
    {
        byte[] wav = TestWav.Build(SampleFormat.S16, 2, 48_000, new byte[40]);
        var e = Assert.Throws<AudioDataException>(() => new PcmStreamSource(new TrickleStream(wav[..30], chunk), PcmStreamOptions.Wav, "stdin"));
        Assert.Equal("stdin: truncated WAV header: ends at byte 30 inside the 'fmt ' chunk; no 'data' chunk found (at byte 30)", e.Message);
    }

    [Fact]
    public void EndlessEmptyChunksBeforeDataAreRefused()
    {
        byte[] fmtOnly = TestWav.Build(SampleFormat.S16, 1, 8_000, [])[..36];
        var junk = new List<byte>(fmtOnly);
        for (int i = 0; i < 5000; i++) junk.AddRange(TestWav.Chunk("JUNK", []));
        var e = Assert.Throws<AudioDataException>(() => new PcmStreamSource(new MemoryStream(junk.ToArray()), PcmStreamOptions.Wav, "stdin"));
        Assert.Contains("more than 4096 chunks before the 'data' chunk", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyRawStreamIsJustTheEnd()
    {
        using var source = new PcmStreamSource(new MemoryStream(), new PcmStreamOptions(SampleFormat.S16, 1, 8_000), "stdin");
        Assert.Equal(0, source.Read(new float[16]));
    }

    [Fact]
    public void BadWavHeaderOnAStreamNamesTheStream()
    {
        byte[] wav = TestWav.Build(SampleFormat.S16, 2, 48_000, new byte[8], formatTag: 0x55);
        var e = Assert.Throws<AudioDataException>(() => new PcmStreamSource(new TrickleStream(wav, 1), PcmStreamOptions.Wav, "stdin"));
        Assert.StartsWith("stdin: unsupported codec: format tag 0x0055", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsyncGivesTheSameSamplesAsRead()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S16, 2, 900);
        using var source = new PcmStreamSource(new TrickleStream(signal.Data, 11), new PcmStreamOptions(SampleFormat.S16, 2, 48_000), "stdin");
        var all = new List<float>();
        var buffer = new float[64];
        int n;
        while ((n = await source.ReadAsync(buffer)) > 0) all.AddRange(buffer.AsSpan(0, n).ToArray());
        Assert.Equal(signal.Expected, all);
    }

    [Fact]
    public void DestinationSmallerThanAFrameIsAnArgumentError()
    {
        using var source = new PcmStreamSource(new MemoryStream(new byte[64]), new PcmStreamOptions(SampleFormat.S16, 4, 8_000), "stdin");
        Assert.Throws<ArgumentException>(() => source.Read(new float[3]));
        Assert.Equal(4, source.Read(new float[7]));  // whole frames only
    }

    [Fact]
    public void SteadyStateReadingAllocatesNothing()
    {
        // 2 s of 16-bit stereo at 48 kHz, read in 10 ms blocks (480 frames).
        var signal = TestWav.MakeSignal(SampleFormat.S16, 2, 96_000);
        using var source = new PcmStreamSource(new MemoryStream(signal.Data), new PcmStreamOptions(SampleFormat.S16, 2, 48_000), "stdin");
        var block = new float[960];
        for (int i = 0; i < 20; i++) Assert.True(source.Read(block) > 0);
        Assert.Equal(0, TestWav.MinAllocatedOverWindows(() => source.Read(block), 3, 50, out long floats));
        Assert.True(floats > 100_000); // the loop really decoded over 1 s of audio
    }

    [Fact]
    public void SteadyStateWavFileReadingAllocatesNothing()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S24, 16, 48_000);
        foreach (uint? size in new uint?[] { null, 0u })
        {
            using var file = new TempFile(TestWav.Build(SampleFormat.S24, 16, 48_000, signal.Data, dataSize: size, riffSize: size));
            using var source = new WavFileSource(file.Path);
            var block = new float[480 * 16];
            for (int i = 0; i < 40; i++) Assert.True(source.Read(block) > 0);
            Assert.Equal(0, TestWav.MinAllocatedOverWindows(() => source.Read(block), 3, 20, out long floats));
            Assert.Equal(size is null, source.ReadsThroughNAudio);
            Assert.True(floats > 30 * 480 * 16); // the loop really decoded audio
        }
    }

    [Fact]
    public void RawFileInputThroughTheFactory()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S32, 2, 300);
        using var file = new TempFile(signal.Data, ".raw");
        using var source = AudioSourceFactory.OpenInput(file.Path, PcmStreamOptions.Parse("s32le", 2, 16_000), () => throw new InvalidOperationException());
        Assert.Equal(file.Path, source.Name);
        Assert.Equal(signal.Expected, TestWav.ReadAll(source));
    }

    [Fact]
    public void StdinInputThroughTheFactory()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S16, 1, 300);
        byte[] wav = TestWav.Build(SampleFormat.S16, 1, 8_000, signal.Data, dataSize: 0xFFFFFFFF);
        using var source = AudioSourceFactory.OpenInput("stdin", PcmStreamOptions.Parse("wav", 0, 0), () => new TrickleStream(wav, 3));
        Assert.Equal("stdin", source.Name);
        Assert.Equal(8_000, source.Format.SampleRate);
        Assert.Equal(signal.Expected, TestWav.ReadAll(source));
    }

    [Theory]
    [InlineData("s8le", 2, 48_000, "--sample-format 's8le' is not one of")]
    [InlineData("s16le", 0, 48_000, "--channels 0 is out of range (1..64)")]
    [InlineData("s16le", 65_535, 48_000, "--channels 65535 is out of range (1..64)")]
    [InlineData("f32le", 2, 0, "--rate 0 Hz is out of range (8000..192000)")]
    public void OptionParsingNamesTheBadOption(string format, int channels, int rate, string expected)
    {
        Assert.False(PcmStreamOptions.TryParse(format, channels, rate, out _, out string? error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        var e = Assert.Throws<ArgumentException>(() => PcmStreamOptions.Parse(format, channels, rate));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsValidateTimeoutsAndBufferSize()
    {
        var raw = PcmStreamOptions.Parse("S24LE", 3, 96_000);
        Assert.Equal(SampleFormat.S24, raw.SampleFormat);
        Assert.False(raw.DetectWavHeader);
        Assert.True(PcmStreamOptions.Parse("wav", 0, 0).DetectWavHeader);
        Assert.Throws<ArgumentOutOfRangeException>(() => raw.WithAcceptTimeout(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => raw.WithIdleTimeout(TimeSpan.FromSeconds(-1)));
        var wav = PcmStreamOptions.Wav.WithAcceptTimeout(TimeSpan.FromSeconds(3)).WithIdleTimeout(TimeSpan.FromSeconds(1));
        Assert.True(wav.DetectWavHeader);
        Assert.Equal(TimeSpan.FromSeconds(3), wav.AcceptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), wav.IdleTimeout);
        Assert.Null(PcmStreamOptions.Wav.AcceptTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PcmStreamOptions(SampleFormat.S16, 1, 8_000) { ReadBufferBytes = 10 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new PcmStreamOptions(SampleFormat.S16, 0, 8_000));
    }
}
