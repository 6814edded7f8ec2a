using System.Text.Json.Nodes;
using AcousticCore.Classification;
using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Classification;

/// <summary>Inputs of train / evaluate / classify that used to be ignored, crash late or give silent garbage.</summary>
public sealed class TrainingInputTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ac-in-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => ClassificationDataTests.Run(args);

    /// <summary>A manifest of the synthetic set with a fold column of three folds (sources kept together).</summary>
    private string ThreeFoldManifest()
    {
        string dir = TestWav.MakeSet(Path.Combine(_root, "set"), 3, 1, 2);
        var set = LabelledAudioSet.Load(dir);
        int[] folds = ClassifierTraining.AssignFolds(set, 3, 1);
        string manifest = Path.Combine(dir, "folds.csv");
        File.WriteAllLines(manifest, ["file,label,fold"], System.Text.Encoding.UTF8);
        File.AppendAllLines(manifest, set.Files.Select((f, i) => $"{Path.GetRelativePath(dir, f.Path)},{f.Label},{folds[i] + 1}"));
        return manifest;
    }

    [Fact]
    public void FoldsOtherThanTheManifestsAreUsageErrorsBeforeAnyWork()
    {
        string manifest = ThreeFoldManifest();
        foreach (string[] args in new[]
        {
            new[] { "evaluate", "--data", manifest, "--folds", "5" },
            new[] { "evaluate", "--data", manifest, "--folds", "5", "--test-fold", "5" },
            new[] { "evaluate", "--data", manifest, "--folds", "5", "--exclude-fold", "5" },
            new[] { "train", "--data", manifest, "--out", Path.Combine(_root, "m.json"), "--folds", "2" },
        })
        {
            var (code, _, err) = Run(args);
            Assert.True(code == 2, $"{string.Join(' ', args)}: exit {code} {err}");
            Assert.Contains("defines 3 folds", err, StringComparison.Ordinal);
            Assert.DoesNotContain("features:", err, StringComparison.Ordinal);
        }

        var (ok, stdout, stderr) = Run("evaluate", "--data", manifest, "--folds", "3");
        Assert.True(ok == 0, stderr);
        Assert.Contains("3-fold cross-validation", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AFoldColumnOfOneFoldOrSplittingASourceIsNamed()
    {
        string dir = TestWav.MakeSet(Path.Combine(_root, "set"), 3, 2, 2);
        var set = LabelledAudioSet.Load(dir);

        // One fold only: the message does not suggest --folds 1, which cannot cross-validate.
        string single = Path.Combine(dir, "single.csv");
        File.WriteAllLines(single, ["file,label,fold", .. set.Files.Select(f => $"{Path.GetRelativePath(dir, f.Path)},{f.Label},1")]);
        var (code, _, err) = Run("evaluate", "--data", single, "--folds", "3");
        Assert.True(code == 2, err);
        Assert.Contains("defines a single fold", err, StringComparison.Ordinal);
        Assert.DoesNotContain("--folds 1", err, StringComparison.Ordinal);

        // The two clips of every source dealt to different folds: cross-validation runs, with a warning naming sources.
        string split = Path.Combine(dir, "split.csv");
        File.WriteAllLines(split, ["file,label,fold", .. set.Files.Select((f, i) => $"{Path.GetRelativePath(dir, f.Path)},{f.Label},{i % 3 + 1}")]);
        Assert.Equal(9, LabelledAudioSet.Load(split).SourcesInSeveralFolds().Count);
        (code, _, err) = Run("evaluate", "--data", split, "--folds", "3", "--hidden", "0", "--iterations", "20");
        Assert.True(code == 0, err);
        Assert.Contains("puts clips of one source in several folds", err, StringComparison.Ordinal);
        Assert.Contains("and 6 more", err, StringComparison.Ordinal);

        // Sources kept together by the column: no warning.
        string together = ThreeFoldManifest();
        Assert.Empty(LabelledAudioSet.Load(together).SourcesInSeveralFolds());
        (code, _, err) = Run("evaluate", "--data", together, "--folds", "3", "--hidden", "0", "--iterations", "20");
        Assert.True(code == 0, err);
        Assert.DoesNotContain("several folds", err, StringComparison.Ordinal);
    }

    [Fact]
    public void FilesWithoutAWindowAreNotCountedAsTrainingFilesWithOrWithoutTheCache()
    {
        string dir = TestWav.MakeSet(Path.Combine(_root, "short"), 3, 1, 4);
        TestWav.Write(Path.Combine(dir, "tone", "zz__short.wav"), new float[800], 16000);   // 0.05 s: no window
        string cache = Path.Combine(_root, "f.cache"), model = Path.Combine(_root, "m.json");
        for (int pass = 1; pass <= 2; pass++)   // features extracted, then read from the cache
        {
            var (code, _, err) = Run("train", "--data", dir, "--out", model, "--folds", "0", "--iterations", "20", "--feature-cache", cache);
            Assert.True(code == 0, err);
            Assert.Contains("skipped (shorter than one window)", err, StringComparison.Ordinal);
            Assert.Equal(pass == 2, err.Contains("from cache", StringComparison.Ordinal));
            Assert.Equal(9, ClassifierModelFile.Load(model).Training.Files);
        }
    }

    [Fact]
    public void SourceDateEpochPinsTheTrainingDate()
    {
        Assert.Equal("1970-01-01T00:00:00Z", AcousticCore.Cli.Commands.TrainCommand.TrainingDate("0"));
        Assert.Equal("2026-12-06T00:00:00Z", AcousticCore.Cli.Commands.TrainCommand.TrainingDate("1796515200"));
        foreach (string bad in new[] { "-1", "1.5", " 5", "soon", "99999999999999" })
        {
            var e = Assert.ThrowsAny<Exception>(() => AcousticCore.Cli.Commands.TrainCommand.TrainingDate(bad));
            Assert.Contains("SOURCE_DATE_EPOCH", e.Message, StringComparison.Ordinal);
        }

        foreach (string? unset in new[] { null, "" })
        {
            string now = AcousticCore.Cli.Commands.TrainCommand.TrainingDate(unset);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", now);
            Assert.InRange(DateTime.Parse(now, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal),
                DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));
        }
    }

    [Fact]
    public void UrbanSound8KLayoutTrainsOnItsOwnFoldsWithoutOptions()
    {
        // metadata/UrbanSound8K.csv with clips in audio/foldN/ (found as ../audio/foldN/NAME), one clip at 11.025 kHz
        // as in the real set; no --folds: the manifest's three folds are used.
        string root = Path.Combine(_root, "UrbanSound8K");
        var rows = new List<string> { "slice_file_name,fsID,start,end,salience,fold,classID,class" };
        string[] classes = ["tone", "noise", "clicks"];
        for (int s = 0; s < 3; s++)
        {
            for (int c = 0; c < 3; c++)
            {
                int rate = s == 0 && c == 0 ? 11025 : 16000;
                float[] x = c switch
                {
                    0 => Signals.Sine(300 + 200 * s, 0.2, rate, rate * 3 / 2),
                    1 => Signals.WhiteNoise(0.1, rate * 3 / 2, 10 + s),
                    _ => Clicks(rate, 4 + s),
                };
                string name = $"{100 + s}-{c}-0-0.wav";
                TestWav.Write(Path.Combine(root, "audio", $"fold{s + 1}", name), x, rate);
                rows.Add($"{name},{100 + 10 * c + s},0,1.5,1,{s + 1},{c},{classes[c]}");
            }
        }

        Directory.CreateDirectory(Path.Combine(root, "metadata"));
        string manifest = Path.Combine(root, "metadata", "UrbanSound8K.csv");
        File.WriteAllLines(manifest, rows);
        string model = Path.Combine(_root, "us.json");
        var (code, stdout, err) = Run("train", "--data", manifest, "--out", model);
        Assert.True(code == 0, err);
        Assert.Contains("cross-validation over the manifest's 3 folds", err, StringComparison.Ordinal);
        Assert.Contains("cross-validation (3 folds by source)", stdout, StringComparison.Ordinal);
        Assert.Equal(3, ClassifierModelFile.Load(model).Training.CvFolds);
    }

    private static float[] Clicks(int rate, int perSecond)
    {
        var x = Signals.WhiteNoise(0.002, rate * 3 / 2, perSecond);
        for (int k = 0; k < perSecond * 3 / 2; k++)
        {
            int at = k * rate / perSecond + 100;
            for (int i = 0; i < 30 && at + i < x.Length; i++) x[at + i] += (float)(0.5 * Math.Exp(-i / 6.0) * (i % 2 == 0 ? 1 : -1));
        }

        return x;
    }

    [Fact]
    public void OneClassOrTheReservedLabelIsBadDataNamedWhere()
    {
        string one = Path.Combine(_root, "one");
        TestWav.Write(Path.Combine(one, "tone", "a.wav"), Signals.Sine(440, 0.2, 16000, 24000), 16000);
        var (code, _, err) = Run("train", "--data", one, "--out", Path.Combine(_root, "m.json"), "--folds", "0");
        Assert.Equal(3, code);
        Assert.Contains("two classes", err, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", err, StringComparison.Ordinal);

        string manifest = Path.Combine(one, "unk.csv");
        File.WriteAllLines(manifest, ["tone/a.wav,tone", "tone/a.wav,unknown"]);
        (code, _, err) = Run("train", "--data", manifest, "--out", Path.Combine(_root, "m.json"), "--folds", "0");
        Assert.Equal(3, code);
        Assert.Contains("unk.csv:2", err, StringComparison.Ordinal);
        Assert.Contains("reserved", err, StringComparison.Ordinal);

        // The library says so too, instead of an ArgumentException from the trainer.
        var set = LabelledAudioSet.Load(one);
        var table = ClassifierTraining.ExtractFeatures(set, new WindowFeatureSettings());
        Assert.Throws<ClassificationDataException>(() => ClassifierTraining.Train(set, table, new WindowFeatureSettings(), new SoftmaxTrainerOptions(), new TrainingMetadata()));
    }

    [Fact]
    public void ModelWhoseNumbersOverflowIsRefusedOrFavoursNoClass()
    {
        using var stream = new MemoryStream();
        ClassifierModelFile.Write(ClassifierModelTests.TrainSeparable(), stream);
        var json = JsonNode.Parse(stream.ToArray())!.AsObject();
        json["normalisation"]!["sd"]![0] = 1e-45;
        using (var bad = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString())))
        {
            Assert.Equal("normalisation.sd[0]", Assert.Throws<ModelFileException>(() => ClassifierModelFile.Read(bad, "m.json")).Field);
        }

        // Valid, finite numbers that still overflow for an input: every class gets 1/k, so the window is unknown.
        json = JsonNode.Parse(stream.ToArray())!.AsObject();
        foreach (JsonNode? row in json["weights"]!.AsArray())
        {
            for (int j = 0; j < row!.AsArray().Count; j++) row[j] = j % 2 == 0 ? 3e38 : -3e38;
        }

        using var huge = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
        ClassifierModel model = ClassifierModelFile.Read(huge, "m.json");
        var features = Enumerable.Range(0, WindowFeatureExtractor.FeatureCount).Select(j => 1e6f * (j + 1)).ToArray();
        var p = new float[3];
        int best = model.Predict(features, p);
        Assert.All(p, v => Assert.Equal(1f / 3, v));
        Assert.Equal(ClassifierModel.UnknownLabel, model.LabelFor(best, p[best]));
    }

    [Fact]
    public void FeatureCacheThatIsAnotherFileIsNotOverwrittenAndACorruptCacheIsRebuilt()
    {
        string dir = TestWav.MakeSet(Path.Combine(_root, "cache"), 3, 1, 4);
        string notCache = Path.Combine(_root, "notes.txt");
        File.WriteAllText(notCache, "my notes");
        var (code, _, err) = Run("evaluate", "--data", dir, "--folds", "3", "--feature-cache", notCache);
        Assert.Equal(2, code);
        Assert.Contains("not a feature cache", err, StringComparison.Ordinal);
        Assert.Equal("my notes", File.ReadAllText(notCache));

        // Starts like a cache, then garbage (a 7-bit length that never ends): a miss, rebuilt, not a crash.
        string cache = Path.Combine(_root, "f.cache");
        File.WriteAllBytes(cache, [5, (byte)'A', (byte)'C', (byte)'F', (byte)'T', (byte)'1', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        (code, _, err) = Run("evaluate", "--data", dir, "--folds", "3", "--feature-cache", cache);
        Assert.True(code == 0, err);
        (code, _, err) = Run("evaluate", "--data", dir, "--folds", "3", "--feature-cache", cache);
        Assert.True(code == 0, err);
        Assert.Contains("from cache", err, StringComparison.Ordinal);

        // An empty file (e.g. made by touch) holds nothing to lose: it becomes the cache.
        string empty = Path.Combine(_root, "empty.cache");
        File.WriteAllBytes(empty, []);
        (code, _, err) = Run("evaluate", "--data", dir, "--folds", "3", "--feature-cache", empty);
        Assert.True(code == 0, err);
        Assert.True(ClassifierTraining.IsFeatureCache(empty));
    }

    [Fact]
    public void FileWithoutAWindowHasTheSameSummaryInClassifyAndStream()
    {
        string wav = Path.Combine(_root, "short", "s.wav");
        TestWav.Write(wav, Signals.Sine(440, 0.2, 16000, 800), 16000);   // 0.05 s: fewer than the 10 frames of a window
        var file = CliHarness.Run("classify", wav, "--format", "jsonl");
        Assert.Equal(0, file.ExitCode);
        byte[] bytes = File.ReadAllBytes(wav);
        var streamed = CliHarness.Run(() => new MemoryStream(bytes), "stream", "--input", "stdin", "--classify", "--no-bands");
        Assert.True(streamed.ExitCode == 0, streamed.Error);
        var a = file.JsonRecords().Single(x => x["kind"].GetString() == "summary");
        var b = streamed.JsonRecords().Single(x => x.TryGetValue("analysis", out var v) && v.GetString() == "classify" && x["kind"].GetString() == "summary");
        Assert.Equal(0.05, a["duration_s"].GetDouble(), 9);
        string[] ignored = ["file", "analysis", "latency_ms"];
        Assert.Equal(
            a.Where(kv => !ignored.Contains(kv.Key)).Select(kv => (kv.Key, kv.Value.GetRawText())).OrderBy(t => t.Key),
            b.Where(kv => !ignored.Contains(kv.Key)).Select(kv => (kv.Key, kv.Value.GetRawText())).OrderBy(t => t.Key));
    }

    [Fact]
    public void OutputsAndIgnoredOptionsAreCheckedBeforeAnyWork()
    {
        string dir = TestWav.MakeSet(Path.Combine(_root, "opts"), 3, 1, 5);
        string aFile = Path.Combine(_root, "afile");
        File.WriteAllText(aFile, "x");
        string model = Path.Combine(_root, "m.json");
        foreach (var (args, expected) in new (string[], string)[]
        {
            (["train", "--data", dir, "--out", Path.Combine(_root, "nodir", "x.json")], "does not exist"),
            (["train", "--data", dir, "--out", _root], "is a folder"),
            (["train", "--data", dir, "--out", model, "--out-dir", aFile], "is a file"),
            (["train", "--data", dir, "--out", model, "--folds", "0", "--out-dir", Path.Combine(_root, "r")], "needs --folds"),
            (["train", "--data", dir, "--out", model, "--seed", "-1"], "--seed -1"),
            (["evaluate", "--data", dir, "--folds", "3", "--seed", "-1"], "--seed -1"),
            (["evaluate", "--data", dir, "--hidden", "32"], "--hidden"),
            (["evaluate", "--data", dir, "--seed", "3"], "--seed"),
            (["evaluate", "--data", dir, "--trees", "0"], "--trees"),
            (["evaluate", "--data", dir, "--folds", "3", "--threshold", "2"], "--threshold 2"),
            (["train", "--data", dir, "--out", ""], "--out: empty path"),
            (["evaluate", "--data", dir, "--folds", "3", "--out-dir", ""], "--out-dir: empty path"),
            (["evaluate", "--data", dir, "--folds", "3", "--feature-cache", ""], "--feature-cache: empty path"),
            (["evaluate", "--data", dir, "--folds", "3", "--feature-cache", Path.Combine(_root, "nodir", "f.cache")], "does not exist"),
            (["evaluate", "--data", dir, "--folds", "3", "--out-dir", Path.Combine(aFile, "report")], "--out-dir: cannot create"),
            (["train", "--data", "", "--out", model], "--data: empty path"),
            (["evaluate", "--data", ""], "--data: empty path"),
            (["evaluate", "--data", dir, "--model", ""], "--model: empty path"),
            (["classify", dir, "--model", ""], "--model: empty path"),
            (["train", "--data", dir, "--out", model, "--hidden", "999"], "--hidden 999: Must be 0–256."),
            (["train", "--data", dir, "--out", model, "--folds", "4"], "fewer than the 4 folds"),
            (["evaluate", "--data", dir, "--folds", "4"], "fewer than the 4 folds"),
        })
        {
            var (code, _, err) = Run(args);
            int exit = expected.StartsWith("fewer than", StringComparison.Ordinal) ? 3 : 2;   // too few sources is bad data
            Assert.True(code == exit, $"{string.Join(' ', args)}: exit {code} {err}");
            Assert.Contains(expected, err, StringComparison.Ordinal);
            Assert.DoesNotContain("features:", err, StringComparison.Ordinal);
            Assert.DoesNotContain("(Parameter", err, StringComparison.Ordinal);
            Assert.DoesNotContain("('", err, StringComparison.Ordinal);   // no .NET argument names such as HiddenUnits ('999')
        }

        Assert.False(File.Exists(model));
        var early = Run("evaluate", "--data", Path.Combine(_root, "none.csv"), "--folds", "3", "--out-dir", Path.Combine(_root, "new", "report"));
        Assert.Equal(2, early.Code);
        Assert.False(Directory.Exists(Path.Combine(_root, "new")));   // a usage error leaves no report folder behind
        if (OperatingSystem.IsLinux())
        {
            // A place where the model cannot be written is found before the training, not after it.
            var (code, _, err) = Run("train", "--data", dir, "--out", "/proc/acoustic-model.json");
            Assert.True(code == 2, err);
            Assert.Contains("--out: cannot write", err, StringComparison.Ordinal);
            Assert.DoesNotContain("features:", err, StringComparison.Ordinal);
        }

        var stream = CliHarness.Run(() => new MemoryStream([]), "stream", "--input", "stdin", "--model", model);
        Assert.Equal(2, stream.ExitCode);
        Assert.Contains("--model needs --classify", stream.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedWavIsClassifiedWithTheReadersWarning()
    {
        string wav = Path.Combine(_root, "t", "tone", "long.wav");
        TestWav.Write(wav, Signals.Sine(440, 0.2, 16000, 32000), 16000);
        byte[] bytes = File.ReadAllBytes(wav);
        string truncated = Path.Combine(_root, "t", "tone", "cut.wav");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 20001)]);
        var (code, _, err) = Run("classify", truncated);
        Assert.True(code == 0, err);
        Assert.Contains("declares", err, StringComparison.Ordinal);
        Assert.Contains("cut.wav", err, StringComparison.Ordinal);

        // train/evaluate pass the same warnings on (through ExtractFeatures' warn callback).
        var warnings = new List<string>();
        ClassifierTraining.ExtractFeatures(LabelledAudioSet.Load(Path.Combine(_root, "t")), new WindowFeatureSettings(), warn: warnings.Add);
        Assert.Contains(warnings, w => w.Contains("declares", StringComparison.Ordinal) && w.Contains("cut.wav", StringComparison.Ordinal));
    }

    [Fact]
    public void IterationCountIncludesTheLastIteration()
    {
        // Training that converges before the cap: the stored count equals the iterations it reported.
        int last = 0;
        var (x, y) = ClassifierModelTests.Separable(50, 3);
        var model = SoftmaxTrainer.Train(x, y, ["a", "b", "c"], new WindowFeatureSettings(), new SoftmaxTrainerOptions { L2 = 0.05 },
            new TrainingMetadata(), (iteration, _) => last = iteration);
        Assert.InRange(model.Training.Iterations, 1, 399);
        Assert.Equal(last, model.Training.Iterations);
    }
}
