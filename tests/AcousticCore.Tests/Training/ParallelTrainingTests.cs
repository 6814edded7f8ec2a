using AcousticCore.Classification;
using AcousticCore.Tests.Classification;
using AcousticCore.Tests.TestSupport;
using AcousticCore.Training;
using Xunit;

namespace AcousticCore.Tests.Training;

/// <summary>Reading files and training folds on several threads gives exactly what one thread gives.</summary>
public sealed class ParallelTrainingTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ac-par-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void ThreadCountChangesNeitherTheFeaturesNorTheCrossValidation()
    {
        string dir = TestWav.MakeSet(Path.Combine(_root, "set"), 4, 2, 8);
        // A truncated file, so that warnings are part of what must come out the same.
        byte[] wav = File.ReadAllBytes(Directory.GetFiles(Path.Combine(dir, "tone"))[0]);
        File.WriteAllBytes(Path.Combine(dir, "tone", "cut__0.wav"), wav[..(wav.Length - 1001)]);
        var set = LabelledAudioSet.Load(dir);
        var settings = new WindowFeatureSettings();
        var warningsOne = new List<string>();
        var warningsMany = new List<string>();
        var one = ClassifierTraining.ExtractFeatures(set, settings, warn: warningsOne.Add, threads: 1);
        var many = ClassifierTraining.ExtractFeatures(set, settings, warn: warningsMany.Add, threads: 4);
        Assert.Equal(one.Features, many.Features);
        Assert.Equal(one.FileIndex, many.FileIndex);
        Assert.NotEmpty(warningsOne);
        Assert.Equal(warningsOne, warningsMany);

        // Perceptron + boosted trees (LightGBM, seeded) per fold: the same pooled and per-fold figures and files.
        int[] folds = ClassifierTraining.AssignFolds(set, 4, 2);
        var options = new SoftmaxTrainerOptions { HiddenUnits = 4 };
        var trees = new LightGbmTreesTrainer { Iterations = 10, MinExamplesPerLeaf = 2, Seed = 3 };
        var sequential = ClassifierTraining.CrossValidate(set, one, folds, settings, options, trees: trees, seed: 3, threads: 1);
        var progress = new List<(int Done, int Total)>();
        var parallel = ClassifierTraining.CrossValidate(set, one, folds, settings, options, (d, t) => progress.Add((d, t)), trees: trees, seed: 3, threads: 4);
        Assert.Equal(Cells(sequential.Windows), Cells(parallel.Windows));
        Assert.Equal(sequential.Folds.Select(f => (f.Fold, Cells(f.Windows))), parallel.Folds.Select(f => (f.Fold, Cells(f.Windows))));
        Assert.Equal(sequential.PerFile, parallel.PerFile);
        Assert.Equal([(1, 4), (2, 4), (3, 4), (4, 4)], progress);
    }

    [Fact]
    public void AnUnreadableFileIsReportedAsItselfNotAsAnAggregate()
    {
        string dir = TestWav.MakeSet(Path.Combine(_root, "bad"), 3, 1, 9);
        File.WriteAllText(Path.Combine(dir, "noise", "zz__broken.wav"), "not a wav");
        var set = LabelledAudioSet.Load(dir);
        var e = Assert.ThrowsAny<Exception>(() => ClassifierTraining.ExtractFeatures(set, new WindowFeatureSettings(), threads: 3));
        Assert.IsNotType<AggregateException>(e);
        Assert.Contains("zz__broken.wav", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifyingAFolderSideBySideWritesWhatOneAtATimeWrites()
    {
        string dir = TestWav.MakeSet(Path.Combine(_root, "cls"), 3, 2, 10);
        byte[] wav = File.ReadAllBytes(Directory.GetFiles(Path.Combine(dir, "noise"))[0]);
        File.WriteAllBytes(Path.Combine(dir, "noise", "cut.wav"), wav[..(wav.Length - 3001)]);   // a reader warning
        var one = ClassificationDataTests.Run("classify", dir, "--format", "jsonl", "--threads", "1");
        var many = ClassificationDataTests.Run("classify", dir, "--format", "jsonl", "--threads", "4");
        Assert.Equal(0, one.Code);
        Assert.Equal(one.Out, many.Out);
        Assert.Equal(one.Err, many.Err);
        Assert.Contains("declares", one.Err, StringComparison.Ordinal);
        Assert.Equal(18 + 1, one.Out.Split('\n').Count(l => l.Contains("\"kind\":\"summary\"", StringComparison.Ordinal)));

        // A broken file among them: one error line naming it, every other file still classified, exit code 3.
        File.WriteAllText(Path.Combine(dir, "noise", "d_broken.wav"), "not a wav");
        one = ClassificationDataTests.Run("classify", dir, "--format", "jsonl", "--threads", "1");
        many = ClassificationDataTests.Run("classify", dir, "--format", "jsonl", "--threads", "4");
        Assert.Equal(3, one.Code);
        Assert.Equal(one.Code, many.Code);
        Assert.Equal(one.Out, many.Out);
        Assert.Equal(one.Err, many.Err);
        Assert.Single(one.Err.Split('\n'), l => l.Contains("d_broken.wav", StringComparison.Ordinal));
        Assert.Equal(18 + 1, one.Out.Split('\n').Count(l => l.Contains("\"kind\":\"summary\"", StringComparison.Ordinal)));
        Assert.DoesNotContain("d_broken.wav", one.Out, StringComparison.Ordinal);
    }

    private static long[] Cells(ClassificationMetrics m) =>
        Enumerable.Range(0, m.Classes.Count * m.Classes.Count).Select(c => m.Confusion(c / m.Classes.Count, c % m.Classes.Count)).ToArray();
}
