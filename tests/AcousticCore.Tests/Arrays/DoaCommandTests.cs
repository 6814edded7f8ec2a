using System.Buffers.Binary;
using System.Text.Json;
using AcousticCore.Arrays;
using AcousticCore.Cli;
using Xunit;
using static AcousticCore.Tests.Arrays.PlaneWaveSimulator;

namespace AcousticCore.Tests.Arrays;

/// <summary>
/// End to end: <c>acoustic doa</c> on a 4-channel WAV simulated here (bundled-style: a broadband plane wave on a
/// 5 cm linear array, 10 dB SNR), through the CLI's parse → library → records path.
/// </summary>
public sealed class DoaCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acoustic-doa-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int exit = AcousticCli.Run(args, new CliContext(o, e, () => Stream.Null));
        return (exit, o.ToString(), e.ToString());
    }

    private static List<JsonElement> Records(string jsonl) =>
        jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>16-bit PCM bytes of interleaved samples.</summary>
    private static byte[] S16(float[] interleaved)
    {
        var bytes = new byte[interleaved.Length * 2];
        for (int i = 0; i < interleaved.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), (short)Math.Clamp(Math.Round(interleaved[i] * 32767), -32768, 32767));
        }

        return bytes;
    }

    private string WriteWav(string name, float[] interleaved, int channels, int rate)
    {
        var data = S16(interleaved);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.ASCII, leaveOpen: true))
        {
            w.Write("RIFF"u8);
            w.Write(36 + data.Length);
            w.Write("WAVEfmt "u8);
            w.Write(16);
            w.Write((short)1);
            w.Write((short)channels);
            w.Write(rate);
            w.Write(rate * channels * 2);
            w.Write((short)(channels * 2));
            w.Write((short)16);
            w.Write("data"u8);
            w.Write(data.Length);
            w.Write(data);
        }

        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, ms.ToArray());
        return path;
    }

    /// <summary>A 2 s, 16 kHz, 4-channel recording of a noise source 40° from the axis of a 5 cm linear array.</summary>
    private (string Wav, string Geometry) Ula4Recording(double angleDeg = 40)
    {
        var g = Linear4();
        var x = Simulate(g, 16000, 1 << 15, angleDeg, 0, 10, 77);
        return (WriteWav("ula4.wav", x, 4, 16000), Write("ula4.json", g.ToJson()));
    }

    [Fact]
    public void JsonlHasWindowRecordsAndADominantAzimuthSummary()
    {
        var (wav, geo) = Ula4Recording();
        var (exit, stdout, stderr) = Run("doa", wav, "--geometry", geo, "--format", "jsonl", "--window", "0.5", "--max-frequency", "3400");
        Assert.True(exit == 0, stderr);
        Assert.Equal("", stderr);  // 3400 Hz is below the 3430 Hz aliasing limit of 5 cm spacing: no warning
        var records = Records(stdout);
        var windows = records.Where(r => r.GetProperty("kind").GetString() == "window").ToList();
        Assert.Equal(4, windows.Count);
        for (int i = 0; i < windows.Count; i++)
        {
            var w = windows[i];
            Assert.Equal(wav, w.GetProperty("file").GetString());
            Assert.Equal(0.5 * i, w.GetProperty("time_s").GetDouble(), 9);
            Assert.Equal(0.5, w.GetProperty("duration_s").GetDouble(), 2);
            Assert.InRange(w.GetProperty("azimuth_deg").GetDouble(), 37, 43);
            Assert.InRange(w.GetProperty("power").GetDouble(), 0.3, 1.0);
            Assert.False(w.TryGetProperty("elevation_deg", out _));
        }

        var summary = Assert.Single(records, r => r.GetProperty("kind").GetString() == "summary");
        Assert.InRange(summary.GetProperty("azimuth_deg").GetDouble(), 38, 42);
        Assert.Equal(4, summary.GetProperty("windows").GetInt64());
        Assert.Equal(2.048, summary.GetProperty("duration_s").GetDouble(), 3);
    }

    [Fact]
    public void CsvAndTableNameTheSameFields()
    {
        var (wav, geo) = Ula4Recording();
        var (exit, csv, _) = Run("doa", wav, "--geometry", geo, "--format", "csv");
        Assert.Equal(0, exit);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("kind,file,time_s,duration_s,azimuth_deg,power,windows,overruns", lines[0].TrimEnd());
        Assert.StartsWith("window,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("summary,", lines[^1], StringComparison.Ordinal);
        var (exit2, table, stderr) = Run("doa", wav, "--geometry", geo);
        Assert.Equal(0, exit2);
        Assert.Contains("azimuth_deg", table, StringComparison.Ordinal);
        Assert.Contains("spatial aliasing is possible above 3430 Hz", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BundledSampleGivesTheAngleItWasMadeWith()
    {
        // samples/audio/array4.wav: mic i delayed 3·i samples at 48 kHz, 5 cm apart; the source is on the
        // mic-0 side, so the angle from the axis (mic 0 → mic 3) is arccos(−343·(3/48000)/0.05) = 115.39°.
        string root = FindRepoRoot();
        string wav = Path.Combine(root, "samples", "audio", "array4.wav");
        string geo = Path.Combine(root, "samples", "audio", "array4.geometry.json");
        if (!File.Exists(wav)) return;   // sample not bundled in this checkout
        var (exit, stdout, stderr) = Run("doa", wav, "--geometry", geo, "--format", "jsonl");
        Assert.True(exit == 0, stderr);
        var summary = Records(stdout).Single(r => r.GetProperty("kind").GetString() == "summary");
        double expected = Math.Acos(-343.0 * 3 / 48000 / 0.05) * 180 / Math.PI;
        Assert.InRange(summary.GetProperty("azimuth_deg").GetDouble(), expected - 2, expected + 2);
    }

    [Fact]
    public void CircularArrayFromACaptureProgram()
    {
        // cmd: input replaying raw S16LE through cat: the same code path as parec/sox/ffmpeg.
        var g = Circular6();
        var x = Simulate(g, 48000, 1 << 15, 300, 0, 10, 78);
        string raw = Path.Combine(_dir, "uca6.raw");
        File.WriteAllBytes(raw, S16(x));
        string geo = Write("uca6.json", g.ToJson());
        var (exit, stdout, stderr) = Run("doa", "--input", $"cmd:cat '{raw}'", "--geometry", geo, "--rate", "48000",
            "--sample-format", "s16le", "--format", "jsonl", "--window", "0.25", "--track");
        Assert.True(exit == 0, stderr);
        var windows = Records(stdout).Where(r => r.GetProperty("kind").GetString() == "window").ToList();
        Assert.True(windows.Count >= 2);
        foreach (var w in windows)
        {
            Assert.True(AngleDiff(w.GetProperty("azimuth_deg").GetDouble(), 300) <= 3, w.ToString());
            Assert.True(AngleDiff(w.GetProperty("tracked_azimuth_deg").GetDouble(), 300) <= 3, w.ToString());
        }
    }

    [Fact]
    public void GeometryChannelMismatchIsBadInput()
    {
        var (wav, _) = Ula4Recording();
        string geo = Write("uca6.json", Circular6().ToJson());
        var (exit, _, stderr) = Run("doa", wav, "--geometry", geo);
        Assert.Equal(3, exit);
        Assert.Contains("geometry has 6 microphones but stream", stderr, StringComparison.Ordinal);
        Assert.Contains("has 4 channel(s)", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"microphones": [{"name": "a", "x": 0, "y": 0}, {"name": "b", "x": 0, "y": 0}, {"name": "c", "x": 0.1, "y": 0}, {"name": "d", "x": 0.2, "y": 0}]}""", "microphone 1 ('a') and microphone 2 ('b') are at the same position")]
    [InlineData("""{"microphones": [{"name": "a", "x": 0, "y": 0}, {"name": "b", "x": "NaN", "y": 0}, {"name": "c", "x": 0.1, "y": 0}, {"name": "d", "x": 0.2, "y": 0}]}""", "microphone 2 ('b'): x is NaN")]
    public void BadGeometryIsBadInputNamingFileAndMicrophone(string json, string expected)
    {
        var (wav, _) = Ula4Recording();
        string geo = Write("bad.json", json);
        var (exit, _, stderr) = Run("doa", wav, "--geometry", geo);
        Assert.Equal(3, exit);
        Assert.Contains(geo + ": " + expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void UsageErrors()
    {
        var (wav, geo) = Ula4Recording();
        Assert.Equal(2, Run("doa", "--geometry", geo).Exit);
        Assert.Equal(2, Run("doa", wav, "--input", "stdin", "--geometry", geo).Exit);
        Assert.Equal(2, Run("doa", wav).Exit);
        var (exit, _, err) = Run("doa", wav, "--geometry", geo, "--window", "0");
        Assert.Equal(2, exit);
        Assert.Contains("--window", err, StringComparison.Ordinal);
        Assert.Equal(2, Run("doa", wav, "--geometry", geo, "--frame", "1000").Exit);
        Assert.Equal(2, Run("doa", wav, "--geometry", geo, "--format", "xml").Exit);
    }

    [Fact]
    public void FailingCaptureProgramIsAClearError()
    {
        string geo = Write("ula4.json", Linear4().ToJson());
        var (exit, _, stderr) = Run("doa", "--input", "cmd:sh -c \"echo 'no such device' >&2; exit 2\"", "--geometry", geo, "--rate", "16000");
        Assert.Equal(3, exit);
        Assert.Contains("exited with code 2: no such device", stderr, StringComparison.Ordinal);
        var (exit2, _, stderr2) = Run("doa", "--input", "cmd:no-such-recorder-xyz", "--geometry", geo, "--rate", "16000");
        Assert.Equal(3, exit2);
        Assert.Contains("cannot start program 'no-such-recorder-xyz'", stderr2, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingAlsaDeviceIsAClearError()
    {
        if (!AcousticCore.Audio.Capture.AlsaCaptureSource.IsAvailable) return;  // covered by the skipped ALSA tests' message
        string geo = Write("ula4.json", Linear4().ToJson());
        var (exit, _, stderr) = Run("doa", "--input", "alsa:hw:97,0", "--geometry", geo, "--rate", "16000");
        Assert.Equal(3, exit);
        Assert.Contains("alsa:hw:97,0:", stderr, StringComparison.Ordinal);
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AcousticCore.sln"))) dir = dir.Parent;
        return dir?.FullName ?? AppContext.BaseDirectory;
    }
}
