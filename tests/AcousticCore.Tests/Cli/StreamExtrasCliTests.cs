using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Cli;

public class StreamExtrasCliTests
{
    private static string Sample(string name) => Path.Combine(FindRepoRoot(), "samples", "audio", name);

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AcousticCore.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    [Fact]
    public void GeometryAddsDoaWindowsAndASummaryAtTheKnownAngle()
    {
        byte[] wav = File.ReadAllBytes(Sample("array4.wav"));
        var r = CliHarness.Run(() => new MemoryStream(wav), "stream", "--input", "stdin", "--geometry", Sample("array4.geometry.json"), "--no-bands");
        Assert.True(r.ExitCode == 0, r.Error);
        var records = r.JsonRecords();
        var doa = records.Where(x => x.TryGetValue("analysis", out var a) && a.GetString() == "doa").ToList();
        Assert.Equal(3, doa.Count(x => x["kind"].GetString() == "window"));
        // Provenance: mic i delayed 3·i samples at 48 kHz, 5 cm spacing → arccos(−0.42875) = 115.4° from +x.
        var summary = doa.Single(x => x["kind"].GetString() == "summary");
        Assert.InRange(summary["azimuth_deg"].GetDouble(), 113.4, 117.4);
        Assert.All(doa.Where(x => x["kind"].GetString() == "window"), w => Assert.True(w["latency_ms"].GetDouble() >= 0));
        Assert.Equal(4, records.Count(x => x["kind"].GetString() == "summary" && !x.ContainsKey("analysis")));
    }

    [Fact]
    public void BeamformTurnsTheArrayIntoOneAnalysedChannel()
    {
        byte[] wav = File.ReadAllBytes(Sample("array4.wav"));
        var r = CliHarness.Run(() => new MemoryStream(wav), "stream", "--input", "stdin", "--geometry", Sample("array4.geometry.json"), "--beamform", "--no-bands");
        Assert.True(r.ExitCode == 0, r.Error);
        var levels = r.JsonRecords().Where(x => !x.ContainsKey("analysis")).ToList();
        Assert.All(levels, x => Assert.Equal(0, x["channel"].GetInt32()));
        Assert.Equal(3.0, levels.Single(x => x["kind"].GetString() == "summary")["duration_s"].GetDouble(), 3);
    }

    [Theory]
    [InlineData("--format", "csv")]
    [InlineData("--beamform")]
    public void ExtrasNeedJsonlAndBeamformNeedsGeometry(params string[] extra)
    {
        var args = new List<string> { "stream", "--input", "stdin" };
        if (extra[0] == "--format") args.AddRange(["--geometry", Sample("array4.geometry.json")]);
        args.AddRange(extra);
        var r = CliHarness.Run(() => new MemoryStream(File.ReadAllBytes(Sample("array4.wav"))), [.. args]);
        Assert.Equal(2, r.ExitCode);
    }

    [Theory]
    [InlineData(16000)]
    [InlineData(8000)]
    [InlineData(11025)]
    public void StreamClassifyWindowsEqualClassifyOfTheFile(int rate)
    {
        // The bundled 16 kHz speech, and the same speech resampled to 8 and 11.025 kHz (analysed at twice that rate).
        string speech = Sample("speech.wav");
        if (rate != 16000) speech = CliHarness.WriteResampled(speech, rate, Path.Combine(CliHarness.TempDir(), $"speech{rate}.wav"));

        var file = CliHarness.Run("classify", speech, "--format", "jsonl");
        Assert.Equal(0, file.ExitCode);
        byte[] wav = File.ReadAllBytes(speech);
        var rng = new Random(8);
        var streamed = CliHarness.Run(() => new ChunkedStream(wav, () => rng.Next(1, 3000)), "stream", "--input", "stdin", "--classify", "--no-bands");
        Assert.True(streamed.ExitCode == 0, streamed.Error);
        string[] ignored = ["file", "analysis", "latency_ms"];
        var expected = file.JsonRecords().Where(x => x["kind"].GetString() == "window").ToList();
        var actual = streamed.JsonRecords().Where(x => x.TryGetValue("analysis", out var a) && a.GetString() == "classify" && x["kind"].GetString() == "window").ToList();
        Assert.True(expected.Count > 5);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(
                expected[i].Where(kv => !ignored.Contains(kv.Key)).Select(kv => (kv.Key, kv.Value.GetRawText())),
                actual[i].Where(kv => !ignored.Contains(kv.Key)).Select(kv => (kv.Key, kv.Value.GetRawText())));
        }

