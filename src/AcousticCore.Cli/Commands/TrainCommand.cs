using System.CommandLine;
using System.Globalization;
using AcousticCore.Classification;
using AcousticCore.Training;

namespace AcousticCore.Cli.Commands;

/// <summary><c>acoustic train --data DIR|manifest.csv --out model.json</c>: trains a classifier, cross-validated by source.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Folder with one sub-folder of WAV files per class, or a CSV manifest file,label[,fold] (ESC-50/UrbanSound8K metadata works).", Required = true };
        var output = new Option<string>("--out") { Description = "Model file to write (JSON).", Required = true };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds grouped by source, reported and stored in the model (0 = skip).", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed of the fold assignment, of the perceptrons' starting weights and of the trees' subsampling.", DefaultValueFactory = _ => 1 };
        var l2 = new Option<double>("--l2") { Description = "L2 penalty on the weights.", DefaultValueFactory = _ => 1e-3 };
        var threshold = new Option<double>("--threshold") { Description = "Confidence below which the label is 'unknown' (0–1).", DefaultValueFactory = _ => 0.4 };
        var corpus = new Option<string?>("--corpus") { Description = "Text recorded as the corpus name in the model (default: the --data path)." };
        var cache = DataLoading.CacheOption();
        var hidden = new Option<int>("--hidden") { Description = "Hidden tanh units of a one-hidden-layer perceptron (0 = softmax regression).", DefaultValueFactory = _ => 0 };
        var outDir = new Option<string?>("--out-dir") { Description = "Also write the cross-validation's metrics.csv, confusion.csv and confusion.png here." };
        var iterations = new Option<int>("--iterations") { Description = "Maximum L-BFGS iterations per model (1–100000).", DefaultValueFactory = _ => 400 };
        var ensemble = new Option<int>("--ensemble")
        {
            Description = "Perceptrons trained from seeds seed, seed+1, … and averaged (logits); stored as one hidden layer of ensemble × hidden units.",
            DefaultValueFactory = _ => 1,
        };
        var threadsOption = DataLoading.ThreadsOption();
        var augmentRates = DataLoading.AugmentRatesOption();
        var treeOptions = new TreeOptions();
        var command = new Command("train", "Train a window classifier (multinomial logistic regression or a perceptron, optionally with boosted trees) on labelled recordings.")
        {
            data, output, folds, seed, l2, threshold, corpus, cache, hidden, ensemble, outDir, iterations, threadsOption, augmentRates,
        };
        foreach (Option o in treeOptions.All) command.Options.Add(o);
        command.SetAction(parse =>
        {
            int k = parse.GetValue(folds);
            if (k == 1 || k < 0 || k > 100) throw new CliUsageException("--folds: use 0 (no cross-validation) or 2–100");
            SoftmaxTrainerOptions options = DataLoading.PerceptronOptions(parse.GetValue(l2), parse.GetValue(hidden), parse.GetValue(ensemble),
                parse.GetValue(iterations), parse.GetValue(threshold));
            DataLoading.CheckSeed(parse.GetValue(seed), options.EnsembleMembers);
            int threads = DataLoading.Threads(parse, threadsOption);
            int[] copyRates = DataLoading.AugmentRates(parse, augmentRates);
            IBoostedTreesTrainer? trees = treeOptions.Trainer(parse, parse.GetValue(seed));
            string dataPath = parse.GetValue(data)!;
            string outPath = parse.GetValue(output)!;

            // Where the results go is checked before minutes of feature extraction and training, not after.
            if (outPath.Length == 0) throw new CliUsageException("--out: empty path");
            string outFolder = Path.GetDirectoryName(Path.GetFullPath(outPath))!;
            if (Directory.Exists(outPath)) throw new CliUsageException($"--out: '{outPath}' is a folder; give the model file's path");
            if (!Directory.Exists(outFolder)) throw new CliUsageException($"--out: folder '{outFolder}' does not exist");
            ProbeWritable(outPath);
            string date = TrainingDate(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"));
            string? reportDir = parse.GetValue(outDir);
            if (reportDir is not null && k == 0) throw new CliUsageException("--out-dir writes the cross-validation's report: it needs --folds K (K ≥ 2)");
            DataLoading.CheckPaths(parse.GetValue(cache), reportDir);
            var settings = new WindowFeatureSettings();

            // Without --folds, a manifest's fold column decides the number of folds (UrbanSound8K: 10); with it, they must agree.
            bool foldsGiven = DataLoading.Given(parse, folds);
            var (set, table) = DataLoading.Load(dataPath, settings, context, parse.GetValue(cache), foldsGiven && k >= 2 ? k : null, training: true, threads,
                copyRates: copyRates, sourceFolds: k >= 2 ? k : null);
            if (!foldsGiven && set.HasFolds)
            {
                int defined = DataLoading.ManifestFolds(set);
                k = defined >= 2 ? defined : 0;
                context.Error.WriteLine(k >= 2
                    ? string.Create(CultureInfo.InvariantCulture, $"  cross-validation over the manifest's {k} folds")
                    : "  the manifest's fold column has one fold: no cross-validation");
                if (k == 0 && reportDir is not null) throw new CliUsageException("--out-dir: the manifest's fold column has one fold, so there is no cross-validation to report");
            }

            double cvAccuracy = double.NaN, cvMacroF1 = double.NaN;
            if (k >= 2)
            {
                EvaluationResult cv = DataLoading.CrossValidate(set, table, k, parse.GetValue(seed), settings, options, context, trees: trees, threads: threads);
                cvAccuracy = cv.Windows.Accuracy;
                cvMacroF1 = cv.Windows.MacroF1;
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"cross-validation ({k} folds by source): window accuracy {cvAccuracy:F3}, macro-F1 {cvMacroF1:F3}; file accuracy {cv.Files.Accuracy:F3}, macro-F1 {cv.Files.MacroF1:F3}"));
                EvaluateCommand.PrintFolds(context.Out, cv);
                EvaluateCommand.Print(context.Out, "cross-validation windows", cv.Windows);
                EvaluateCommand.PrintConfident(context.Out, cv);
                EvaluateCommand.Print(context.Out, "cross-validation files (dominant class)", cv.Files);
                if (reportDir is not null) EvaluateCommand.WriteReport(context, reportDir, $"{k}-fold cross-validation by source", cv);
            }

            int copies = table.CopyRate.Count(r => r != 0);
            context.Error.WriteLine($"training on {table.Count} windows{(copies > 0 ? $" ({copies} of band-limited copies)" : "")}{(trees is null ? "" : ", then the boosted trees (about a minute per 10 000 windows and 300 iterations)")} ...");
            var metadata = new TrainingMetadata
            {
                Date = date,
                Corpus = parse.GetValue(corpus) ?? dataPath,
                Files = set.Files.Count - table.SkippedFiles.Count,   // files that gave windows
                Seed = parse.GetValue(seed),
                CvFolds = k,
                CvAccuracy = cvAccuracy,
                CvMacroF1 = cvMacroF1,
                Augmentation = DataLoading.AugmentationText(table.CopyRate.Where(r => r != 0).Distinct().Order().ToArray()),
            };
            ClassifierModel model;
            try
            {
                model = ClassifierTraining.Train(set, table, settings, options, metadata,
                    (it, loss) =>
                    {
                        if (it % 50 == 0) context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  iteration {it}: loss {loss:F4}"));
                    }, trees);
            }
            catch (ClassificationDataException e)
            {
                throw new CliInputException(e.Message);
            }
            catch (TreesUnavailableException e)
            {
                throw new CliUsageException($"--trees: {e.Message}");
            }

            try
            {
                ClassifierModelFile.Save(model, outPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"--out: cannot write '{outPath}': {e.Message}");
            }
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {outPath}: {model.ClassCount} classes ({string.Join(", ", model.Classes)}), {model.Training.Files} files, {table.Count} windows, {model.Training.Iterations} iterations{(model.Trees is null ? "" : $", {model.Trees.TreeCount} trees")}"));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The model's training date: now, or the time <c>SOURCE_DATE_EPOCH</c> gives (seconds since 1970, the reproducible-builds
    /// convention; empty counts as unset) so that the same data and seed give a byte-identical model file.
    /// </summary>
    internal static string TrainingDate(string? sourceDateEpoch)
    {
        DateTime date = DateTime.UtcNow;
        if (!string.IsNullOrEmpty(sourceDateEpoch))
        {
            if (!long.TryParse(sourceDateEpoch, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) || seconds > 253_402_300_799)
            {
                throw new CliUsageException($"SOURCE_DATE_EPOCH '{sourceDateEpoch}': not a count of seconds since 1970-01-01");
            }

            date = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        }

        return date.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    }

    /// <summary>Fails before any work when the model file cannot be written (a read-only place, a file that cannot be replaced).</summary>
    private static void ProbeWritable(string path)
    {
        bool existed = File.Exists(path);
        try
        {
            using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write))
            {
            }

            if (!existed) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"--out: cannot write '{path}': {e.Message}");
        }
    }
}

