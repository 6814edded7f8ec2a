using System.Text.Json;
using AcousticCore.Cli;
using NAudio.Wave;
using Xunit;

namespace AcousticCore.Tests.Voice;

public sealed class VoiceCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("voicecli").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = AcousticCli.Run(args, new CliContext(o, e, () => Stream.Null));
        return (code, o.ToString(), e.ToString());
    }

    private string Wav(string name, float[] interleaved, int fs, int channels)
    {
        string path = Path.Combine(_dir, name);
        using var w = new WaveFileWriter(path, new WaveFormat(fs, 16, channels));
        w.WriteSamples(interleaved, 0, interleaved.Length);
        return path;
    }

    [Fact]
    public void JsonlHasSegmentsThenSummaryWithPraatFields()
    {
        string clip = Path.Combine(VoiceReferenceData.Directory, "synth_steady_120_16k.wav");
        var (exit, output, err) = Run("voice", "features", clip, "--format", "jsonl");
        Assert.Equal(0, exit);
        Assert.Equal("", err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 2);
        using var last = JsonDocument.Parse(lines[^1]);
        var root = last.RootElement;
        Assert.Equal("summary", root.GetProperty("kind").GetString());
        Assert.Equal(clip, root.GetProperty("file").GetString());
        var praat = VoiceReferenceData.PraatRow("synth_steady_120_16k");
        Assert.Equal(praat.Num("f0_mean_hz"), root.GetProperty("f0_mean_hz").GetDouble(), 2);
        Assert.Equal(praat.Num("jitter_local_pct"), root.GetProperty("jitter_local_pct").GetDouble(), 4);
        Assert.Equal(praat.Num("shimmer_local_db"), root.GetProperty("shimmer_local_db").GetDouble(), 4);
        foreach (string field in new[] { "time_s", "duration_s", "voiced_duration_s", "hnr_db", "alpha_ratio_db", "hammarberg_index_db",
                     "spectral_slope_0_500", "spectral_slope_500_1500", "f0_tremor_rel_8_12hz", "teo_cb_auto_env_b16" })
        {
            Assert.True(root.TryGetProperty(field, out _), field);
        }

        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("segment", first.RootElement.GetProperty("kind").GetString());
    }

    [Fact]
    public void CsvHasOneHeaderAndAColumnPerField()
    {
        string clip = Path.Combine(VoiceReferenceData.Directory, "synth_glide_100_180_16k.wav");
        var (exit, output, _) = Run("voice", "features", clip, "--format", "csv");
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal("kind", header[0]);
        Assert.Contains("jitter_local_pct", header);
        Assert.All(lines.Skip(1), l => Assert.Equal(header.Length, l.Split(',').Length));
        Assert.StartsWith("summary,", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void SixChannelFileIsAveragedToMono()
    {
        const int fs = 16000;
        var tone = VoiceSignals.Tone(fs, 1, 150);
        var six = new float[tone.Length * 6];
        for (int i = 0; i < tone.Length; i++)
            for (int c = 0; c < 6; c++) six[6 * i + c] = c < 3 ? tone[i] : 0f; // half the channels silent
        string path = Wav("six.wav", six, fs, 6);
        var (exit, output, _) = Run("voice", "features", path, "--format", "jsonl");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal(150, doc.RootElement.GetProperty("f0_mean_hz").GetDouble(), 0);
    }

    [Fact]
    public void SilenceAndShortFilesSayWhyInsteadOfFailing()
    {
        string silence = Wav("silence.wav", new float[8000], 8000, 1);
        string shortFile = Wav("short.wav", VoiceSignals.Tone(16000, 0.02, 150), 16000, 1);
        var (exit, output, _) = Run("voice", "features", silence, shortFile, "--format", "jsonl");
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"voiced_duration_s\":0", lines[0], StringComparison.Ordinal);
        Assert.Contains("no voiced frames", lines[0], StringComparison.Ordinal);
        Assert.Contains("too short", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void TableIsTheDefault()
    {
        string clip = Path.Combine(VoiceReferenceData.Directory, "synth_steady_120_16k.wav");
        var (exit, output, _) = Run("voice", "features", clip);
        Assert.Equal(0, exit);
        Assert.StartsWith("kind", output, StringComparison.Ordinal);
        Assert.Contains("summary", output, StringComparison.Ordinal);
    }

    [Fact]
    public void BadFilesAndOptionsGetExitCodes()
    {
        string bad = Path.Combine(_dir, "bad.wav");
        File.WriteAllText(bad, "not a wav");
        string good = Path.Combine(VoiceReferenceData.Directory, "synth_steady_120_16k.wav");
        var (exit, output, err) = Run("voice", "features", bad, good, "--format", "jsonl");
        Assert.Equal(3, exit);
        Assert.Contains("bad.wav", err, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"summary\"", output, StringComparison.Ordinal); // the good file still reported
        Assert.Equal(2, Run("voice", "features", Path.Combine(_dir, "missing.wav")).Exit);
        Assert.Equal(2, Run("voice", "features", good, "--format", "xml").Exit);
        Assert.Equal(2, Run("voice", "features").Exit);
    }
}
