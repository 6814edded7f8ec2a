using System.Collections.Concurrent;
using System.Globalization;
using AcousticCore.Voice;
using NAudio.Wave;

namespace AcousticCore.Tests.Voice;

/// <summary>Loads the committed reference clips and Praat's values (made by Reference/make_reference.sh).</summary>
internal static class VoiceReferenceData
{
    private static readonly Lazy<string> Dir = new(FindDirectory);

    public static string Directory => Dir.Value;

    /// <summary>WAVs are not copied to the output folder, so walk up from the test binary to the source tree.</summary>
    private static string FindDirectory()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null)
        {
            string candidate = Path.Combine(d.FullName, "tests", "AcousticCore.Tests", "Voice", "Reference");
            if (System.IO.Directory.Exists(candidate)) return candidate;
            candidate = Path.Combine(d.FullName, "Voice", "Reference");
            if (System.IO.Directory.Exists(candidate) && File.Exists(Path.Combine(candidate, "make_reference.sh"))) return candidate;
            d = d.Parent;
        }

        throw new DirectoryNotFoundException("Voice/Reference not found above " + AppContext.BaseDirectory);
    }

    public static (float[] Samples, int SampleRate) ReadWav(string name)
    {
        using var reader = new WaveFileReader(Path.Combine(Directory, name + ".wav"));
        var provider = reader.ToSampleProvider();
        int channels = provider.WaveFormat.Channels;
        var all = new List<float>();
        var buf = new float[4096 * channels];
        int n;
        while ((n = provider.Read(buf.AsSpan())) > 0)
        {
            for (int i = 0; i < n; i += channels) all.Add(buf[i]);
        }

        return (all.ToArray(), provider.WaveFormat.SampleRate);
    }

    public static IReadOnlyList<Dictionary<string, string>> ReadCsv(string relativePath)
    {
        var lines = File.ReadAllLines(Path.Combine(Directory, relativePath));
        var header = lines[0].Split(',');
        var rows = new List<Dictionary<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            var cells = line.Split(',');
            var row = new Dictionary<string, string>();
            for (int i = 0; i < header.Length; i++) row[header[i]] = cells[i];
            rows.Add(row);
        }

        return rows;
    }

    public static double Num(this Dictionary<string, string> row, string key) =>
        double.Parse(row[key], NumberStyles.Float, CultureInfo.InvariantCulture);

    private static readonly ConcurrentDictionary<string, Lazy<VoiceAnalysis>> Analyses = new();

    /// <summary>The full analysis of a clip, computed once per test run and shared by the test classes (the machine is small).</summary>
    public static VoiceAnalysis Analysis(string file) =>
        Analyses.GetOrAdd(file, f => new Lazy<VoiceAnalysis>(() =>
        {
            var (x, fs) = ReadWav(f);
            return VoiceAnalyzer.Analyze(x, fs);
        })).Value;

    public static IEnumerable<object[]> Clips() =>
        ReadCsv("praat_voice_reference.csv").Select(r => new object[] { r["file"] });

    public static Dictionary<string, string> PraatRow(string file) =>
        ReadCsv("praat_voice_reference.csv").Single(r => r["file"] == file);

    public static double[] PraatContour(string file) =>
        ReadCsv(Path.Combine("pitch", file + ".csv")).Select(r => r.Num("f0_hz")).ToArray();

    public static double[] PraatPulses(string file) =>
        ReadCsv(Path.Combine("pulses", file + ".csv")).Select(r => r.Num("time_s")).ToArray();
}
