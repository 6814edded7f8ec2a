using AcousticCore.Classification;
using AcousticCore.Cli;
using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Classification;

/// <summary>Writes 16-bit PCM WAV files for the tests.</summary>
internal static class TestWav
{
    public static void Write(string path, float[] samples, int sampleRate, int channels = 1)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var w = new BinaryWriter(File.Create(path));
        int bytes = samples.Length * 2;
        w.Write("RIFF"u8);
        w.Write(36 + bytes);
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1);
        w.Write((short)channels);
        w.Write(sampleRate);
        w.Write(sampleRate * channels * 2);
        w.Write((short)(channels * 2));
        w.Write((short)16);
        w.Write("data"u8);
        w.Write(bytes);
        foreach (float s in samples) w.Write((short)Math.Clamp(Math.Round(s * 32767), -32768, 32767));
    }

    /// <summary>Three classes known by construction: steady tones, white noise, clicks at 4–8 per second.</summary>
    public static string MakeSet(string root, int sourcesPerClass, int clipsPerSource, int seed)
    {
        const int fs = 16000;
        for (int s = 0; s < sourcesPerClass; s++)
        {
            for (int c = 0; c < clipsPerSource; c++)
            {
                int n = fs * 3 / 2;
                double gain = 0.1 + 0.1 * c;
                Write(Path.Combine(root, "tone", $"t{seed}x{s}__{c}.wav"), Signals.Sine(300 + 170 * s + 20 * seed, gain, fs, n), fs);
                Write(Path.Combine(root, "noise", $"n{seed}x{s}__{c}.wav"), Signals.WhiteNoise(gain, n, seed * 100 + s * 10 + c), fs);
                var clicks = Signals.WhiteNoise(0.002, n, seed * 1000 + s * 10 + c);
                int rate = 4 + s % 5;
                for (int k = 0; k < rate * 3 / 2; k++)
                {
                    int at = k * fs / rate + 100;
                    for (int i = 0; i < 30 && at + i < n; i++) clicks[at + i] += (float)(gain * 5 * Math.Exp(-i / 6.0) * (i % 2 == 0 ? 1 : -1));
                }

                Write(Path.Combine(root, "clicks", $"c{seed}x{s}__{c}.wav"), clicks, fs);
            }
        }

        return root;
    }
}