/// <summary>The boosted-tree options shared by train and evaluate (<c>--trees</c> and its settings).</summary>
internal sealed class TreeOptions
{
    public Option<int> Trees { get; } = new("--trees")
    {
        Description = "Also train gradient-boosted trees (LightGBM, one-vs-rest) with this many iterations per class and combine them with the perceptron (0 = none).",
        DefaultValueFactory = _ => 0,
    };

    public Option<int> Leaves { get; } = new("--tree-leaves") { Description = "Leaves per tree (2–1024).", DefaultValueFactory = _ => 15 };

    public Option<double> LearningRate { get; } = new("--tree-learning-rate") { Description = "Learning rate of the boosting, (0, 1].", DefaultValueFactory = _ => 0.05 };

    public Option<double> Weight { get; } = new("--tree-weight")
    {
        Description = "Weight of the trees' log-probabilities against the perceptron's (0–1).",
        DefaultValueFactory = _ => 0.5,
    };

    public Option<int> MinLeaf { get; } = new("--tree-min-leaf") { Description = "Fewest training windows in a leaf (≥ 1; lower it for small data sets).", DefaultValueFactory = _ => 20 };

    public IEnumerable<Option> All => [Trees, Leaves, LearningRate, Weight, MinLeaf];

    /// <summary>The tree options (other than <c>--trees</c>) the user wrote on the command line.</summary>
    public IEnumerable<Option> GivenSettings(ParseResult parse) =>
        new Option[] { Leaves, LearningRate, Weight, MinLeaf }.Where(o => DataLoading.Given(parse, o));