        // The summary has the same fields and values as classify's (time_s, duration_s, label, confidence, windows).
        var fileSummary = file.JsonRecords().Single(x => x["kind"].GetString() == "summary");
        var streamSummary = streamed.JsonRecords().Single(x => x.TryGetValue("analysis", out var a) && a.GetString() == "classify" && x["kind"].GetString() == "summary");
        Assert.Equal(
            fileSummary.Where(kv => !ignored.Contains(kv.Key)).Select(kv => (kv.Key, kv.Value.GetRawText())).OrderBy(t => t.Key),
            streamSummary.Where(kv => !ignored.Contains(kv.Key)).Select(kv => (kv.Key, kv.Value.GetRawText())).OrderBy(t => t.Key));
    }

    [Fact]
    public void ThresholdOptionsDecideWhichWindowsAreUnknown()
    {
        // street.wav is classified with confidences well below 1: at a threshold of 0.9 a window is unknown exactly
        // when its confidence is below 0.9, and its top-3 classes and probabilities do not change.
        string street = Sample("street.wav");
        var plain = CliHarness.Run("classify", street, "--format", "jsonl", "--threshold", "0").JsonRecords().Where(x => x["kind"].GetString() == "window").ToList();
        var strict = CliHarness.Run("classify", street, "--format", "jsonl", "--threshold", "0.9").JsonRecords().Where(x => x["kind"].GetString() == "window").ToList();
        Assert.Equal(plain.Count, strict.Count);
        Assert.DoesNotContain(plain, x => x["label"].GetString() == "unknown");
        Assert.Contains(strict, x => x["label"].GetString() == "unknown");
        for (int i = 0; i < plain.Count; i++)
        {
            double confidence = plain[i]["confidence"].GetDouble();
            Assert.Equal(confidence, strict[i]["confidence"].GetDouble());
            Assert.Equal(plain[i]["label_2"].GetString(), strict[i]["label_2"].GetString());
            Assert.Equal(confidence < 0.9 ? "unknown" : plain[i]["label"].GetString(), strict[i]["label"].GetString());
        }

        // The stream uses the same threshold under its own name.
        byte[] wav = File.ReadAllBytes(street);
        var streamed = CliHarness.Run(() => new MemoryStream(wav), "stream", "--input", "stdin", "--classify", "--classify-threshold", "0.9", "--no-bands");
        Assert.True(streamed.ExitCode == 0, streamed.Error);
        var streamedWindows = streamed.JsonRecords().Where(x => x.TryGetValue("analysis", out var a) && a.GetString() == "classify" && x["kind"].GetString() == "window").ToList();
        Assert.Equal(strict.Select(x => x["label"].GetString()), streamedWindows.Select(x => x["label"].GetString()));

        foreach (string[] bad in new[]
        {
            new[] { "classify", street, "--threshold", "1.5" },
            new[] { "classify", street, "--threshold", "-0.1" },
            new[] { "evaluate", "--data", street, "--threshold", "2" },
        })
        {
            var r = CliHarness.Run(bad);
            Assert.True(r.ExitCode == 2, $"{string.Join(' ', bad)}: {r.ExitCode} {r.Error}");
            Assert.Contains("--threshold", r.Error, StringComparison.Ordinal);
        }

        var noClassify = CliHarness.Run(() => new MemoryStream(wav), "stream", "--input", "stdin", "--classify-threshold", "0.5");
        Assert.Equal(2, noClassify.ExitCode);
        Assert.Contains("--classify-threshold needs --classify", noClassify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void GeometryWithTheWrongChannelCountIsBadInput()
    {
        byte[] wav = File.ReadAllBytes(Sample("speech.wav"));
        var r = CliHarness.Run(() => new MemoryStream(wav), "stream", "--input", "stdin", "--geometry", Sample("array4.geometry.json"));
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("channel", r.Error, StringComparison.OrdinalIgnoreCase);
    }
}

public class StreamVoiceCliTests
{
    [Fact]
    public void StreamVoiceFeaturesEqualVoiceFeaturesOfTheFileWhenOneChunkHoldsIt()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "AcousticCore.sln"))) dir = dir.Parent;
        string speech = Path.Combine(dir.FullName, "samples", "audio", "speech.wav");
        var file = CliHarness.Run("voice", "features", speech, "--format", "jsonl");
        Assert.Equal(0, file.ExitCode);
        byte[] wav = File.ReadAllBytes(speech);
        var rng = new Random(4);
        var streamed = CliHarness.Run(() => new ChunkedStream(wav, () => rng.Next(1, 5000)), "stream", "--input", "stdin", "--voice-features", "--no-bands");
        Assert.True(streamed.ExitCode == 0, streamed.Error);
        var voice = streamed.JsonRecords().Where(x => x.TryGetValue("analysis", out var a) && a.GetString() == "voice").ToList();
        var expected = file.JsonRecords();
        Assert.True(expected.Count > 3);
        Assert.Equal(expected.Count, voice.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var e = expected[i].Where(kv => kv.Key != "file").Select(kv => (kv.Key, kv.Value.GetRawText()));
            var a = voice[i].Where(kv => kv.Key is not "file" and not "analysis").Select(kv => (kv.Key, kv.Value.GetRawText()));
            Assert.Equal(e, a);
        }
    }
}
