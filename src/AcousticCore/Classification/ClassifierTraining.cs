using System.Globalization;
using AcousticCore.Audio;

namespace AcousticCore.Classification;

/// <summary>Feature vectors of every window of a <see cref="LabelledAudioSet"/>, with the file each came from.</summary>
public sealed class WindowFeatureTable
{
    internal WindowFeatureTable(float[] features, int[] fileIndex, int[] copyRate, IReadOnlyList<string> skipped)
    {
        Features = features;
        FileIndex = fileIndex;
        CopyRate = copyRate;
        SkippedFiles = skipped;
    }

    /// <summary>Row-major windows × <see cref="WindowFeatureExtractor.FeatureCount"/>.</summary>
    public float[] Features { get; }

    /// <summary>Index into the set's files, per window.</summary>
    public int[] FileIndex { get; }

    /// <summary>
    /// Per window: 0 for a window of the recording itself; for a window of a band-limited training copy (see
    /// <see cref="ClassifierTraining.ExtractFeatures"/>), the sample rate the copy imitates. Copies are trained on, never scored.
    /// </summary>
    public int[] CopyRate { get; }

    /// <summary>Number of windows (copies' included).</summary>
    public int Count => FileIndex.Length;

    /// <summary>Files too short for any window (under ~0.13 s), not used.</summary>
    public IReadOnlyList<string> SkippedFiles { get; }
}

/// <summary>Window-level and file-level scores of a classifier on a labelled set.</summary>
/// <param name="Windows">Scores of every window (top class, no unknown threshold).</param>
/// <param name="Files">Scores of each file's dominant class (highest mean probability).</param>
public sealed record EvaluationResult(ClassificationMetrics Windows, ClassificationMetrics Files)
{
    /// <summary>Window scores of each tested fold, in fold order (cross-validation only; empty otherwise).</summary>
    public IReadOnlyList<FoldMetrics> Folds { get; init; } = [];

    /// <summary>One entry per scored file (files without windows and files of untested folds are left out), in the set's order.</summary>
    public IReadOnlyList<FileResult> PerFile { get; init; } = [];

    /// <summary>The scoring models' confidence threshold: below it a window is labelled unknown.</summary>
    public double ConfidenceThreshold { get; init; }

    /// <summary>The scored windows' top probabilities, to count what any threshold would leave labelled.</summary>
    public ConfidenceProfile Confidence { get; init; } = new([], []);

    /// <summary>Windows whose top probability reaches <see cref="ConfidenceThreshold"/> (labelled, not unknown).</summary>
    public int ConfidentWindows => Confidence.Labelled(ConfidenceThreshold);

    /// <summary>Of <see cref="ConfidentWindows"/>, those whose label is right.</summary>
    public int ConfidentCorrect => Confidence.Correct(ConfidenceThreshold);
}

/// <summary>
/// Top probabilities of scored windows, right and wrong ones apart: how many windows a confidence threshold
/// leaves labelled (the rest are unknown) and how many of those are right (an accuracy–coverage curve).
/// </summary>
public sealed class ConfidenceProfile
{
    private readonly double[] _all;       // sorted ascending
    private readonly double[] _correct;   // sorted ascending

    /// <summary>Builds the profile from every window's top probability and those of the windows classified right.</summary>
    public ConfidenceProfile(IEnumerable<double> all, IEnumerable<double> correct)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(correct);
        _all = [.. all];
        _correct = [.. correct];
        Array.Sort(_all);
        Array.Sort(_correct);
    }

    /// <summary>Scored windows.</summary>
    public int Windows => _all.Length;

    /// <summary>Windows whose top probability is at least <paramref name="threshold"/> (labelled, not unknown).</summary>
    public int Labelled(double threshold) => _all.Length - LowerBound(_all, threshold);

    /// <summary>Of <see cref="Labelled"/>, the windows whose label is right.</summary>
    public int Correct(double threshold) => _correct.Length - LowerBound(_correct, threshold);

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }

        return lo;
    }
}