    /// <summary>The trainer the options ask for, or null without <c>--trees</c>; bad values are usage errors naming the option.</summary>
    public IBoostedTreesTrainer? Trainer(ParseResult parse, int seed)
    {
        int trees = parse.GetValue(Trees);
        if (trees == 0)
        {
            if (GivenSettings(parse).FirstOrDefault() is Option given) throw new CliUsageException($"{given.Name} needs --trees N (N > 0)");
            return null;
        }

        if (trees < 0) throw new CliUsageException($"--trees {trees.ToString(CultureInfo.InvariantCulture)}: use 0 (none) or 1–{LightGbmTreesTrainer.MaxIterations}");
        var trainer = new LightGbmTreesTrainer
        {
            Iterations = trees,
            Leaves = parse.GetValue(Leaves),
            LearningRate = parse.GetValue(LearningRate),
            Weight = parse.GetValue(Weight),
            MinExamplesPerLeaf = parse.GetValue(MinLeaf),
            Seed = seed,
        };
        try
        {
            trainer.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw DataLoading.OptionError(OptionFor(e.ParamName), e);
        }

        return trainer;
    }

    /// <summary>The CLI option that sets a <see cref="LightGbmTreesTrainer"/> property.</summary>
    private static string OptionFor(string? property) => property switch
    {
        nameof(LightGbmTreesTrainer.Iterations) => "--trees",
        nameof(LightGbmTreesTrainer.Leaves) => "--tree-leaves",
        nameof(LightGbmTreesTrainer.LearningRate) => "--tree-learning-rate",
        nameof(LightGbmTreesTrainer.Weight) => "--tree-weight",
        nameof(LightGbmTreesTrainer.MinExamplesPerLeaf) => "--tree-min-leaf",
        _ => $"--tree-{property?.ToLowerInvariant()}",
    };
}

