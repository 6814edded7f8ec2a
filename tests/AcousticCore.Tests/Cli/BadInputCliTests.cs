using AcousticCore.Audio;
using AcousticCore.Tests.Audio;
using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Cli;

/// <summary>Issue 2's bad-input list, end to end through the CLI: exit 3 naming file and problem, or a documented warning.</summary>
public class BadInputCliTests
{
    private static byte[] Pcm16(int frames, int channels) => new byte[frames * channels * 2];

    public static TheoryData<string, byte[], string> BadFiles() => new()
    {
        { "empty", [], "empty" },
        { "truncated-header", TestWav.Build(SampleFormat.S16, 1, 16000, Pcm16(100, 1))[..30], "" },
        { "not-a-wav", "ID3\u0003 this is an MP3 named .wav"u8.ToArray(), "" },
        { "zero-channels", TestWav.Build(SampleFormat.S16, 0, 16000, Pcm16(100, 1), blockAlign: 2), "channel" },
        { "zero-hz", TestWav.Build(SampleFormat.S16, 1, 0, Pcm16(100, 1)), "rate" },
        { "adpcm", TestWav.Build(SampleFormat.S16, 1, 16000, Pcm16(100, 1), formatTag: 2, bitsPerSample: 4), "" },
        { "mp3-in-wav", TestWav.Build(SampleFormat.S16, 1, 16000, Pcm16(100, 1), formatTag: 0x55, bitsPerSample: 0), "" },
        { "65535-channels", TestWav.Build(SampleFormat.S16, 65535, 16000, Pcm16(10, 1), blockAlign: 65535 * 2 % 65536), "channel" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadWavFilesExit3WithOneLineNamingTheFile(string name, byte[] content, string mentions)
    {
        string path = Path.Combine(CliHarness.TempDir(), name + ".wav");
        File.WriteAllBytes(path, content);
        var r = CliHarness.Run("analyze", path, "--format", "jsonl");
        Assert.Equal(3, r.ExitCode);
        string line = Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("acoustic: " + path + ": ", line);
        Assert.Contains(mentions, line, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(string.Empty, r.Out);
    }

    [Fact]
    public void FourGigabyteDataClaimOnATinyFileReadsWhatIsThereWithAWarning()
    {
        var data = new byte[16000 * 2];
        var content = TestWav.Build(SampleFormat.S16, 1, 16000, data, dataSize: 0xFFFFFFF0, riffSize: 0xFFFFFFF8);
        string path = Path.Combine(CliHarness.TempDir(), "huge-claim.wav");
        File.WriteAllBytes(path, content);
        long before = GC.GetTotalAllocatedBytes();
        var r = CliHarness.Run("analyze", path, "--format", "jsonl");
        Assert.True(GC.GetTotalAllocatedBytes() - before < 200_000_000, "no giant allocation");
        Assert.Equal(0, r.ExitCode);
        var summary = r.JsonRecords().Single(x => x["kind"].GetString() == "summary");
        Assert.Equal(1.0, summary["duration_s"].GetDouble());
    }

    [Fact]
    public void DataChunkLargerThanTheFileIsReadToItsRealEndWithAWarning()
    {
        var content = TestWav.Build(SampleFormat.S16, 1, 16000, new byte[8000 * 2], dataSize: 16000 * 2);
        string path = Path.Combine(CliHarness.TempDir(), "short.wav");
        File.WriteAllBytes(path, content);
        var r = CliHarness.Run("analyze", path, "--format", "jsonl");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("warning", r.Error);
        Assert.Contains(path, r.Error);
        Assert.Equal(0.5, r.JsonRecords().Single(x => x["kind"].GetString() == "summary")["duration_s"].GetDouble());
    }

    [Fact]
    public void NanAndInfSamplesAreReplacedCountedAndDoNotPoisonLevels()
    {
        var x = Signals.Sine(1000, 0.1, 16000, 16000);
        x[100] = float.NaN;
        x[200] = float.PositiveInfinity;
        x[300] = float.NegativeInfinity;
        string path = CliHarness.WriteWav(Path.Combine(CliHarness.TempDir(), "nan.wav"), x, 16000, 1, bits: 32);
        var r = CliHarness.Run("analyze", path, "--format", "jsonl");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("3 NaN/Inf samples", r.Error);
        var summary = r.JsonRecords().Single(x => x["kind"].GetString() == "summary");
        Assert.InRange(summary["lzeq_db"].GetDouble(), -20.1, -19.9);
    }

    [Fact]
    public async Task TcpPeerDisconnectingMidFrameEndsTheStreamWithAWarning()
    {
        int port = CliHarness.FreePort();
        var sender = Task.Run(async () =>
        {
            using var client = await CliHarness.ConnectWhenListening(port);

            // 0.5 s of 2-channel s16le and then half a frame; then the peer vanishes.
            await client.GetStream().WriteAsync(new byte[8000 * 4 + 3]);
        });
        var r = await Task.Run(() => CliHarness.Run("stream", "--input", $"tcp://127.0.0.1:{port}", "--sample-format", "s16le",
            "--channels", "2", "--rate", "16000", "--accept-timeout", "20", "--idle-timeout", "20"));
        await sender.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("warning", r.Error);
        var summaries = r.JsonRecords().Where(x => x["kind"].GetString() == "summary").ToList();
        Assert.Equal(2, summaries.Count);
        Assert.All(summaries, s => Assert.Equal(0.5, s["duration_s"].GetDouble()));
    }

    [Fact]
    public void TcpWithNoSensorTimesOutWithExit3()
    {
        var r = CliHarness.Run("stream", "--input", $"tcp://127.0.0.1:{CliHarness.FreePort()}", "--accept-timeout", "0.3");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("tcp://127.0.0.1", r.Error);
    }
}