/// <summary>How one file was classified.</summary>
/// <param name="File">The file as the set lists it.</param>
/// <param name="Fold">The cross-validation fold that tested it (0-based), or null when an existing model was scored.</param>
/// <param name="Windows">Its windows.</param>
/// <param name="CorrectWindows">Windows whose top class is the file's label.</param>
/// <param name="Predicted">The file's dominant class (highest mean probability over its windows).</param>
/// <param name="Confidence">That class's mean probability, 0–1.</param>
public sealed record FileResult(LabelledFile File, int? Fold, int Windows, int CorrectWindows, string Predicted, double Confidence);

/// <summary>Window scores of one cross-validation fold.</summary>
/// <param name="Fold">The fold's index in the fold assignment (0-based; folds without files are not listed).</param>
/// <param name="Windows">Scores of the fold's windows.</param>
public sealed record FoldMetrics(int Fold, ClassificationMetrics Windows);

/// <summary>Feature extraction over a labelled set, training, source-grouped cross-validation and evaluation.</summary>
public static class ClassifierTraining
{
    /// <summary>Extracts the windows of every file (channels averaged to mono).</summary>
    /// <param name="set">The recordings.</param>
    /// <param name="settings">Window settings.</param>
    /// <param name="progress">Optional callback (files done, files total, file).</param>
    /// <param name="warn">Optional callback for the WAV reader's warnings (a truncated file, NaN samples replaced by 0), each naming the file.</param>
    /// <param name="threads">Files read at once (0: one per processor). The table is the same whatever the count; warnings come in file
    /// order after all files are read; <paramref name="progress"/> is called as files finish, one call at a time.</param>
    /// <param name="copyRates">Optional training copies: for each rate R (8000–15999 Hz), every file recorded above R is also
    /// read through a low-pass at R / 2 (the band an R-Hz recording holds, with the transition of the analysis' own
    /// interpolation), and those windows are added with <see cref="WindowFeatureTable.CopyRate"/> R. They teach a model what
    /// narrow-band sensors hear; training uses them, scoring never does.</param>
    /// <remarks>Files at 8–16 kHz are analysed at twice their rate (see <see cref="WindowFeatureExtractor"/>).</remarks>
    /// <exception cref="ClassificationDataException">A class left without any window.</exception>
    /// <exception cref="AudioDataException">A file is not a readable WAV (the first such file in the set's order among those read).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A copy rate outside 8000–15999 Hz, or given twice.</exception>
    public static WindowFeatureTable ExtractFeatures(LabelledAudioSet set, WindowFeatureSettings settings, Action<int, int, string>? progress = null,
        Action<string>? warn = null, int threads = 0, IReadOnlyList<int>? copyRates = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        int[] copies = CheckCopyRates(copyRates);
        int count = set.Files.Count;
        var perFile = new float[count][];
        var windowsPerFile = new int[count];
        var copyRatePerFile = new int[count][];
        var messages = new List<string>[count];
        var failures = new Exception?[count];
        int done = 0;
        var progressLock = new object();
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? Environment.ProcessorCount : threads }, (i, loop) =>
        {
            string path = set.Files[i].Path;
            try
            {
                (perFile[i], copyRatePerFile[i], windowsPerFile[i], messages[i]) = ExtractFile(path, settings, copies);
            }
            catch (Exception e)
            {
                // Rethrown below, unwrapped, as the sequential loop would have thrown it.
                failures[i] = e;
                loop.Stop();
                return;
            }

            lock (progressLock) progress?.Invoke(++done, count, path);
        });
        if (failures.FirstOrDefault(f => f is not null) is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);

        var features = new List<float>();
        var fileIndex = new List<int>();
        var copyRate = new List<int>();
        var skipped = new List<string>();
        for (int i = 0; i < count; i++)
        {
            if (warn is not null)
            {
                foreach (string message in messages[i]) warn(message);
            }

            features.AddRange(perFile[i]);
            copyRate.AddRange(copyRatePerFile[i]);
            if (windowsPerFile[i] == 0) skipped.Add(set.Files[i].Path);
            for (int w = 0; w < copyRatePerFile[i].Length; w++) fileIndex.Add(i);
        }

        var perClass = new int[set.Classes.Count];
        for (int w = 0; w < fileIndex.Count; w++)
        {
            if (copyRate[w] == 0) perClass[IndexOf(set.Classes, set.Files[fileIndex[w]].Label)]++;
        }

        for (int c = 0; c < perClass.Length; c++)
        {
            if (perClass[c] == 0) throw new ClassificationDataException(set.Origin, $"class '{set.Classes[c]}' has no file long enough for a window");
        }

        return new WindowFeatureTable(features.ToArray(), fileIndex.ToArray(), copyRate.ToArray(), skipped);
    }

    /// <summary>The copy rates, sorted; refuses rates outside 8000–15999 Hz and repeats.</summary>
    private static int[] CheckCopyRates(IReadOnlyList<int>? copyRates)
    {
        int[] rates = copyRates?.Order().ToArray() ?? [];
        for (int i = 0; i < rates.Length; i++)
        {
            if (rates[i] < WindowFeatureExtractor.MinInputSampleRate || rates[i] >= WindowFeatureExtractor.MinSampleRate)
            {
                throw new ArgumentOutOfRangeException(nameof(copyRates), rates[i],
                    $"A copy rate must be {WindowFeatureExtractor.MinInputSampleRate}–{WindowFeatureExtractor.MinSampleRate - 1} Hz (features see up to 8 kHz).");
            }

            if (i > 0 && rates[i] == rates[i - 1]) throw new ArgumentOutOfRangeException(nameof(copyRates), rates[i], "A copy rate is given twice.");
        }

        return rates;
    }

    /// <summary>
    /// One file's window features (mono mix) and copy rate per window: the recording's windows, then those of each band-limited
    /// copy below the file's rate; also the recording's own window count and the reader's diagnostics.
    /// </summary>
    private static (float[] Features, int[] CopyRate, int Windows, List<string> Messages) ExtractFile(string path, WindowFeatureSettings settings,
        int[] copyRates)
    {
        // One read of the file feeds the recording's extractor and, through its low-pass, each copy's.
        using IAudioSource source = AudioSourceFactory.OpenFile(path);
        int fs = source.Format.SampleRate, channels = source.Format.Channels;
        int[] rates = [0, .. copyRates.Where(r => r < fs)];   // a copy adds nothing to a recording at or below its rate
        var features = new List<float>[rates.Length];
        var sinks = new ListSink[rates.Length];
        var extractors = new WindowFeatureExtractor[rates.Length];
        var lowPasses = new Dsp.LinearPhaseLowPass?[rates.Length];
        for (int c = 0; c < rates.Length; c++)
        {
            features[c] = [];
            sinks[c] = new ListSink(features[c]);
            extractors[c] = new WindowFeatureExtractor(fs, settings);
            lowPasses[c] = rates[c] == 0 ? null : CopyLowPass(fs, rates[c]);
        }

        var buffer = new float[16384];
        var mono = new float[buffer.Length / channels];
        var filtered = new float[Math.Max(mono.Length, lowPasses.Max(l => l?.Delay ?? 0))];
        int read;
        while ((read = source.Read(buffer.AsSpan(0, mono.Length * channels))) > 0)
        {
            int frames = read / channels;
            Downmix(buffer.AsSpan(0, read), channels, mono);
            for (int c = 0; c < rates.Length; c++)
            {
                if (lowPasses[c] is { } lowPass) extractors[c].Push(filtered.AsSpan(0, lowPass.Process(mono.AsSpan(0, frames), filtered)), sinks[c]);
                else extractors[c].Push(mono.AsSpan(0, frames), sinks[c]);
            }
        }

        var copyRate = new List<int>();
        for (int c = 0; c < rates.Length; c++)
        {
            if (lowPasses[c] is { } lowPass) extractors[c].Push(filtered.AsSpan(0, lowPass.Flush(filtered)), sinks[c]);
            extractors[c].Complete(sinks[c]);
            copyRate.AddRange(Enumerable.Repeat(rates[c], sinks[c].Count));
        }

        return ([.. features.SelectMany(f => f)], [.. copyRate], sinks[0].Count, source.DiagnosticMessages().ToList());
    }

    /// <summary>
    /// The low-pass that turns a recording at <paramref name="fs"/> into what a <paramref name="rate"/>-Hz recording holds:
    /// cutoff rate / 2 and the transition width (~0.086 × rate) of the ×2 interpolation that analyses such a recording.
    /// </summary>
    private static Dsp.LinearPhaseLowPass CopyLowPass(int fs, int rate)
    {
        int order = 2 * (int)Math.Ceiling(32.0 * fs / rate);   // 64·fs/rate, even: the interpolator's order 128 at 2·rate
        return new Dsp.LinearPhaseLowPass(0.5 * rate / fs, Math.Min(order, 4096));
    }

    /// <summary>
    /// Writes a feature table to a cache file (binary: magic, feature version, extraction revision, feature count, copy rates, the set's file
    /// paths with sizes and modification times, window file indices and copy rates, features) so repeated training runs skip
    /// extraction. <paramref name="copyRates"/> are those the table was extracted with (see <see cref="ExtractFeatures"/>).
    /// </summary>
    public static void SaveFeatureCache(LabelledAudioSet set, WindowFeatureTable table, WindowFeatureSettings settings, string path,
        IReadOnlyList<int>? copyRates = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(settings);
        int[] copies = CheckCopyRates(copyRates);
        if (table.CopyRate.Any(r => r != 0 && Array.IndexOf(copies, r) < 0))
        {
            throw new ArgumentException("The table holds copies at rates not among copyRates.", nameof(copyRates));
        }

        using var w = new BinaryWriter(File.Create(path));
        w.Write(CacheMagicText);
        w.Write(WindowFeatureExtractor.FeatureVersion);
        w.Write(ExtractionRevision);
        w.Write(WindowFeatureExtractor.FeatureCount);
        w.Write(settings.WindowSeconds);
        w.Write(settings.HopSeconds);
        w.Write(copies.Length);
        foreach (int rate in copies) w.Write(rate);
        w.Write(set.Files.Count);
        foreach (var f in set.Files)
        {
            var info = new FileInfo(f.Path);
            w.Write(f.Path);
            w.Write(info.Length);
            w.Write(info.LastWriteTimeUtc.Ticks);
        }

        w.Write(table.Count);
        foreach (int i in table.FileIndex) w.Write(i);
        foreach (int rate in table.CopyRate) w.Write(rate);
        foreach (float v in table.Features) w.Write(v);
    }

    /// <summary>Reads a cache written by <see cref="SaveFeatureCache"/>; null when it is for other files, settings, copy rates or features.</summary>
    public static WindowFeatureTable? TryLoadFeatureCache(LabelledAudioSet set, WindowFeatureSettings settings, string path,
        IReadOnlyList<int>? copyRates = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(settings);
        int[] copies = CheckCopyRates(copyRates);
        if (!File.Exists(path)) return null;
        try
        {
            using var r = new BinaryReader(File.OpenRead(path));
            if (r.ReadString() != CacheMagicText || r.ReadInt32() != WindowFeatureExtractor.FeatureVersion || r.ReadInt32() != ExtractionRevision
                || r.ReadInt32() != WindowFeatureExtractor.FeatureCount || r.ReadDouble() != settings.WindowSeconds
                || r.ReadDouble() != settings.HopSeconds || r.ReadInt32() != copies.Length)
            {
                return null;
            }

            foreach (int rate in copies)
            {
                if (r.ReadInt32() != rate) return null;
            }

            if (r.ReadInt32() != set.Files.Count) return null;

            foreach (var f in set.Files)
            {
                var info = new FileInfo(f.Path);
                if (r.ReadString() != f.Path || r.ReadInt64() != info.Length || r.ReadInt64() != info.LastWriteTimeUtc.Ticks) return null;
            }

            int n = r.ReadInt32();
            if (n < 0 || (long)n * WindowFeatureExtractor.FeatureCount * 4 > r.BaseStream.Length) return null;
            var fileIndex = new int[n];
            for (int i = 0; i < n; i++)
            {
                fileIndex[i] = r.ReadInt32();
                if ((uint)fileIndex[i] >= (uint)set.Files.Count) return null;
            }

            var copyRate = new int[n];
            for (int i = 0; i < n; i++)
            {
                copyRate[i] = r.ReadInt32();
                if (copyRate[i] != 0 && Array.IndexOf(copies, copyRate[i]) < 0) return null;
            }

            var features = new float[n * WindowFeatureExtractor.FeatureCount];
            for (int i = 0; i < features.Length; i++) features[i] = r.ReadSingle();
            var hasWindows = new bool[set.Files.Count];
            foreach (int f in fileIndex) hasWindows[f] = true;
            var skipped = Enumerable.Range(0, set.Files.Count).Where(f => !hasWindows[f]).Select(f => set.Files[f].Path).ToList();
            return new WindowFeatureTable(features, fileIndex, copyRate, skipped);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or OverflowException or ArgumentException
            or UnauthorizedAccessException)
        {
            return null;   // unreadable or not a cache of this set: extract again
        }
    }

    /// <summary>
    /// True when <paramref name="path"/> starts like a feature cache written by <see cref="SaveFeatureCache"/> (of any
    /// version or set), so that replacing it cannot destroy some other file given by mistake.
    /// </summary>
    public static bool IsFeatureCache(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> head = stackalloc byte[CacheMagic.Length];
            return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && head.SequenceEqual(CacheMagic);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private const string CacheMagicText = "ACFT1";

    /// <summary>
    /// Revision of the extraction and cache layout for the same feature definitions; a cache of another revision is extracted
    /// again. 2: input at 8–16 kHz is interpolated ×2 as it streams (it was resampled to 16 kHz before); 3: copy rates stored.
    /// </summary>
    private const int ExtractionRevision = 3;

    /// <summary>The cache's first bytes: <see cref="CacheMagicText"/> as BinaryWriter writes a string (length-prefixed ASCII).</summary>
    private static readonly byte[] CacheMagic = [(byte)CacheMagicText.Length, .. System.Text.Encoding.ASCII.GetBytes(CacheMagicText)];

    /// <summary>Trains on all windows of the table; with <paramref name="trees"/> the model also gets boosted trees.</summary>
    /// <exception cref="ClassificationDataException">The data cannot be trained on (fewer than two classes; for the trees too few windows, a class without windows).</exception>
    public static ClassifierModel Train(LabelledAudioSet set, WindowFeatureTable table, WindowFeatureSettings settings,
        SoftmaxTrainerOptions options, TrainingMetadata metadata, Action<int, double>? progress = null, IBoostedTreesTrainer? trees = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(metadata);
        int[] labels = new int[table.Count];
        for (int i = 0; i < labels.Length; i++) labels[i] = IndexOf(set.Classes, set.Files[table.FileIndex[i]].Label);
        var features = table.Features.AsSpan(0, table.Count * WindowFeatureExtractor.FeatureCount);
        ClassifierModel model;
        try
        {
            model = SoftmaxTrainer.Train(features, labels, set.Classes, settings, options, metadata, progress);
        }
        catch (ArgumentException e)
        {
            throw new ClassificationDataException(set.Origin, WithoutParameterName(e), e);
        }

        try
        {
            return trees is null ? model : AddTrees(model, trees, features, labels);
        }
        catch (ArgumentException e)
        {
            throw new ClassificationDataException(set.Origin, $"boosted trees: {WithoutParameterName(e)}", e);
        }
    }

    private static ClassifierModel AddTrees(ClassifierModel model, IBoostedTreesTrainer trees, ReadOnlySpan<float> features, int[] labels)
    {
        BoostedTrees ensemble = trees.Train(features, labels, WindowFeatureExtractor.FeatureCount, model.ClassCount);
        return model.WithTrees(ensemble, trees.Weight, model.Training with { Trees = trees.Description });
    }

    /// <summary>
    /// Fold of each file, 0..folds−1. Manifest folds are used when every file has one (renumbered in
    /// ascending order). Otherwise whole sources are dealt to folds class by class, in an order shuffled
    /// with <paramref name="seed"/>, so no source is on both sides of a split.
    /// </summary>
    /// <exception cref="ClassificationDataException">A class has fewer sources than folds, or the manifest has a single fold.</exception>
    public static int[] AssignFolds(LabelledAudioSet set, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var result = new int[set.Files.Count];
        if (set.HasFolds)
        {
            var distinct = set.Files.Select(f => f.Fold!.Value).Distinct().Order().ToList();
            if (distinct.Count < 2) throw new ClassificationDataException(set.Origin, "the manifest names only one fold; cross-validation needs at least two");
            for (int i = 0; i < result.Length; i++) result[i] = distinct.IndexOf(set.Files[i].Fold!.Value);
            return result;
        }

        var rng = new Random(seed);
        var sourceFold = new Dictionary<string, int>(StringComparer.Ordinal);
        int offset = 0;
        foreach (string label in set.Classes)
        {
            var sources = set.Files.Where(f => f.Label == label).Select(f => f.Source).Distinct().Order(StringComparer.Ordinal).ToArray();
            sources = sources.Where(s => !sourceFold.ContainsKey(s)).ToArray();
            int have = set.Files.Where(f => f.Label == label).Select(f => f.Source).Distinct().Count();
            if (have < folds)
            {
                throw new ClassificationDataException(set.Origin,
                    $"class '{label}' has {have} independent source(s), fewer than the {folds} folds (clips of one source stay in one fold)");
            }

            rng.Shuffle(sources);
            for (int i = 0; i < sources.Length; i++) sourceFold[sources[i]] = (offset + i) % folds;
            offset += sources.Length;
        }

        for (int i = 0; i < result.Length; i++) result[i] = sourceFold[set.Files[i].Source];
        return result;
    }

    /// <summary>
    /// K-fold cross-validation grouped by source: trains K models, predicts each held-out fold. Files whose
    /// fold is negative take no part (neither training nor test): that keeps a set of sources untouched.
    /// With <paramref name="onlyFold"/> only that fold is tested (one model trained on all other folds). With
    /// <paramref name="trees"/> every fold's model also gets boosted trees. <paramref name="seed"/> seeds every fold's
    /// perceptron start as <see cref="TrainingMetadata.Seed"/> seeds the final model's, so the figures are those of the
    /// recipe that <see cref="Train"/> runs with the same seed. The folds' models are trained on up to
    /// <paramref name="threads"/> threads at once (0: one per processor; each model is the same as when trained alone, so
    /// the figures do not depend on it; memory grows with one copy of the training windows per thread);
    /// <paramref name="progress"/> gets (folds trained, folds to train), one call at a time.
    /// </summary>
    public static EvaluationResult CrossValidate(LabelledAudioSet set, WindowFeatureTable table, int[] fileFolds,
        WindowFeatureSettings settings, SoftmaxTrainerOptions options, Action<int, int>? progress = null, int? onlyFold = null,
        IBoostedTreesTrainer? trees = null, int seed = 0, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(fileFolds);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        int folds = fileFolds.Max() + 1, d = WindowFeatureExtractor.FeatureCount, k = set.Classes.Count;
        if (onlyFold is int only) ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)only, (uint)folds, nameof(onlyFold));
        var truth = new int[table.Count];
        var tally = new WindowTally(set, set.Classes);
        var probabilities = new float[k];
        for (int i = 0; i < table.Count; i++) truth[i] = IndexOf(set.Classes, set.Files[table.FileIndex[i]].Label);

        // Folds set aside (or never used) have nothing to test. The folds' models are trained side by side, each from the
        // same data and seed as one after the other would be, so the result does not depend on the thread count.
        int[] run = Enumerable.Range(0, folds).Where(f => (onlyFold is null || onlyFold == f) && fileFolds.Contains(f)).ToArray();
        var models = new ClassifierModel?[run.Length];
        var failures = new Exception?[run.Length];
        int trained = 0;
        var progressLock = new object();
        Parallel.For(0, run.Length, new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? Environment.ProcessorCount : threads }, r =>
        {
            try
            {
                models[r] = TrainFold(set, table, fileFolds, truth, run[r], settings, options, trees, seed);
            }
            catch (Exception e)
            {
                failures[r] = e;   // rethrown below, unwrapped, the lowest fold's first
                return;
            }

            lock (progressLock) progress?.Invoke(++trained, run.Length);
        });
        if (failures.FirstOrDefault(f => f is not null) is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);

        var perFold = new List<FoldMetrics>(run.Length);
        for (int r = 0; r < run.Length; r++)
        {
            int fold = run[r];
            ClassifierModel model = models[r]!;
            var foldTruth = new List<int>();
            var foldPredicted = new List<int>();
            for (int i = 0; i < table.Count; i++)
            {
                int file = table.FileIndex[i];
                if (fileFolds[file] != fold || table.CopyRate[i] != 0) continue;   // copies train, never score
                int predicted = model.Predict(table.Features.AsSpan(i * d, d), probabilities);
                foldTruth.Add(truth[i]);
                foldPredicted.Add(predicted);
                tally.Add(file, truth[i], predicted, probabilities);
            }

            perFold.Add(new FoldMetrics(fold, ClassificationMetrics.Compute(set.Classes, foldTruth.ToArray(), foldPredicted.ToArray())));
        }

        return tally.Result(options.ConfidenceThreshold, fileFolds) with { Folds = perFold };
    }

    /// <summary>Trains the model of one cross-validation fold on the windows of every other fold that takes part.</summary>
    private static ClassifierModel TrainFold(LabelledAudioSet set, WindowFeatureTable table, int[] fileFolds, int[] truth, int fold,
        WindowFeatureSettings settings, SoftmaxTrainerOptions options, IBoostedTreesTrainer? trees, int seed)
    {
        int d = WindowFeatureExtractor.FeatureCount;
        var trainRows = new List<int>();
        for (int i = 0; i < table.Count; i++)
        {
            int ff = fileFolds[table.FileIndex[i]];
            if (ff >= 0 && ff != fold) trainRows.Add(i);
        }

        var x = new float[trainRows.Count * d];
        var y = new int[trainRows.Count];
        for (int r = 0; r < trainRows.Count; r++)
        {
            table.Features.AsSpan(trainRows[r] * d, d).CopyTo(x.AsSpan(r * d));
            y[r] = truth[trainRows[r]];
        }

        try
        {
            ClassifierModel model = SoftmaxTrainer.Train(x, y, set.Classes, settings, options, new TrainingMetadata { Seed = seed });
            return trees is null ? model : AddTrees(model, trees, x, y);
        }
        catch (ArgumentException e)
        {
            throw new ClassificationDataException(set.Origin, string.Create(CultureInfo.InvariantCulture, $"fold {fold + 1}: {WithoutParameterName(e)}"), e);
        }
    }

    /// <summary>Scores an existing model on a labelled set.</summary>
    /// <exception cref="ClassificationDataException">The set has a label the model does not know.</exception>
    public static EvaluationResult Evaluate(ClassifierModel model, LabelledAudioSet set, WindowFeatureTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        CheckLabels(model, set);
        int d = WindowFeatureExtractor.FeatureCount;
        var tally = new WindowTally(set, model.Classes);
        var probabilities = new float[model.ClassCount];
        for (int i = 0; i < table.Count; i++)
        {
            if (table.CopyRate[i] != 0) continue;   // training copies are never scored
            int file = table.FileIndex[i];
            int predicted = model.Predict(table.Features.AsSpan(i * d, d), probabilities);
            tally.Add(file, IndexOf(model.Classes, set.Files[file].Label), predicted, probabilities);
        }

        return tally.Result(model.ConfidenceThreshold, null);
    }

    /// <summary>Checks, before any feature is extracted, that <paramref name="model"/> knows every label of <paramref name="set"/>.</summary>
    /// <exception cref="ClassificationDataException">A label is not a class of the model (named with the model's classes).</exception>
    public static void CheckLabels(ClassifierModel model, LabelledAudioSet set)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(set);
        var unknown = set.Classes.Where(c => IndexOf(model.Classes, c) < 0).ToList();
        if (unknown.Count > 0)
        {
            throw new ClassificationDataException(set.Origin,
                $"label(s) {string.Join(", ", unknown)} are not classes of the model ({string.Join(", ", model.Classes)})");
        }
    }

    /// <summary>An argument exception's message without .NET's " (Parameter 'x')" suffix, for messages to users.</summary>
    private static string WithoutParameterName(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal)) return i;
        }

        return -1;
    }

    private static void Downmix(ReadOnlySpan<float> interleaved, int channels, Span<float> mono)
    {
        if (channels == 1)
        {
            interleaved.CopyTo(mono);
            return;
        }

        int frames = interleaved.Length / channels;
        float scale = 1f / channels;
        for (int i = 0; i < frames; i++)
        {
            float s = 0;
            for (int c = 0; c < channels; c++) s += interleaved[i * channels + c];
            mono[i] = s * scale;
        }
    }

    /// <summary>Per-file probability sums and right windows, and every window's top probability.</summary>
    private sealed class WindowTally(LabelledAudioSet set, IReadOnlyList<string> classes)
    {
        private readonly double[] _fileProb = new double[set.Files.Count * classes.Count];
        private readonly int[] _fileWindows = new int[set.Files.Count];
        private readonly int[] _fileCorrect = new int[set.Files.Count];
        private readonly List<double> _top = [], _topCorrect = [];
        private readonly List<int> _truth = [], _predicted = [];

        public void Add(int file, int truth, int predicted, ReadOnlySpan<float> probabilities)
        {
            int k = classes.Count;
            _truth.Add(truth);
            _predicted.Add(predicted);
            for (int c = 0; c < k; c++) _fileProb[file * k + c] += probabilities[c];
            _fileWindows[file]++;
            _top.Add(probabilities[predicted]);
            if (predicted == truth)
            {
                _fileCorrect[file]++;
                _topCorrect.Add(probabilities[predicted]);
            }
        }

        /// <summary>Window and file scores of the windows added; each file's dominant class is its highest mean probability.</summary>
        public EvaluationResult Result(double threshold, int[]? fileFolds)
        {
            var windows = ClassificationMetrics.Compute(classes, _truth.ToArray(), _predicted.ToArray());
            int k = classes.Count;
            var perFile = new List<FileResult>();
            for (int f = 0; f < set.Files.Count; f++)
            {
                if (_fileWindows[f] == 0) continue;
                int best = 0;
                for (int c = 1; c < k; c++)
                {
                    if (_fileProb[f * k + c] > _fileProb[f * k + best]) best = c;
                }

                perFile.Add(new FileResult(set.Files[f], fileFolds?[f], _fileWindows[f], _fileCorrect[f], classes[best], _fileProb[f * k + best] / _fileWindows[f]));
            }

            var files = ClassificationMetrics.Compute(classes, perFile.Select(r => IndexOf(classes, r.File.Label)).ToArray(),
                perFile.Select(r => IndexOf(classes, r.Predicted)).ToArray());
            return new EvaluationResult(windows, files)
            {
                PerFile = perFile,
                ConfidenceThreshold = threshold,
                Confidence = new ConfidenceProfile(_top, _topCorrect),
            };
        }
    }

    private sealed class ListSink(List<float> target) : IWindowFeatureSink
    {
        public int Count { get; private set; }

        public void OnWindow(long startSample, int sampleCount, ReadOnlySpan<float> features)
        {
            foreach (float v in features) target.Add(v);
            Count++;
        }
    }
}