/// <summary>Loading and feature extraction shared by train and evaluate, with progress on stderr.</summary>
internal static class DataLoading
{
    /// <summary>The CLI option that sets a <see cref="SoftmaxTrainerOptions"/> property.</summary>
    public static string OptionFor(string? property) => property switch
    {
        nameof(SoftmaxTrainerOptions.L2) => "--l2",
        nameof(SoftmaxTrainerOptions.HiddenUnits) => "--hidden",
        nameof(SoftmaxTrainerOptions.EnsembleMembers) => "--ensemble",
        nameof(SoftmaxTrainerOptions.ConfidenceThreshold) => "--threshold",
        nameof(SoftmaxTrainerOptions.MaxIterations) => "--iterations",
        _ => $"--{property?.ToLowerInvariant()}",
    };

    /// <summary>True when the user wrote <paramref name="option"/> on the command line (not its default).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>The perceptron's training options, each bad value a usage error naming its option.</summary>
    public static SoftmaxTrainerOptions PerceptronOptions(double l2, int hidden, int ensemble, int iterations, double threshold)
    {
        try
        {
            var options = new SoftmaxTrainerOptions { L2 = l2, HiddenUnits = hidden, EnsembleMembers = ensemble, MaxIterations = iterations, ConfidenceThreshold = threshold };
            if (options.EnsembleMembers > 1 && options.HiddenUnits == 0) throw new CliUsageException("--ensemble needs --hidden N > 0");
            if (options.EnsembleMembers * options.HiddenUnits > ClassifierModel.MaxHiddenUnits)
            {
                throw new CliUsageException($"--ensemble × --hidden must be ≤ {ClassifierModel.MaxHiddenUnits}");
            }

            return options;
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw OptionError(OptionFor(e.ParamName), e);
        }
    }

    /// <summary>A usage error for a bad option value: "--option value: reason" (without .NET's parameter-name suffix).</summary>
    public static CliUsageException OptionError(string option, ArgumentOutOfRangeException e)
    {
        string reason = e.Message.Split('\n')[0];
        int suffix = reason.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (suffix >= 0) reason = reason[..suffix];
        string value = e.ActualValue is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : e.ActualValue?.ToString() ?? "";
        return new CliUsageException(value.Length == 0 ? $"{option}: {reason}" : $"{option} {value}: {reason}");
    }