/// <summary>Labelled sets, grouped folds and evaluation on synthetic recordings whose classes are known.</summary>
public sealed class ClassificationDataTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ac-cls-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void FoldersAndManifestsLoadWithSources()
    {
        string dir = TestWav.MakeSet(Path.Combine(_root, "set"), 2, 2, 1);
        var set = LabelledAudioSet.Load(dir);
        Assert.Equal(["clicks", "noise", "tone"], set.Classes);
        Assert.Equal(12, set.Files.Count);
        Assert.Equal(2, set.Files.Where(f => f.Label == "tone").Select(f => f.Source).Distinct().Count());

        string manifest = Path.Combine(dir, "meta.csv");
        File.WriteAllLines(manifest, ["filename,fold,category", "tone/t1x0__0.wav,1,tone", "noise/n1x0__0.wav,2,noise"]);
        var m = LabelledAudioSet.Load(manifest);
        Assert.True(m.HasFolds);
        Assert.Equal(["noise", "tone"], m.Classes);
        // Manifest folds 1 and 2 become fold indices 0 and 1 (rows: tone in fold 1, noise in fold 2).
        Assert.Equal([0, 1], ClassifierTraining.AssignFolds(m, 5, 1));
    }

    [Fact]
    public void BadDataIsNamed()
    {
        Directory.CreateDirectory(Path.Combine(_root, "empty"));
        var e = Assert.Throws<ClassificationDataException>(() => LabelledAudioSet.Load(Path.Combine(_root, "empty")));
        Assert.Contains("no class folders", e.Message, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Combine(_root, "oneclass", "tone"));
        Directory.CreateDirectory(Path.Combine(_root, "oneclass", "noise"));
        TestWav.Write(Path.Combine(_root, "oneclass", "tone", "a.wav"), new float[1600], 16000);
        e = Assert.Throws<ClassificationDataException>(() => LabelledAudioSet.Load(Path.Combine(_root, "oneclass")));
        Assert.Contains("class 'noise' has no .wav files", e.Message, StringComparison.Ordinal);

        string manifest = Path.Combine(_root, "m.csv");
        File.WriteAllLines(manifest, ["oneclass/tone/a.wav,tone", "missing.wav,noise"]);
        e = Assert.Throws<ClassificationDataException>(() => LabelledAudioSet.Load(manifest));
        Assert.Contains("m.csv:2", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing.wav", e.Message, StringComparison.Ordinal);

        File.WriteAllLines(manifest, ["oneclass/tone/a.wav,"]);
        e = Assert.Throws<ClassificationDataException>(() => LabelledAudioSet.Load(manifest));
        Assert.Contains("empty label", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FoldsKeepSourcesTogetherAndNeedEnoughSources()
    {
        string dir = TestWav.MakeSet(Path.Combine(_root, "set"), 3, 2, 2);
        var set = LabelledAudioSet.Load(dir);
        int[] folds = ClassifierTraining.AssignFolds(set, 3, 7);
        foreach (var group in set.Files.Select((f, i) => (f.Source, Fold: folds[i])).GroupBy(x => x.Source))
        {
            Assert.Single(group.Select(g => g.Fold).Distinct());
        }

        Assert.Equal(folds, ClassifierTraining.AssignFolds(set, 3, 7));
        var e = Assert.Throws<ClassificationDataException>(() => ClassifierTraining.AssignFolds(set, 4, 7));
        Assert.Contains("fewer than the 4 folds", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AManifestSourceSharedByClassesStaysInOneFold()
    {
        // UrbanSound8K's fsID: one recording cut into clips of different classes. Its clips must never be split.
        string dir = TestWav.MakeSet(Path.Combine(_root, "set"), 3, 4, 1);
        var folder = LabelledAudioSet.Load(dir);
        string manifest = Path.Combine(dir, "shared.csv");
        File.WriteAllLines(manifest, ["file,label,source"]);
        File.AppendAllLines(manifest, folder.Files.Select((f, i) =>
            $"{Path.GetRelativePath(dir, f.Path)},{f.Label},{(f.Source.EndsWith('0') ? "shared-recording" : $"own-{i}")}"));
        var set = LabelledAudioSet.Load(manifest);
        int shared = set.Files.Count(f => f.Source == "shared-recording");
        Assert.Equal(3, set.Files.Where(f => f.Source == "shared-recording").Select(f => f.Label).Distinct().Count());
        Assert.True(shared >= 3);
        for (int seed = 1; seed <= 5; seed++)
        {
            int[] folds = ClassifierTraining.AssignFolds(set, 3, seed);
            Assert.Single(Enumerable.Range(0, set.Files.Count).Where(i => set.Files[i].Source == "shared-recording").Select(i => folds[i]).Distinct());
        }
    }

    [Fact]
    public void CliTrainsEvaluatesAndClassifiesHeldOutSources()
    {
        string train = TestWav.MakeSet(Path.Combine(_root, "train"), 3, 2, 1);
        string test = TestWav.MakeSet(Path.Combine(_root, "test"), 2, 1, 7);
        string model = Path.Combine(_root, "model.json");
        string outDir = Path.Combine(_root, "eval");

        string cvDir = Path.Combine(_root, "cv");
        var (code, stdout, stderr) = Run("train", "--data", train, "--out", model, "--folds", "3", "--out-dir", cvDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("cross-validation (3 folds by source)", stdout, StringComparison.Ordinal);
        Assert.Contains("cross-validation windows: n=", stdout, StringComparison.Ordinal);
        Assert.Matches(@"windows per fold: fold 1 macro_f1 \d\.\d{3} accuracy \d\.\d{3}; fold 2 .*; fold 3 macro_f1", stdout);
        string[] metrics = File.ReadAllLines(Path.Combine(cvDir, "metrics.csv"));
        var foldRows = metrics.Where(l => l.StartsWith("window_fold", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, foldRows.Length);
        // Every window is tested in exactly one fold: the fold counts add up to the pooled count.
        int pooled = int.Parse(metrics.Single(l => l.StartsWith("window,all,", StringComparison.Ordinal)).Split(',')[5], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(pooled, foldRows.Sum(l => int.Parse(l.Split(',')[5], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("true\\predicted,clicks,noise,tone", File.ReadAllLines(Path.Combine(cvDir, "confusion.csv"))[0]);
        Assert.True(File.Exists(Path.Combine(cvDir, "confusion.png")));
        Assert.Contains("features:", stderr, StringComparison.Ordinal);

        // files.csv: one row per file, each with the fold that tested it; its window counts add up to the pooled
        // count and its right windows to accuracy × count; sources stay within one fold.
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string[] files = File.ReadAllLines(Path.Combine(cvDir, "files.csv"));
        Assert.Equal("file,source,label,fold,windows,window_accuracy,predicted,confidence", files[0]);
        var rows = files.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(LabelledAudioSet.Load(train).Files.Count, rows.Length);
        Assert.Equal(pooled, rows.Sum(r => int.Parse(r[4], inv)));
        double pooledAccuracy = double.Parse(metrics.Single(l => l.StartsWith("window,all,", StringComparison.Ordinal)).Split(',')[6], inv);
        Assert.Equal(pooledAccuracy * pooled, rows.Sum(r => double.Parse(r[5], inv) * int.Parse(r[4], inv)), 0.01 * pooled);
        Assert.All(rows.GroupBy(r => r[1]), g => Assert.Single(g.Select(r => r[3]).Distinct()));
        Assert.All(rows, r => Assert.InRange(int.Parse(r[3], inv), 1, 3));
        Assert.All(rows, r => Assert.InRange(double.Parse(r[7], inv), 0, 1));

        // Held-out sources (other tone frequencies, noise seeds and click rates): known answer, all correct.
        (code, stdout, stderr) = Run("evaluate", "--data", test, "--model", model, "--out-dir", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("windows: n=", stdout, StringComparison.Ordinal);
        Assert.Contains("accuracy=1.000 macro_f1=1.000", stdout, StringComparison.Ordinal);
        Assert.Matches(@"windows at or above the confidence threshold 0\.4 \(labelled, not unknown\): \d+ of \d+ \(\d+\.\d %\), accuracy 1\.0000", stdout);
        Assert.Matches(@"other thresholds \(labelled share, accuracy\): 0\.5 \d+\.\d % 1\.0000; 0\.6 .*; 0\.9 \d+\.\d %", stdout);
        Assert.Single(File.ReadAllLines(Path.Combine(outDir, "metrics.csv")), l => l.StartsWith("window_confident,all,,,,", StringComparison.Ordinal));
        Assert.Equal(5, File.ReadAllLines(Path.Combine(outDir, "metrics.csv")).Count(l => l.StartsWith("window_threshold_0.", StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(outDir, "confusion.png")));
        string[] confusion = File.ReadAllLines(Path.Combine(outDir, "confusion.csv"));
        Assert.Equal("true\\predicted,clicks,noise,tone", confusion[0]);
        // Scoring a model: every file right, no fold.
        var scored = File.ReadAllLines(Path.Combine(outDir, "files.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(LabelledAudioSet.Load(test).Files.Count, scored.Length);
        Assert.All(scored, r => Assert.Equal((r[2], "", "1.0000", r[2]), (r[6], r[3], r[5], r[2])));

        (code, stdout, stderr) = Run("classify", Path.Combine(test, "tone"), "--model", model, "--format", "jsonl");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("\"kind\":\"window\"", StringComparison.Ordinal) && l.Contains("\"label_3\"", StringComparison.Ordinal));
        Assert.All(lines.Where(l => l.Contains("\"kind\":\"summary\"", StringComparison.Ordinal)),
            l => Assert.Contains("\"label\":\"tone\"", l, StringComparison.Ordinal));

        // Bad inputs: unknown label at evaluation, corrupt model, missing model, empty folder, bad folds.
        Directory.CreateDirectory(Path.Combine(_root, "other", "birds"));
        TestWav.Write(Path.Combine(_root, "other", "birds", "b.wav"), Signals.Sine(3000, 0.1, 16000, 16000), 16000);
        (code, _, stderr) = Run("evaluate", "--data", Path.Combine(_root, "other"), "--model", model);
        Assert.Equal(3, code);
        Assert.Contains("birds", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("features:", stderr, StringComparison.Ordinal);   // refused before any file is read
        File.WriteAllText(Path.Combine(_root, "bad.json"), "{\"format\": \"acousticcore-classifier\", \"format_version\": 1");
        (code, _, stderr) = Run("classify", Path.Combine(test, "tone"), "--model", Path.Combine(_root, "bad.json"));
        Assert.Equal(3, code);
        Assert.Contains("bad.json", stderr, StringComparison.Ordinal);
        (code, _, _) = Run("classify", Path.Combine(test, "tone"), "--model", Path.Combine(_root, "none.json"));
        Assert.Equal(2, code);
        Directory.CreateDirectory(Path.Combine(_root, "void"));
        (code, _, stderr) = Run("train", "--data", Path.Combine(_root, "void"), "--out", model);
        Assert.Equal(3, code);
        Assert.Contains("no class folders", stderr, StringComparison.Ordinal);
        (code, _, stderr) = Run("train", "--data", test, "--out", model, "--folds", "5");
        Assert.Equal(3, code);
        Assert.Contains("fewer than the 5 folds", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void CliTrainsAModelWithBoostedTreesThatClassifiesHeldOutSources()
    {
        string train = TestWav.MakeSet(Path.Combine(_root, "train"), 3, 2, 1);
        string test = TestWav.MakeSet(Path.Combine(_root, "test"), 2, 1, 7);
        string model = Path.Combine(_root, "trees.json");
        var (code, stdout, stderr) = Run("train", "--data", train, "--out", model, "--folds", "3", "--hidden", "4", "--trees", "20",
            "--tree-leaves", "4", "--tree-learning-rate", "0.2", "--tree-min-leaf", "3");
        Assert.True(code == 0, stderr);
        Assert.Contains("60 trees", stdout, StringComparison.Ordinal);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(model))!;
        Assert.Equal(ClassifierModelFile.FormatVersionWithTrees, (int)json["format_version"]!);
        Assert.Contains("LightGBM", (string)json["training"]!["trees"]!, StringComparison.Ordinal);
        (code, stdout, stderr) = Run("evaluate", "--data", test, "--model", model);
        Assert.True(code == 0, stderr);
        Assert.Contains("accuracy=1.000 macro_f1=1.000", stdout, StringComparison.Ordinal);

        // Too little data for the default minimum leaf: a clear input error, not a crash.
        (code, _, stderr) = Run("train", "--data", train, "--out", model, "--folds", "0", "--trees", "10");
        Assert.Equal(3, code);
        Assert.Contains("boosted trees", stderr, StringComparison.Ordinal);
        Assert.Contains("minimum leaf size", stderr, StringComparison.Ordinal);
        // Each bad value is refused by the option's own range check (the message names the option and its range).
        foreach (var (option, value, range) in new[]
        {
            ("--trees", "-1", "1–10000"), ("--trees", "10001", "1–10000"), ("--tree-leaves", "1", "2–1024"),
            ("--tree-learning-rate", "0", "(0, 1]"), ("--tree-weight", "1.5", "0–1"), ("--tree-min-leaf", "0", "≥ 1"),
        })
        {
            string[] args = option == "--trees"
                ? ["train", "--data", train, "--out", model, "--trees", value]
                : ["train", "--data", train, "--out", model, "--trees", "10", option, value];
            (code, _, stderr) = Run(args);
            Assert.Equal(2, code);
            Assert.Contains($"{option} {value}: ", stderr, StringComparison.Ordinal);
            Assert.Contains(range, stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("(Parameter", stderr, StringComparison.Ordinal);
        }

        // Tree settings without --trees, and tree training when scoring a model, are usage errors, not ignored.
        (code, _, stderr) = Run("train", "--data", train, "--out", model, "--tree-weight", "0.3");
        Assert.Equal(2, code);
        Assert.Contains("--tree-weight needs --trees", stderr, StringComparison.Ordinal);
        (code, _, stderr) = Run("evaluate", "--data", test, "--model", model, "--trees", "10");
        Assert.Equal(2, code);
        Assert.Contains("--trees", stderr, StringComparison.Ordinal);
        (code, _, stderr) = Run("evaluate", "--data", test, "--model", model, "--tree-leaves", "9");
        Assert.Equal(2, code);
        Assert.Contains("need --folds", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ExcludedFoldAndTestFoldPartitionTheSources()
    {
        string dir = TestWav.MakeSet(Path.Combine(_root, "parts"), 4, 2, 3);
        var set = LabelledAudioSet.Load(dir);
        var table = ClassifierTraining.ExtractFeatures(set, new WindowFeatureSettings());
        int[] folds = ClassifierTraining.AssignFolds(set, 4, 1);
        int inFold2 = table.FileIndex.Count(f => folds[f] == 1);

        var (code, full, err) = Run("evaluate", "--data", dir, "--folds", "4");
        Assert.True(code == 0, err);
        (code, string excluded, err) = Run("evaluate", "--data", dir, "--folds", "4", "--exclude-fold", "2");
        Assert.True(code == 0, err);
        (code, string tested, err) = Run("evaluate", "--data", dir, "--folds", "4", "--test-fold", "2");
        Assert.True(code == 0, err);

        // --test-fold scores exactly the windows of fold 2; --exclude-fold scores every other window.
        Assert.Equal(inFold2, WindowCount(tested));
        Assert.Equal(table.Count - inFold2, WindowCount(excluded));
        Assert.Equal(table.Count, WindowCount(full));
        Assert.Contains("3-fold cross-validation by source without fold 2", excluded, StringComparison.Ordinal);
        // Fold numbers stay the user's: without fold 2 the folds listed are 1, 3 and 4.
        Assert.Contains("windows per fold: fold 1 macro_f1", excluded, StringComparison.Ordinal);
        Assert.Contains("; fold 3 macro_f1", excluded, StringComparison.Ordinal);
        Assert.Contains("; fold 4 macro_f1", excluded, StringComparison.Ordinal);
        Assert.DoesNotContain("fold 2 macro_f1", excluded, StringComparison.Ordinal);
        string metricsDir = Path.Combine(_root, "tf");
        (code, _, err) = Run("evaluate", "--data", dir, "--folds", "4", "--test-fold", "3", "--out-dir", metricsDir);
        Assert.True(code == 0, err);
        Assert.Single(File.ReadAllLines(Path.Combine(metricsDir, "metrics.csv")), l => l.StartsWith("window_fold3,", StringComparison.Ordinal));
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(metricsDir, "metrics.csv")), l => l.StartsWith("window_fold1,", StringComparison.Ordinal));
        Assert.Contains("fold 2 of 4 held out", tested, StringComparison.Ordinal);

        foreach (string[] bad in new[]
        {
            new[] { "--exclude-fold", "1" },
            new[] { "--folds", "4", "--exclude-fold", "5" },
            new[] { "--folds", "4", "--test-fold", "0" },
            new[] { "--folds", "4", "--exclude-fold", "1", "--test-fold", "2" },
            new[] { "--folds", "4", "--ensemble", "2" },
            new[] { "--folds", "4", "--ensemble", "3", "--hidden", "100" },
        })
        {
            (code, _, err) = Run(["evaluate", "--data", dir, .. bad]);
            Assert.True(code == 2, $"{string.Join(' ', bad)}: exit {code}, {err}");
        }
    }

    [Fact]
    public void CrossValidationTrainsEachFoldFromTheGivenSeedAsTrainDoes()
    {
        // Two hidden units stopped after three L-BFGS steps: a model that still depends on its starting weights,
        // so a fold's predictions show which seed it was started from.
        string dir = TestWav.MakeSet(Path.Combine(_root, "seeded"), 3, 2, 5);
        var set = LabelledAudioSet.Load(dir);
        var settings = new WindowFeatureSettings();
        var table = ClassifierTraining.ExtractFeatures(set, settings);
        int[] folds = ClassifierTraining.AssignFolds(set, 3, 1);
        var options = new SoftmaxTrainerOptions { HiddenUnits = 2, MaxIterations = 3 };
        int d = WindowFeatureExtractor.FeatureCount;
        var truth = Enumerable.Range(0, table.Count).Select(i => set.Classes.ToList().IndexOf(set.Files[table.FileIndex[i]].Label)).ToArray();
        var train = Enumerable.Range(0, table.Count).Where(i => folds[table.FileIndex[i]] != 0).ToArray();
        var test = Enumerable.Range(0, table.Count).Where(i => folds[table.FileIndex[i]] == 0).ToArray();
        var x = train.SelectMany(i => table.Features.AsSpan(i * d, d).ToArray()).ToArray();
        var y = train.Select(i => truth[i]).ToArray();
        var confusions = new List<long[]>();
        foreach (int seed in new[] { 1, 2 })
        {
            var cv = ClassifierTraining.CrossValidate(set, table, folds, settings, options, onlyFold: 0, seed: seed);
            var model = SoftmaxTrainer.Train(x, y, set.Classes, settings, options, new TrainingMetadata { Seed = seed });
            var probabilities = new float[set.Classes.Count];
            var expected = ClassificationMetrics.Compute(set.Classes, test.Select(i => truth[i]).ToArray(),
                test.Select(i => model.Predict(table.Features.AsSpan(i * d, d), probabilities)).ToArray());
            long[] Cells(ClassificationMetrics m) => Enumerable.Range(0, set.Classes.Count * set.Classes.Count)
                .Select(c => m.Confusion(c / set.Classes.Count, c % set.Classes.Count)).ToArray();
            Assert.Equal(Cells(expected), Cells(cv.Windows));
            confusions.Add(Cells(cv.Windows));
        }

        Assert.NotEqual(confusions[0], confusions[1]);
    }

    [Fact]
    public void ConfidentWindowsAreCountedAgainstTheThreshold()
    {
        string dir = TestWav.MakeSet(Path.Combine(_root, "confident"), 3, 2, 6);
        var set = LabelledAudioSet.Load(dir);
        var settings = new WindowFeatureSettings();
        var table = ClassifierTraining.ExtractFeatures(set, settings);
        int[] folds = ClassifierTraining.AssignFolds(set, 3, 1);

        // Threshold 0: every window is labelled, and the labelled windows' accuracy is the window accuracy.
        var all = ClassifierTraining.CrossValidate(set, table, folds, settings, new SoftmaxTrainerOptions { ConfidenceThreshold = 0 });
        Assert.Equal(all.Windows.Total, all.ConfidentWindows);
        Assert.Equal(all.Windows.Accuracy, (double)all.ConfidentCorrect / all.ConfidentWindows, 12);

        // The same models (the threshold does not change training) with a higher threshold label exactly the windows
        // whose top probability under their fold's model reaches it: counted here from fold models trained by hand,
        // at a threshold between the probabilities seen, so that ignoring the option could not pass.
        int d0 = WindowFeatureExtractor.FeatureCount;
        var tops = new List<(double P, bool Right)>();
        for (int f = 0; f < 3; f++)
        {
            var rows = Enumerable.Range(0, table.Count).Where(i => folds[table.FileIndex[i]] != f).ToArray();
            var foldModel = SoftmaxTrainer.Train(rows.SelectMany(i => table.Features.AsSpan(i * d0, d0).ToArray()).ToArray(),
                rows.Select(i => set.Classes.ToList().IndexOf(set.Files[table.FileIndex[i]].Label)).ToArray(), set.Classes, settings,
                new SoftmaxTrainerOptions(), new TrainingMetadata());
            var q = new float[set.Classes.Count];
            foreach (int i in Enumerable.Range(0, table.Count).Where(i => folds[table.FileIndex[i]] == f))
            {
                int c = foldModel.Predict(table.Features.AsSpan(i * d0, d0), q);
                tops.Add((q[c], set.Classes[c] == set.Files[table.FileIndex[i]].Label));
            }
        }

        double middle = tops.Select(t => t.P).Order().ElementAt(tops.Count / 2);
        Assert.True(tops.Min(t => t.P) < middle, "the windows' probabilities must differ for this test to mean anything");
        var strict = ClassifierTraining.CrossValidate(set, table, folds, settings, new SoftmaxTrainerOptions { ConfidenceThreshold = middle });
        Assert.Equal(all.Windows.Accuracy, strict.Windows.Accuracy, 12);
        Assert.Equal(tops.Count(t => t.P >= middle), strict.ConfidentWindows);
        Assert.Equal(tops.Count(t => t.P >= middle && t.Right), strict.ConfidentCorrect);
        Assert.True(strict.ConfidentWindows < all.ConfidentWindows);
        var model = ClassifierTraining.Train(set, table, settings, new SoftmaxTrainerOptions { ConfidenceThreshold = 0.7 }, new TrainingMetadata());
        var scored = ClassifierTraining.Evaluate(model, set, table);
        Assert.Equal(0.7, scored.ConfidenceThreshold);
        int d = WindowFeatureExtractor.FeatureCount;
        var p = new float[set.Classes.Count];
        var truth = Enumerable.Range(0, table.Count).Select(i => set.Classes.ToList().IndexOf(set.Files[table.FileIndex[i]].Label)).ToArray();
        var top = Enumerable.Range(0, table.Count).Select(i =>
        {
            int c = model.Predict(table.Features.AsSpan(i * d, d), p);
            return (Probability: (double)p[c], Right: c == truth[i]);
        }).ToArray();
        Assert.Equal(top.Count(w => w.Probability >= 0.7), scored.ConfidentWindows);
        Assert.Equal(top.Count(w => w.Probability >= 0.7 && w.Right), scored.ConfidentCorrect);

        // The profile answers for any threshold, the exact probabilities of windows included.
        foreach (double t in new[] { 0, 0.5, 0.9, 0.99, top[0].Probability, top[^1].Probability, 1.0 })
        {
            Assert.Equal(top.Count(w => w.Probability >= t), scored.Confidence.Labelled(t));
            Assert.Equal(top.Count(w => w.Probability >= t && w.Right), scored.Confidence.Correct(t));
        }
    }

    private static int WindowCount(string stdout)
    {
        var m = System.Text.RegularExpressions.Regex.Match(stdout, @"windows: n=(\d+)");
        Assert.True(m.Success, stdout);
        return int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = AcousticCli.Run(args, new CliContext(o, e, () => Stream.Null));
        return (code, o.ToString(), e.ToString());
    }
}
