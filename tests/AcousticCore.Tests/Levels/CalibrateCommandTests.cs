using System.Text.Json;
using AcousticCore.Cli;
using AcousticCore.Tests.Dsp;
using NAudio.Wave;
using Xunit;

namespace AcousticCore.Tests.Levels;

public sealed class CalibrateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acoustic-calibrate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteWav(string name, float[] samples, int sampleRate, int channels = 1)
    {
        string path = Path.Combine(_dir, name);
        using var writer = new WaveFileWriter(path, WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, channels));
        writer.WriteSamples(samples, 0, samples.Length);
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = AcousticCli.Run(args, new CliContext(output, error, () => Stream.Null));
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void PrintsTheOffsetForACalibratorRecording()
    {
        // 1 kHz at −20 dBFS (peak 0.1): a 94 dB calibrator means an offset of 114 dB.
        string path = WriteWav("cal.wav", TestSignals.Sine(1000, 0.1, 48000, 48000 * 3), 48000);
        var (code, output, error) = Run("calibrate", path, "--reference-db", "94", "--format", "jsonl");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("calibration", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal(114.0, json.RootElement.GetProperty("calibration_offset_db").GetDouble(), 0.02);
        Assert.Equal(-20.0, json.RootElement.GetProperty("measured_level_dbfs").GetDouble(), 0.02);
        Assert.Equal(1000.0, json.RootElement.GetProperty("tone_frequency_hz").GetDouble(), 0.2);

        var table = Run("calibrate", path);
        Assert.Equal(0, table.Code);
        Assert.Contains("calibration_offset_db", table.Out);
        var csv = Run("calibrate", path, "--format", "csv");
        Assert.Equal(0, csv.Code);
        Assert.StartsWith("kind,file,channel,calibration_offset_db", csv.Out);
    }

    [Fact]
    public void UsesTheChosenChannel()
    {
        var stereo = new float[48000 * 2 * 2];
        var tone = TestSignals.Sine(1000, 0.5, 48000, 48000 * 2);
        for (int i = 0; i < tone.Length; i++) stereo[(2 * i) + 1] = tone[i]; // channel 0 silent
        string path = WriteWav("stereo.wav", stereo, 48000, 2);
        var (code, output, _) = Run("calibrate", path, "--channel", "1", "--reference-db", "114", "--format", "jsonl");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(1, json.RootElement.GetProperty("channel").GetInt64());
        Assert.Equal(114 + 6.0206, json.RootElement.GetProperty("calibration_offset_db").GetDouble(), 0.02); // peak 0.5 = −6.02 dBFS
        var silent = Run("calibrate", path, "--channel", "0");
        Assert.Equal(3, silent.Code);
        Assert.Contains("silence", silent.Err);
        Assert.Contains(path, silent.Err);
    }

    [Fact]
    public void BadRecordingsAndOptionsGiveClearErrors()
    {
        string noise = WriteWav("noise.wav", TestSignals.PeriodicPinkNoise(17, 0.1, seed: 4), 48000);
        var n = Run("calibrate", noise);
        Assert.Equal(3, n.Code);
        Assert.Contains("no dominant tone", n.Err);
        Assert.Single(n.Err.Trim().Split('\n'));

        string tone = WriteWav("tone.wav", TestSignals.Sine(1000, 0.1, 48000, 96000), 48000);
        Assert.Equal(2, Run("calibrate", tone, "--frequency-hz", "abc").Code);
        Assert.Equal(2, Run("calibrate", tone, "--channel", "3").Code);
        Assert.Equal(2, Run("calibrate", tone, "--format", "xml").Code);
        Assert.Equal(2, Run("calibrate", tone, "--reference-db", "NaN").Code);
        Assert.Equal(2, Run("calibrate", Path.Combine(_dir, "missing.wav")).Code);

        string notWav = Path.Combine(_dir, "text.wav");
        File.WriteAllText(notWav, "this is not a wav file at all");
        var bad = Run("calibrate", notWav);
        Assert.Equal(3, bad.Code);
        Assert.Contains("text.wav", bad.Err);
    }
}
