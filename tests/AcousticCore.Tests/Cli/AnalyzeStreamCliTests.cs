using System.Text.Json;
using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Cli;

public class AnalyzeStreamCliTests
{
    private static readonly string[] Ignored = ["file", "latency_ms"];

    private static (string Path, byte[] Bytes, float[] Samples) MakeRecording(string dir)
    {
        const int rate = 16_000;
        var x = Signals.Interleave(Signals.WhiteNoise(0.1, rate * 3 + 1234, 8), Signals.Sine(440, 0.4, rate, rate * 3 + 1234));
        string path = CliHarness.WriteWav(Path.Combine(dir, "rec.wav"), x, rate, 2);
        return (path, File.ReadAllBytes(path), x);
    }

    private static void AssertSame(List<Dictionary<string, JsonElement>> expected, List<Dictionary<string, JsonElement>> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var e = expected[i].Where(kv => !Ignored.Contains(kv.Key)).Select(kv => (kv.Key, kv.Value.GetRawText())).ToList();
            var a = actual[i].Where(kv => !Ignored.Contains(kv.Key)).Select(kv => (kv.Key, kv.Value.GetRawText())).ToList();
            Assert.Equal(e, a);
        }
    }

    [Fact]
    public void StreamFromStdinInRandomChunksEqualsAnalyzeOfTheFile()
    {
        var (path, bytes, _) = MakeRecording(CliHarness.TempDir());
        var batch = CliHarness.Run("analyze", path, "--format", "jsonl", "--interval", "0.5");
        Assert.Equal(0, batch.ExitCode);
        var rng = new Random(5);
        int[] sizes = [1, 3, 7, 4093];
        var streamed = CliHarness.Run(() => new ChunkedStream(bytes, () => sizes[rng.Next(sizes.Length)]),
            "stream", "--input", "stdin", "--sample-format", "wav", "--format", "jsonl", "--interval", "0.5");
        Assert.True(streamed.ExitCode == 0, streamed.Error);
        var expected = batch.JsonRecords();
        var actual = streamed.JsonRecords();
        Assert.All(actual.Where(r => r["kind"].GetString() == "interval"), r => Assert.True(r["latency_ms"].GetDouble() >= 0));
        // analyze writes per file: intervals then summaries; stream writes the same order.
        AssertSame(expected, actual);
    }

    [Fact]
    public void RawPcmOnStdinEqualsAnalyzeOfTheSameSamples()
    {
        var (path, bytes, _) = MakeRecording(CliHarness.TempDir());
        byte[] raw = bytes[44..]; // NAudio writes a canonical 44-byte header for 16-bit PCM
        var rng = new Random(9);
        var streamed = CliHarness.Run(() => new ChunkedStream(raw, () => rng.Next(1, 5000)),
            "stream", "--input", "stdin", "--sample-format", "s16le", "--channels", "2", "--rate", "16000", "--format", "jsonl");
        Assert.True(streamed.ExitCode == 0, streamed.Error);
        AssertSame(CliHarness.Run("analyze", path, "--format", "jsonl").JsonRecords(), streamed.JsonRecords());
    }

    [Fact]
    public async Task StreamFromTcpEqualsAnalyzeOfTheFile()
    {
        var (path, bytes, _) = MakeRecording(CliHarness.TempDir());
        int port = CliHarness.FreePort();
        var sender = Task.Run(async () =>
        {
            using var client = await CliHarness.ConnectWhenListening(port);

            using var stream = client.GetStream();
            var rng = new Random(2);
            int[] sizes = [1, 3, 7, 4093];
            for (int pos = 0; pos < bytes.Length;)
            {
                int n = Math.Min(sizes[rng.Next(sizes.Length)], bytes.Length - pos);
                await stream.WriteAsync(bytes.AsMemory(pos, n));
                pos += n;
            }
        });
        var streamed = await Task.Run(() => CliHarness.Run("stream", "--input", $"tcp://127.0.0.1:{port}", "--format", "jsonl", "--accept-timeout", "20", "--idle-timeout", "20"));
        await sender.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(streamed.ExitCode == 0, streamed.Error);
        AssertSame(CliHarness.Run("analyze", path, "--format", "jsonl").JsonRecords(), streamed.JsonRecords());
    }

    [Fact]
    public void CsvHasOneHeaderAndTheSameColumnsForBothKinds()
    {
        var (path, _, _) = MakeRecording(CliHarness.TempDir());
        var r = CliHarness.Run("analyze", path, "--format", "csv");
        Assert.Equal(0, r.ExitCode);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal(["kind", "file", "channel", "time_s", "duration_s", "laeq_db"], header[..6]);
        Assert.Contains("lzeq_1000hz_db", header);
        Assert.All(lines[1..], l => Assert.Equal(header.Length, l.Split(',').Length));
        Assert.Equal(2 * 4, lines.Count(l => l.StartsWith("interval,", StringComparison.Ordinal))); // 3.08 s → 4 intervals × 2 ch
        Assert.Equal(2, lines.Count(l => l.StartsWith("summary,", StringComparison.Ordinal)));
    }

    [Fact]
    public void FolderIsSearchedRecursivelyAndTableIsTheDefault()
    {
        string dir = CliHarness.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        CliHarness.WriteWav(Path.Combine(dir, "a.wav"), Signals.Sine(1000, 0.1, 8000, 8000), 8000, 1);
        CliHarness.WriteWav(Path.Combine(dir, "sub", "b.WAV"), Signals.Sine(1000, 0.1, 8000, 8000), 8000, 1);
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "not audio");
        var r = CliHarness.Run("analyze", dir);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("a.wav", r.Out);
        Assert.Contains("b.WAV", r.Out);
        Assert.Contains("LAeq", r.Out);
        Assert.DoesNotContain("notes", r.Out);
    }

    [Theory]
    [InlineData("analyze", "/nonexistent/x.wav")]
    [InlineData("analyze", "--format", "xml", "PLACEHOLDER")]
    [InlineData("analyze", "--interval", "0", "PLACEHOLDER")]
    [InlineData("analyze", "--frame", "1000", "PLACEHOLDER")]
    [InlineData("analyze", "--hop", "4096", "PLACEHOLDER")]
    [InlineData("analyze", "--window", "kaiser", "PLACEHOLDER")]
    [InlineData("analyze", "--calibration-offset-db", "NaN", "PLACEHOLDER")]
    [InlineData("stream", "--input", "stdin", "--sample-format", "s12le")]
    [InlineData("stream", "--input", "stdin", "--sample-format", "s16le", "--channels", "0")]
    [InlineData("stream", "--input", "stdin", "--sample-format", "s16le", "--rate", "0")]
    [InlineData("stream", "--input", "tcp://8.8.8.8:9000")]
    [InlineData("stream")]
    [InlineData("frobnicate")]
    public void UsageErrorsExitWith2AndOneClearLine(params string[] args)
    {
        string dir = CliHarness.TempDir();
        string file = CliHarness.WriteWav(Path.Combine(dir, "ok.wav"), Signals.Sine(1000, 0.1, 8000, 800), 8000, 1);
        args = args.Select(a => a == "PLACEHOLDER" ? file : a).ToArray();
        var r = CliHarness.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("acoustic: ", r.Error);
        Assert.DoesNotContain("   at ", r.Error); // never a stack trace
    }

    [Fact]
    public void BadFilesExitWith3NamingTheFile_AndGoodFilesAreStillAnalysed()
    {
        string dir = CliHarness.TempDir();
        string good = CliHarness.WriteWav(Path.Combine(dir, "good.wav"), Signals.Sine(1000, 0.1, 8000, 8000), 8000, 1);
        string empty = Path.Combine(dir, "empty.wav");
        File.WriteAllBytes(empty, []);
        string text = Path.Combine(dir, "text.wav");
        File.WriteAllText(text, "this is not a RIFF file at all, just text");
        string truncated = Path.Combine(dir, "truncated.wav");
        File.WriteAllBytes(truncated, File.ReadAllBytes(good)[..20]);
        foreach (string bad in new[] { empty, text, truncated })
        {
            var r = CliHarness.Run("analyze", bad, good, "--format", "jsonl");
            Assert.Equal(3, r.ExitCode);
            Assert.Contains(bad, r.Error);
            Assert.DoesNotContain("   at ", r.Error);
            Assert.Contains(r.JsonRecords(), rec => rec["kind"].GetString() == "summary" && rec["file"].GetString() == good);
        }
    }

    [Fact]
    public void StreamEndingMidSampleWarnsAndKeepsTheWholeFrames()
    {
        var raw = new byte[16_000 * 2 + 1]; // 1 s of s16le mono and half a sample
        var r = CliHarness.Run(() => new MemoryStream(raw), "stream", "--input", "stdin", "--sample-format", "s16le", "--rate", "16000", "--format", "jsonl");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("warning", r.Error);
        var summary = r.JsonRecords().Single(x => x["kind"].GetString() == "summary");
        Assert.Equal(1.0, summary["duration_s"].GetDouble());
    }
}