    /// <summary>Seeds are 0 … int.MaxValue − (members − 1), so that every ensemble member's seed (seed + m) exists and differs.</summary>
    public static void CheckSeed(int seed, int ensembleMembers)
    {
        if (seed < 0 || seed > int.MaxValue - (ensembleMembers - 1))
        {
            throw new CliUsageException($"--seed {seed.ToString(CultureInfo.InvariantCulture)}: use 0–{(int.MaxValue - (ensembleMembers - 1)).ToString(CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>Folds defined by a manifest's fold column (distinct values).</summary>
    public static int ManifestFolds(LabelledAudioSet set) => set.Files.Select(f => f.Fold).Distinct().Count();

    /// <summary>
    /// Usage errors for a --feature-cache or --out-dir that cannot be written, before any work: an empty path, a folder
    /// given as the cache or a file as the report folder, a cache in a folder that does not exist, an existing
    /// non-empty file that is not a feature cache (never overwritten), and a report folder that cannot be created
    /// (probed by making it and taking it away again).
    /// </summary>
    public static void CheckPaths(string? cache, string? outDir)
    {
        if (cache is not null)
        {
            if (cache.Length == 0) throw new CliUsageException("--feature-cache: empty path");
            if (Directory.Exists(cache)) throw new CliUsageException($"--feature-cache: '{cache}' is a folder");
            string folder = Path.GetDirectoryName(Path.GetFullPath(cache))!;
            if (!Directory.Exists(folder)) throw new CliUsageException($"--feature-cache: folder '{folder}' does not exist");
            if (File.Exists(cache) && new FileInfo(cache).Length > 0 && !ClassifierTraining.IsFeatureCache(cache))
            {
                throw new CliUsageException($"--feature-cache: '{cache}' exists and is not a feature cache; refusing to overwrite it");
            }
        }

        if (outDir is not null)
        {
            if (outDir.Length == 0) throw new CliUsageException("--out-dir: empty path");
            if (File.Exists(outDir)) throw new CliUsageException($"--out-dir: '{outDir}' is a file");
            if (!Directory.Exists(outDir))
            {
                // Probe before the work: make the folder and take it away again (later usage errors leave nothing behind);
                // the report makes it for real.
                string full = Path.GetFullPath(outDir);
                string top = full;
                while (Path.GetDirectoryName(top) is { } parent && !Directory.Exists(parent)) top = parent;
                try
                {
                    Directory.CreateDirectory(full);
                    Directory.Delete(top, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliUsageException($"--out-dir: cannot create '{outDir}': {e.Message}");
                }
            }
        }
    }

    /// <summary>The --threads option of train and evaluate.</summary>
    public static Option<int> ThreadsOption() =>
        new("--threads") { Description = "Files read and cross-validation folds trained at once (0 = one per processor; results do not depend on it).", DefaultValueFactory = _ => 0 };

    /// <summary>The --threads value, checked.</summary>
    public static int Threads(ParseResult parse, Option<int> option)
    {
        int threads = parse.GetValue(option);
        if (threads < 0 || threads > 1024) throw new CliUsageException($"--threads {threads.ToString(CultureInfo.InvariantCulture)}: use 0 (one per processor) or 1–1024");
        return threads;
    }

    /// <summary>The --augment-rates option of train and evaluate --folds.</summary>
    public static Option<string?> AugmentRatesOption() =>
        new("--augment-rates")
        {
            Description = "Also train on band-limited copies of every file recorded above each rate (comma-separated, 8000–15999 Hz), "
                + "so the model also knows narrow-band sensors; copies are never scored.",
        };

    /// <summary>The --augment-rates value: rates 8000–15999 Hz, each once; empty when not given.</summary>
    public static int[] AugmentRates(ParseResult parse, Option<string?> option)
    {
        string? text = parse.GetValue(option);
        if (text is null) return [];
        var rates = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int rate)
                || rate < WindowFeatureExtractor.MinInputSampleRate || rate >= WindowFeatureExtractor.MinSampleRate)
            {
                throw new CliUsageException($"--augment-rates {text}: '{part}' is not a sample rate of {WindowFeatureExtractor.MinInputSampleRate}–{WindowFeatureExtractor.MinSampleRate - 1} Hz");
            }

            if (rates.Contains(rate)) throw new CliUsageException($"--augment-rates {text}: {part} is given twice");
            rates.Add(rate);
        }

        return [.. rates.Order()];
    }

    /// <summary>The model file's description of the training copies made (rates of the copies present; "" without).</summary>
    public static string AugmentationText(int[] copyRates) => copyRates.Length == 0 ? ""
        : $"band-limited training copies at {string.Join(", ", copyRates.Select(r => r.ToString(CultureInfo.InvariantCulture)))} Hz (never scored)";

    public static Option<string?> CacheOption() =>
        new("--feature-cache") { Description = "Binary file caching the extracted features of --data (reused when it matches the same files, feature version and --augment-rates)." };

    /// <summary>
    /// Loads the labelled set and its features. Checked before extraction: with <paramref name="folds"/>, that a manifest's
    /// fold column defines that many folds; with <paramref name="training"/>, that there are two classes or more; that an
    /// existing <paramref name="cache"/> file is a feature cache (it is replaced when stale); with <paramref name="model"/>, that
    /// the model knows every label.
    /// </summary>
    /// <remarks>
    /// Also before extraction, when the data will be cross-validated (<paramref name="sourceFolds"/> given): without a fold
    /// column, that every class has that many sources; with one, a warning naming sources it puts in several folds.
    /// </remarks>
    public static (LabelledAudioSet Set, WindowFeatureTable Table) Load(string path, WindowFeatureSettings settings, CliContext context, string? cache = null,
        int? folds = null, bool training = false, int threads = 0, ClassifierModel? model = null, int[]? copyRates = null, int? sourceFolds = null)
    {
        CheckPaths(cache, null);
        if (path.Length == 0) throw new CliUsageException("--data: empty path");
        try
        {
            LabelledAudioSet set = LabelledAudioSet.Load(path);
            context.Error.WriteLine($"{set.Files.Count} files, classes: {string.Join(", ", set.Classes)}");
            if (model is not null) ClassifierTraining.CheckLabels(model, set);
            if (folds is int k && set.HasFolds)
            {
                int defined = ManifestFolds(set);
                if (defined < 2)
                {
                    throw new CliUsageException($"--folds {k.ToString(CultureInfo.InvariantCulture)}: the manifest's fold column defines a single fold, too few to cross-validate; remove the column to have sources dealt to folds");
                }

                if (defined != k)
                {
                    throw new CliUsageException($"--folds {k.ToString(CultureInfo.InvariantCulture)}: the manifest's fold column defines {defined.ToString(CultureInfo.InvariantCulture)} folds; use --folds {defined.ToString(CultureInfo.InvariantCulture)}");
                }
            }

            if (sourceFolds is int f && !set.HasFolds) ClassifierTraining.AssignFolds(set, f, 0);   // a class with too few sources, before extraction
            var split = sourceFolds is null ? [] : set.SourcesInSeveralFolds();
            if (split.Count > 0)
            {
                context.Warn($"the manifest's fold column puts clips of one source in several folds ({string.Join(", ", split.Take(3))}{(split.Count > 3 ? $" and {(split.Count - 3).ToString(CultureInfo.InvariantCulture)} more" : "")}): "
                    + "cross-validation over it tests on recordings it also trained on");
            }

            if (training && set.Classes.Count < 2)
            {
                throw new CliInputException($"{set.Origin}: training needs two classes or more; the data has only '{set.Classes[0]}'");
            }

            if (cache is not null && ClassifierTraining.TryLoadFeatureCache(set, settings, cache, copyRates) is { } cached)
            {
                context.Error.WriteLine($"  features: {cached.Count} windows from cache {cache}");
                foreach (string skipped in cached.SkippedFiles) context.Error.WriteLine($"  skipped (shorter than one window): {skipped}");
                return (set, cached);
            }

            int lastPercent = -1;
            WindowFeatureTable table = ClassifierTraining.ExtractFeatures(set, settings, (done, total, _) =>
            {
                int percent = done * 100 / total;
                if (percent / 10 != lastPercent / 10 || done == total)
                {
                    context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  features: {done}/{total} files"));
                    lastPercent = percent;
                }
            }, context.Warn, threads, copyRates);
            foreach (string skipped in table.SkippedFiles) context.Error.WriteLine($"  skipped (shorter than one window): {skipped}");
            if (cache is not null) ClassifierTraining.SaveFeatureCache(set, table, settings, cache, copyRates);
            return (set, table);
        }
        catch (FileNotFoundException e)
        {
            throw new CliUsageException($"--data: {e.Message}");
        }
        catch (ClassificationDataException e)
        {
            throw new CliInputException(e.Message);
        }
    }

    public static EvaluationResult CrossValidate(LabelledAudioSet set, WindowFeatureTable table, int folds, int seed,
        WindowFeatureSettings settings, SoftmaxTrainerOptions options, CliContext context, int? excludeFold = null, int? testFold = null,
        IBoostedTreesTrainer? trees = null, int threads = 0)
    {
        try
        {
            int[] fileFolds = ClassifierTraining.AssignFolds(set, folds, seed);
            int? only = null;
            if (excludeFold is int x)
            {
                // Sources of the excluded fold are set aside untouched; the other folds cross-validate among themselves
                // and keep their numbers (the library skips the emptied fold).
                for (int i = 0; i < fileFolds.Length; i++) fileFolds[i] = fileFolds[i] == x - 1 ? -1 : fileFolds[i];
            }
            else if (testFold is int t)
            {
                only = t - 1;
            }

            return ClassifierTraining.CrossValidate(set, table, fileFolds, settings, options,
                (done, total) => context.Error.WriteLine($"  cross-validation: {done}/{total} folds trained"), only, trees, seed, threads);
        }
        catch (ClassificationDataException e)
        {
            throw new CliInputException(e.Message);
        }
        catch (TreesUnavailableException e)
        {
            throw new CliUsageException($"--trees: {e.Message}");
        }
    }
}
