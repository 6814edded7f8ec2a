using System.Buffers.Binary;
using AcousticCore.Audio;
using AcousticCore.Audio.Capture;
using Xunit;

namespace AcousticCore.Tests.Capture;

/// <summary>
/// ALSA capture without a sound card: an ALSA <c>file</c>-plugin PCM whose <c>infile</c> replays a known raw
/// file (its slave is the <c>null</c> plugin). That plugin is not paced and returns junk past the end of
/// its file, so the tests capture exactly the file's length via <see cref="CaptureOptions.MaxFrames"/>.
/// </summary>
public sealed class AlsaCaptureSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acoustic-alsa-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Writes in.raw (S16LE, known ramp per channel) and an ALSA config defining pcm.testin.</summary>
    private (string Config, short[] Samples) Fixture(int channels, int frames)
    {
        var samples = new short[channels * frames];
        for (int i = 0; i < frames; i++)
        {
            for (int c = 0; c < channels; c++) samples[i * channels + c] = (short)((i * 37 + c * 1000) % 30000 - 15000);
        }

        var bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), samples[i]);
        string raw = Path.Combine(_dir, "in.raw");
        File.WriteAllBytes(raw, bytes);
        string config = Path.Combine(_dir, "asound.conf");
        File.WriteAllText(config, $$"""
            pcm.testin {
                type file
                slave { pcm { type null } }
                file "/dev/null"
                infile "{{raw}}"
                format "raw"
            }
            """);
        return (config, samples);
    }

    [AlsaFact]
    public void ReplaysAKnownRawFileThroughTheFilePlugin()
    {
        const int channels = 4, frames = 4800;
        var (config, samples) = Fixture(channels, frames);
        using var src = new AlsaCaptureSource("testin", new CaptureOptions(SampleFormat.S16, channels, 16000) { MaxFrames = frames }, config);
        Assert.Equal(new AudioFormat(16000, channels), src.Format);
        var all = new List<float>();
        var buf = new float[1000];  // not a multiple of the device period: exercises partial reads
        int got;
        while ((got = src.Read(buf)) > 0)
        {
            Assert.Equal(0, got % channels);
            all.AddRange(buf.AsSpan(0, got).ToArray());
        }

        Assert.Equal(samples.Length, all.Count);
        for (int i = 0; i < samples.Length; i++) Assert.Equal(samples[i] / 32768f, all[i]);
        Assert.Equal(0, src.Overruns);
        Assert.Empty(src.Warnings);
        Assert.Equal(frames, src.FramesRead);
    }

    [AlsaFact]
    public void MissingDeviceIsAClearError()
    {
        var (config, _) = Fixture(1, 16);
        var e = Assert.Throws<AudioCaptureException>(() =>
            new AlsaCaptureSource("nosuchdevice", new CaptureOptions(SampleFormat.S16, 1, 16000), config));
        Assert.StartsWith("alsa:nosuchdevice: no such capture device", e.Message, StringComparison.Ordinal);
    }

    [AlsaFact]
    public void MissingDeviceInTheSystemConfigurationIsAClearError()
    {
        var e = Assert.Throws<AudioCaptureException>(() =>
            new AlsaCaptureSource("hw:97,0", new CaptureOptions(SampleFormat.S16, 2, 48000)));
        Assert.StartsWith("alsa:hw:97,0: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("arecord -L", e.Message, StringComparison.Ordinal);
    }

    [AlsaFact]
    public void MissingConfigurationFileIsAClearError()
    {
        var e = Assert.Throws<AudioCaptureException>(() =>
            new AlsaCaptureSource("testin", new CaptureOptions(SampleFormat.S16, 1, 16000), Path.Combine(_dir, "none.conf")));
        Assert.Contains("none.conf' not found", e.Message, StringComparison.Ordinal);
    }
}

/// <summary>
/// The CLI end to end on a simulated array recording replayed by an ALSA file-plugin device that the
/// <c>ALSA_CONFIG_PATH</c> environment variable defines, in a child process (libasound reads the variable from
/// the native environment, which the test process cannot change for itself).
/// </summary>
public sealed class AlsaCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acoustic-alsa-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [AlsaFact]
    public void DoaFromAnAlsaDeviceDefinedByAlsaConfigPath()
    {
        var g = AcousticCore.Tests.Arrays.PlaneWaveSimulator.Linear4();
        const int frames = 1 << 14;
        var x = AcousticCore.Tests.Arrays.PlaneWaveSimulator.Simulate(g, 16000, frames, 40, 0, 10, 91);
        var bytes = new byte[x.Length * 2];
        for (int i = 0; i < x.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), (short)Math.Round(x[i] * 32767));
        string raw = Path.Combine(_dir, "in.raw");
        File.WriteAllBytes(raw, bytes);
        string config = Path.Combine(_dir, "asound.conf");
        File.WriteAllText(config, $$"""
            pcm.testin {
                type file
                slave { pcm { type null } }
                file "/dev/null"
                infile "{{raw}}"
                format "raw"
            }
            """);
        string geo = Path.Combine(_dir, "ula4.json");
        File.WriteAllText(geo, g.ToJson());
        string cli = Path.Combine(AppContext.BaseDirectory, "acoustic.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { cli, "doa", "--input", "alsa:testin", "--geometry", geo, "--rate", "16000", "--channels", "4",
                     "--duration", (frames / 16000.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture), "--format", "jsonl", "--window", "0.5" })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["ALSA_CONFIG_PATH"] = config;
        using var p = System.Diagnostics.Process.Start(start)!;
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "acoustic doa did not finish");
        string stdout = stdoutTask.Result;
        Assert.True(p.ExitCode == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var summary = System.Text.Json.JsonDocument.Parse(lines[^1]).RootElement;
        Assert.Equal("summary", summary.GetProperty("kind").GetString());
        Assert.Equal("alsa:testin", summary.GetProperty("file").GetString());
        Assert.Equal(frames / 16000.0, summary.GetProperty("duration_s").GetDouble(), 6);
        Assert.Equal(0, summary.GetProperty("overruns").GetInt64());
        Assert.InRange(summary.GetProperty("azimuth_deg").GetDouble(), 37, 43);
    }
}
