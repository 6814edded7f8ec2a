using AcousticCore.Classification;
using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Classification;

/// <summary>Band-limited training copies (<c>--augment-rates</c>): what they hold, where they are used and where never.</summary>
public sealed class AugmentationTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ac-aug-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    /// <summary>Tones at 500 Hz and 2 kHz (4 Hz AM on the latter), plus, when the rate allows, a 6 kHz tone as loud as the 500 Hz one.</summary>
    private static float[] Sound(int fs, int seconds = 3)
    {
        int n = fs * seconds;
        var x = Signals.Sine(500, 0.2, fs, n);
        var mid = Signals.Sine(2000, 0.1, fs, n);
        var high = fs > 12000 ? Signals.Sine(6000, 0.2, fs, n) : new float[n];
        for (int i = 0; i < n; i++) x[i] += mid[i] * (float)(1 + 0.6 * Math.Sin(2 * Math.PI * 4 * i / fs)) + high[i];
        return x;
    }

    [Fact]
    public void ACopyAt8KHzHasTheFeaturesOfThatSoundRecordedAt8KHz()
    {
        // The 48 kHz recording's copy at 8000 Hz must look like the 8 kHz recording of the same sound (which cannot hold the
        // 6 kHz tone), and unlike the 48 kHz recording itself; an 8 kHz file gets no copy (it holds nothing above 4 kHz).
        string wide = Path.Combine(_root, "set", "a", "wide.wav"), narrow = Path.Combine(_root, "set", "b", "narrow.wav");
        TestWav.Write(wide, Sound(48000), 48000);
        TestWav.Write(narrow, Sound(8000), 8000);
        var set = LabelledAudioSet.Load(Path.Combine(_root, "set"));
        var table = ClassifierTraining.ExtractFeatures(set, new WindowFeatureSettings(), copyRates: [8000]);
        int wideIndex = set.Files.ToList().FindIndex(f => f.Path == Path.GetFullPath(wide));
        int d = WindowFeatureExtractor.FeatureCount;
        var original = Rows(table, i => table.FileIndex[i] == wideIndex && table.CopyRate[i] == 0);
        var copy = Rows(table, i => table.FileIndex[i] == wideIndex && table.CopyRate[i] == 8000);
        var recorded = Rows(table, i => table.FileIndex[i] != wideIndex);
        Assert.Equal(5, original.Count);
        Assert.Equal(original.Count, copy.Count);
        Assert.Equal(5, recorded.Count);
        Assert.All(recorded, i => Assert.Equal(0, table.CopyRate[i]));

        double Mean(List<int> rows, string name) => rows.Average(i => table.Features[i * d + CollectingSink.Index(name)]);
        foreach (string name in new[] { "leq_dbfs", "band_500hz_rel_db", "band_2000hz_rel_db", "peak_frequency_khz_p50", "modulation_depth_2_20hz" })
        {
            Assert.Equal(Mean(recorded, name), Mean(copy, name), 0.05);
        }

        // The 6 kHz tone (as loud as the 500 Hz one) is in the recording's features and not in the copy's.
        Assert.True(Mean(original, "band_6300hz_rel_db") - Mean(copy, "band_6300hz_rel_db") > 40);
        Assert.True(Mean(original, "leq_dbfs") - Mean(copy, "leq_dbfs") > 2);
    }

    private static List<int> Rows(WindowFeatureTable table, Func<int, bool> where) => Enumerable.Range(0, table.Count).Where(where).ToList();

    [Fact]
    public void CopiesAreTrainedOnButNeverScoredAndTheCacheKnowsThem()
    {
        string dir = TestWav.MakeSet(Path.Combine(_root, "set3"), 3, 1, 7);
        var set = LabelledAudioSet.Load(dir);
        var settings = new WindowFeatureSettings();
        var plain = ClassifierTraining.ExtractFeatures(set, settings);
        var table = ClassifierTraining.ExtractFeatures(set, settings, copyRates: [11025, 8000]);
        Assert.Equal(3 * plain.Count, table.Count);   // 16 kHz files: a copy at each rate
        var originals = Enumerable.Range(0, table.Count).Where(i => table.CopyRate[i] == 0).ToList();
        Assert.Equal(plain.Count, originals.Count);
        int d = WindowFeatureExtractor.FeatureCount;
        for (int r = 0; r < originals.Count; r++)
        {
            Assert.Equal(plain.Features.AsSpan(r * d, d).ToArray(), table.Features.AsSpan(originals[r] * d, d).ToArray());
        }

        // Cross-validation and evaluation score the recordings' windows only, whatever copies the table holds.
        var options = new SoftmaxTrainerOptions { L2 = 1e-2 };
        int[] folds = ClassifierTraining.AssignFolds(set, 3, 1);
        var cv = ClassifierTraining.CrossValidate(set, table, folds, settings, options);
        Assert.Equal(plain.Count, cv.Windows.Total);
        Assert.Equal(plain.Count, cv.PerFile.Sum(f => f.Windows));

        // ... and each fold's model is trained with the copies of the other folds: its file confidences differ.
        var cvPlain = ClassifierTraining.CrossValidate(set, plain, folds, settings, options);
        Assert.NotEqual(cvPlain.PerFile.Select(f => f.Confidence), cv.PerFile.Select(f => f.Confidence));
        var model = ClassifierTraining.Train(set, table, settings, options, new TrainingMetadata());
        Assert.Equal(plain.Count, ClassifierTraining.Evaluate(model, set, table).Windows.Total);

        // ... but training uses the copies: a model trained with them differs from one trained without.
        var without = ClassifierTraining.Train(set, plain, settings, options, new TrainingMetadata());
        Assert.NotEqual(without.Weights.ToArray(), model.Weights.ToArray());

        // The cache stores the copies and is used only for the same copy rates.
        string cache = Path.Combine(_root, "features.bin");
        ClassifierTraining.SaveFeatureCache(set, table, settings, cache, [8000, 11025]);
        var loaded = ClassifierTraining.TryLoadFeatureCache(set, settings, cache, [11025, 8000]);
        Assert.NotNull(loaded);
        Assert.Equal(table.CopyRate, loaded.CopyRate);
        Assert.Equal(table.Features, loaded.Features);
        Assert.Null(ClassifierTraining.TryLoadFeatureCache(set, settings, cache, [8000]));
        Assert.Null(ClassifierTraining.TryLoadFeatureCache(set, settings, cache, [8000, 12000]));
        Assert.Null(ClassifierTraining.TryLoadFeatureCache(set, settings, cache));
        Assert.Throws<ArgumentException>(() => ClassifierTraining.SaveFeatureCache(set, table, settings, cache, [8000]));

        foreach (int[] bad in new[] { new[] { 7999 }, [16000], [8000, 8000] })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => ClassifierTraining.ExtractFeatures(set, settings, copyRates: bad));
        }
    }

    [Fact]
    public void TrainAndEvaluateTakeAugmentRatesAndRefuseBadOnes()
    {
        string dir = TestWav.MakeSet(Path.Combine(_root, "cli"), 3, 1, 9);
        string model = Path.Combine(_root, "m.json");
        var (code, stdout, stderr) = ClassificationDataTests.Run("train", "--data", dir, "--out", model, "--folds", "0", "--augment-rates", "8000");
        Assert.True(code == 0, stderr);
        Assert.Contains("band-limited copies", stderr, StringComparison.Ordinal);
        Assert.Equal("band-limited training copies at 8000 Hz (never scored)", ClassifierModelFile.Load(model).Training.Augmentation);
        Assert.Contains("\"augmentation\"", File.ReadAllText(model), StringComparison.Ordinal);

        // Cross-validation with copies scores the same windows with other models: same count, other per-file confidences.
        string withDir = Path.Combine(_root, "with"), withoutDir = Path.Combine(_root, "without");
        var cv = ClassificationDataTests.Run("evaluate", "--data", dir, "--folds", "3", "--augment-rates", "8000,11025", "--out-dir", withDir);
        Assert.True(cv.Code == 0, cv.Err);
        var plainCv = ClassificationDataTests.Run("evaluate", "--data", dir, "--folds", "3", "--out-dir", withoutDir);
        Assert.True(plainCv.Code == 0, plainCv.Err);
        string[] withRows = File.ReadAllLines(Path.Combine(withDir, "files.csv")), withoutRows = File.ReadAllLines(Path.Combine(withoutDir, "files.csv"));
        Assert.Equal(withoutRows.Length, withRows.Length);
        Assert.NotEqual(withoutRows, withRows);
        Assert.Equal(withoutRows.Select(r => string.Join(',', r.Split(',')[..5])), withRows.Select(r => string.Join(',', r.Split(',')[..5])));

        foreach (string bad in new[] { "4000", "16000", "8000,8000", "8k", "" })
        {
            var r = ClassificationDataTests.Run("train", "--data", dir, "--out", model, "--augment-rates", bad);
            Assert.True(r.Code == 2, $"{bad}: {r.Code} {r.Err}");
            Assert.Contains("--augment-rates", r.Err, StringComparison.Ordinal);
        }

        var scored = ClassificationDataTests.Run("evaluate", "--data", dir, "--model", model, "--augment-rates", "8000");
        Assert.Equal(2, scored.Code);
        Assert.Contains("--augment-rates", scored.Err, StringComparison.Ordinal);
    }
}
