using AcousticCore.Classification;
using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Classification;

/// <summary>The embedded default model: taxonomy, streaming = batch, and the bundled samples.</summary>
public class DefaultModelTests
{
    private static string Sample(string name, [System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        foreach (string? start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(source) })
        {
            string? dir = start;
            while (dir is not null && !Directory.Exists(Path.Combine(dir, "samples", "audio"))) dir = Path.GetDirectoryName(dir);
            if (dir is not null) return Path.Combine(dir, "samples", "audio", name);
        }

        throw new InvalidOperationException("samples/audio not found");
    }

    [Fact]
    public void EvaluateShowsClassesAbsentFromTheDataAsAbsentNotAsZero()
    {
        string dir = CliHarness.TempDir();
        string manifest = Path.Combine(dir, "two.csv");
        File.WriteAllLines(manifest, ["file,label", $"{Sample("speech.wav")},speech", $"{Sample("alarm.wav")},alarm"]);
        var run = CliHarness.Run("evaluate", "--data", manifest);
        Assert.True(run.ExitCode == 0, run.Error);
        string[] lines = run.Out.Split('\n');
        string windows = lines.First(l => l.StartsWith("windows:", StringComparison.Ordinal));
        int start = Array.IndexOf(lines, windows);
        var rows = lines.Skip(start + 2).Take(8).ToList();   // after the column header, one row per class
        Assert.Equal(6, rows.Count(r => r.EndsWith("(absent: not in macro-F1)", StringComparison.Ordinal)));
        foreach (string present in new[] { "speech", "alarm" })
        {
            string row = rows.Single(r => r.TrimStart().StartsWith(present, StringComparison.Ordinal));
            Assert.DoesNotContain("absent", row, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DefaultModelHasTheTaxonomyAndItsTrainingRecord()
    {
        var model = ClassifierModelFile.LoadDefault();
        Assert.Equal(["quiet", "speech", "music", "alarm", "impulsive", "engine", "machinery", "broadband"], model.Classes);
        Assert.InRange(model.ConfidenceThreshold, 0.2, 0.8);
        Assert.True(model.Training.CvFolds >= 2);
        Assert.True(model.Training.CvMacroF1 > 0.5);
        // The built-in recipe combines the perceptron with boosted trees (docs/classification.md).
        Assert.Equal(32, model.HiddenUnits);
        Assert.NotNull(model.Trees);
        Assert.Equal(0.5, model.TreesWeight);
        Assert.Contains("LightGBM", model.Training.Trees, StringComparison.Ordinal);

        // ... trained with band-limited copies at 8 kHz, so narrow-band sensors are heard as the corpus was (docs/classification.md).
        Assert.Equal("band-limited training copies at 8000 Hz (never scored)", model.Training.Augmentation);
        Assert.True(model.Training.Windows > 2 * 10_000);
    }

    [Fact]
    public void StreamingEqualsBatchForAnyBlockSize()
    {
        var model = ClassifierModelFile.LoadDefault();
        const int fs = 44100;
        var x = Signals.Interleave(Signals.LinearChirp(300, 3000, 0.2, fs, fs * 3), Signals.WhiteNoise(0.05, fs * 3, 9));
        var whole = Classify(model, x, fs, x.Length);
        foreach (int block in new[] { 2, 882, 10000 })
        {
            var parts = Classify(model, x, fs, block);
            Assert.Equal(whole.Count, parts.Count);
            for (int i = 0; i < whole.Count; i++) Assert.Equal(whole[i], parts[i]);
        }
    }

    [Fact]
    public void InferencePerWindowAllocatesNothing()
    {
        var model = ClassifierModelFile.LoadDefault();
        const int fs = 48000;
        var classifier = new AudioClassifier(model, fs, 2);
        var x = Signals.Interleave(Signals.WhiteNoise(0.1, fs, 1), Signals.WhiteNoise(0.1, fs, 2));
        var sink = new CountingSink();
        classifier.Push(x, sink);
        classifier.Push(x, sink);
        Assert.Equal(0, AcousticCore.Tests.TestSupport.AllocationProbe.SteadyStateBytes(() => classifier.Push(x, sink), warmUp: 3, iterations: 3));
        Assert.True(sink.Count >= 8);
    }

    [Theory]
    [InlineData("speech.wav", "speech", 0)]
    [InlineData("alarm.wav", "alarm", 0)]
    [InlineData("speech.wav", "speech", 8000)]   // as an 8 kHz sensor would record them
    [InlineData("alarm.wav", "alarm", 8000)]
    public void BundledSamplesGetTheirClass(string file, string expected, int rate)
    {
        string path = rate == 0 ? Sample(file) : AcousticCore.Tests.TestSupport.CliHarness.WriteResampled(Sample(file), rate,
            Path.Combine(AcousticCore.Tests.TestSupport.CliHarness.TempDir(), file));
        var (code, stdout, stderr) = ClassificationDataTests.Run("classify", path, "--format", "jsonl");
        Assert.True(code == 0, stderr);
        string summary = stdout.Split('\n').Single(l => l.Contains("\"kind\":\"summary\"", StringComparison.Ordinal));
        Assert.Contains($"\"label\":\"{expected}\"", summary, StringComparison.Ordinal);
    }

    private static List<float[]> Classify(ClassifierModel model, float[] interleaved, int fs, int block)
    {
        var classifier = new AudioClassifier(model, fs, 2);
        var sink = new CollectingSink();
        for (int i = 0; i < interleaved.Length; i += block)
        {
            int n = Math.Min(block, interleaved.Length - i);
            classifier.Push(interleaved.AsSpan(i, n), sink);
        }

        classifier.Complete(sink);
        return sink.Probabilities;
    }

    private sealed class CollectingSink : IWindowClassificationSink
    {
        public List<float[]> Probabilities { get; } = new();

        public void OnWindow(in WindowClassification window) => Probabilities.Add(window.Probabilities.ToArray());
    }

    private sealed class CountingSink : IWindowClassificationSink
    {
        public int Count;

        public void OnWindow(in WindowClassification window) => Count++;
    }
}
