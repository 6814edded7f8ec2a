using System.Diagnostics;
using AcousticCore.Audio;
using AcousticCore.Audio.Capture;
using Xunit;

namespace AcousticCore.Tests.Capture;

public class CommandCaptureSourceTests
{
    private static readonly PcmStreamOptions S16Stereo = new(SampleFormat.S16, 2, 16000);

    private static List<float> ReadAll(IAudioSource src, int block = 64)
    {
        var all = new List<float>();
        var buf = new float[block];
        int got;
        while ((got = src.Read(buf)) > 0) all.AddRange(buf.AsSpan(0, got).ToArray());
        return all;
    }

    [Fact]
    public void DecodesKnownBytesWrittenBySh()
    {
        // Two stereo S16LE frames: (1, 32767), (−32768, 0).
        using var src = new CommandCaptureSource("""sh -c "printf '\001\000\377\177\000\200\000\000'" """, S16Stereo);
        Assert.Equal(new AudioFormat(16000, 2), src.Format);
        Assert.Equal(new[] { 1 / 32768f, 32767 / 32768f, -1f, 0f }, ReadAll(src));
        Assert.Equal(2, src.FramesRead);
        Assert.Empty(src.Warnings);
    }

    [Fact]
    public void ATrailingPartialFrameIsDroppedWithAWarning()
    {
        using var src = new CommandCaptureSource("""sh -c "printf '\001\000\002\000\003'" """, S16Stereo);
        Assert.Equal(2, ReadAll(src).Count);
        Assert.Contains(src.Warnings, w => w.Contains("incomplete", StringComparison.OrdinalIgnoreCase) || w.Contains("partial", StringComparison.OrdinalIgnoreCase) || w.Contains("trailing", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void MissingProgramIsAClearError()
    {
        var e = Assert.Throws<AudioCaptureException>(() => new CommandCaptureSource("no-such-capture-program-xyz -r 16000", S16Stereo));
        Assert.StartsWith("cmd:no-such-capture-program-xyz -r 16000: cannot start program 'no-such-capture-program-xyz'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonZeroExitReportsTheCodeAndStderrTail()
    {
        using var src = new CommandCaptureSource("""sh -c "printf 'abcd'; echo 'device hw:3 not found' >&2; exit 3" """, S16Stereo);
        var buf = new float[64];
        Assert.Equal(2, src.Read(buf));   // the data before the failure is delivered
        var e = Assert.Throws<AudioCaptureException>(() => src.Read(buf));
        Assert.Contains("program 'sh' exited with code 3: device hw:3 not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GarbageInsteadOfAWavHeaderIsAClearError()
    {
        var e = Assert.ThrowsAny<IOException>(() => new CommandCaptureSource("sh -c \"echo this is not audio; exit 1\"", PcmStreamOptions.Wav));
        Assert.Contains("exited with code 1", e.Message, StringComparison.Ordinal);
        var e2 = Assert.Throws<AudioDataException>(() => new CommandCaptureSource("sh -c \"echo this is not a wav header at all\"", PcmStreamOptions.Wav));
        Assert.StartsWith("cmd:", e2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SilentProgramTimesOutInsteadOfHanging()
    {
        var sw = Stopwatch.StartNew();
        using var src = new CommandCaptureSource("sleep 30", S16Stereo, idleTimeout: TimeSpan.FromMilliseconds(500));
        var e = Assert.ThrowsAny<Exception>(() => src.Read(new float[64]));
        Assert.Contains("wrote no audio for 0.5 s", e.ToString(), StringComparison.Ordinal);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
    }

    [Fact]
    public void FrameLimitStopsAnEndlessProgram()
    {
        using var src = new CommandCaptureSource("cat /dev/zero", S16Stereo, maxFrames: 1000);
        Assert.Equal(2000, ReadAll(src, block: 333 * 2).Count);
    }

    [Theory]
    [InlineData("sox -d -t raw -", new[] { "sox", "-d", "-t", "raw", "-" })]
    [InlineData("sh -c 'a | b \"c\"'", new[] { "sh", "-c", "a | b \"c\"" })]
    [InlineData("  prog \"two words\" a\\ b  ", new[] { "prog", "two words", "a b" })]
    [InlineData("prog ''", new[] { "prog", "" })]
    public void SplitsCommandLinesLikeAShell(string line, string[] expected)
    {
        Assert.Equal(expected, CommandCaptureSource.SplitCommandLine(line, "cmd:x"));
    }

    [Theory]
    [InlineData("   ", "empty command")]
    [InlineData("prog 'open", "unterminated ' quote")]
    public void BadCommandLinesAreClearErrors(string line, string expected)
    {
        var e = Assert.Throws<AudioCaptureException>(() => CommandCaptureSource.SplitCommandLine(line, "cmd:x"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FactoryRoutesCaptureInputs()
    {
        Assert.True(CaptureSourceFactory.IsCaptureInput("alsa:default"));
        Assert.True(CaptureSourceFactory.IsCaptureInput("cmd:sox -d"));
        Assert.False(CaptureSourceFactory.IsCaptureInput("file.wav"));
        using var src = CaptureSourceFactory.Open("cmd:sh -c \"printf '\\001\\000\\002\\000'\"", new CaptureOptions(SampleFormat.S16, 2, 16000));
        Assert.Equal(2, ReadAll(src).Count);
        Assert.Throws<AudioCaptureException>(() => CaptureSourceFactory.Open("alsa:", new CaptureOptions(SampleFormat.S16, 1, 16000)));
    }
}
