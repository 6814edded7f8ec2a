using System.CommandLine;
using System.Globalization;
using System.Text;
using AcousticCore.Classification;
using AcousticCore.Pipeline;

namespace AcousticCore.Cli.Commands;

/// <summary>
/// <c>acoustic evaluate --data ... [--model FILE | --folds K] [--out-dir DIR]</c>: scores a model on held-out
/// recordings, or cross-validates training on the data (K folds grouped by source).
/// </summary>
internal static class EvaluateCommand
{
    /// <summary>Confidence threshold of cross-validation without --threshold (that of a model trained with default options).</summary>
    private static readonly double DefaultThreshold = new SoftmaxTrainerOptions().ConfidenceThreshold;

    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Folder per class or CSV manifest (file,label[,fold]).", Required = true };
        var model = new Option<string?>("--model") { Description = "Model to score (default: the built-in model). Not with --folds." };
        var folds = new Option<int?>("--folds") { Description = "Cross-validate instead: train on K−1 folds, test on the held-out one (grouped by source/fold column)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the fold assignment, of the perceptrons' starting weights and of the trees' subsampling.", DefaultValueFactory = _ => 1 };
        var l2 = new Option<double>("--l2") { Description = "L2 penalty when cross-validating.", DefaultValueFactory = _ => 1e-3 };
        var outDir = new Option<string?>("--out-dir") { Description = "Also write metrics.csv, confusion.csv, confusion.png and files.csv (one row per file) here." };
        var cache = DataLoading.CacheOption();
        var hidden = new Option<int>("--hidden") { Description = "Hidden tanh units of a one-hidden-layer perceptron (0 = softmax regression).", DefaultValueFactory = _ => 0 };
        var iterations = new Option<int>("--iterations") { Description = "Maximum L-BFGS iterations per model (1–100000).", DefaultValueFactory = _ => 400 };
        var ensemble = new Option<int>("--ensemble")
        {
            Description = "Perceptrons trained from seeds seed, seed+1, … and averaged (logits); stored as one hidden layer of ensemble × hidden units.",
            DefaultValueFactory = _ => 1,
        };
        var excludeFold = new Option<int?>("--exclude-fold")
        {
            Description = "With --folds K: set the sources of fold F (1..K) aside untouched and cross-validate on the other K−1 folds (for choosing a recipe).",
        };
        var testFold = new Option<int?>("--test-fold")
        {
            Description = "With --folds K: train once on all folds but F (1..K) and score only fold F (the untouched held-out sources).",
        };
        var threshold = ModelOption.Threshold("--threshold");
        var threadsOption = DataLoading.ThreadsOption();
        var augmentRates = DataLoading.AugmentRatesOption();
        var treeOptions = new TreeOptions();
        var command = new Command("evaluate", "Accuracy, macro-F1, per-class precision/recall and the confusion matrix of a classifier on labelled recordings.")
        {
            data, model, folds, seed, l2, outDir, cache, hidden, excludeFold, testFold, ensemble, iterations, threshold, threadsOption, augmentRates,
        };
        foreach (Option o in treeOptions.All) command.Options.Add(o);
        command.SetAction(parse =>
        {
            int? k = parse.GetValue(folds);
            string? modelPath = parse.GetValue(model);
            if (k is not null && modelPath is not null) throw new CliUsageException("--model and --folds exclude each other (score a model, or cross-validate training)");
            if (k is null && (DataLoading.Given(parse, treeOptions.Trees) || treeOptions.GivenSettings(parse).Any()))
            {
                throw new CliUsageException("--trees and its settings train trees, so they need --folds (cross-validation), not a model to score");
            }

            if (k is null && new Option[] { l2, hidden, ensemble, iterations, seed, augmentRates }.FirstOrDefault(o => DataLoading.Given(parse, o)) is Option trainingOption)
            {
                throw new CliUsageException($"{trainingOption.Name} sets up the training of cross-validation: it needs --folds K, not a model to score");
            }

            if (k is < 2 or > 100) throw new CliUsageException("--folds: use 2–100");
            int? exclude = parse.GetValue(excludeFold), test = parse.GetValue(testFold);
            if ((exclude is not null || test is not null) && k is null) throw new CliUsageException("--exclude-fold and --test-fold need --folds");
            if (exclude is not null && test is not null) throw new CliUsageException("--exclude-fold and --test-fold exclude each other");
            if (exclude is int ex && (ex < 1 || ex > k)) throw new CliUsageException($"--exclude-fold: use 1–{k}");
            if (test is int te && (te < 1 || te > k)) throw new CliUsageException($"--test-fold: use 1–{k}");
            if (exclude is not null && k < 3) throw new CliUsageException("--exclude-fold needs --folds ≥ 3 (two folds must remain)");
            string? dir = parse.GetValue(outDir);
            DataLoading.CheckPaths(parse.GetValue(cache), dir);
            int threads = DataLoading.Threads(parse, threadsOption);
            int[] copyRates = DataLoading.AugmentRates(parse, augmentRates);

            EvaluationResult result;
            string title;
            if (k is int folds2)
            {
                var settings = new WindowFeatureSettings();
                SoftmaxTrainerOptions options = DataLoading.PerceptronOptions(parse.GetValue(l2), parse.GetValue(hidden), parse.GetValue(ensemble),
                    parse.GetValue(iterations), parse.GetValue(threshold) ?? DefaultThreshold);

                DataLoading.CheckSeed(parse.GetValue(seed), options.EnsembleMembers);
                IBoostedTreesTrainer? trees = treeOptions.Trainer(parse, parse.GetValue(seed));
                var (set, table) = DataLoading.Load(parse.GetValue(data)!, settings, context, parse.GetValue(cache), folds2, training: true, threads,
                    copyRates: copyRates, sourceFolds: folds2);
                result = DataLoading.CrossValidate(set, table, folds2, parse.GetValue(seed), settings, options, context, exclude, test, trees, threads);
                title = exclude is int e1 ? $"{folds2 - 1}-fold cross-validation by source without fold {e1}"
                    : test is int t1 ? $"fold {t1} of {folds2} held out (trained on the others)"
                    : $"{folds2}-fold cross-validation by source";
            }
            else
            {
                ClassifierModel classifier = ModelOption.Load(modelPath, parse.GetValue(threshold));
                var (set, table) = DataLoading.Load(parse.GetValue(data)!, classifier.Settings, context, parse.GetValue(cache), threads: threads, model: classifier);
                try
                {
                    result = ClassifierTraining.Evaluate(classifier, set, table);
                }
                catch (ClassificationDataException e)
                {
                    throw new CliInputException(e.Message);
                }

                title = $"model {(modelPath is null ? "built-in" : Path.GetFileName(modelPath))} on held-out data";
            }

            context.Out.WriteLine(title);
            PrintFolds(context.Out, result);
            Print(context.Out, "windows", result.Windows);
            PrintConfident(context.Out, result);
            Print(context.Out, "files (dominant class)", result.Files);
            if (dir is not null) WriteReport(context, dir, title, result);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One line with each tested fold's window macro-F1 and accuracy, folds numbered as the user's (cross-validation only).</summary>
    internal static void PrintFolds(TextWriter output, EvaluationResult result)
    {
        if (result.Folds.Count < 2) return;
        output.WriteLine("windows per fold: " + string.Join("; ", result.Folds.Select(f => string.Create(CultureInfo.InvariantCulture,
            $"fold {f.Fold + 1} macro_f1 {f.Windows.MacroF1:F3} accuracy {f.Windows.Accuracy:F3}"))));
    }

    /// <summary>Thresholds of the accuracy–coverage line and rows.</summary>
    private static readonly double[] CoverageThresholds = [0.5, 0.6, 0.7, 0.8, 0.9];

    /// <summary>
    /// How many windows reach the confidence threshold (are labelled, not unknown) and how many of those are right,
    /// then the same for other thresholds (what --threshold would give).
    /// </summary>
    internal static void PrintConfident(TextWriter output, EvaluationResult result)
    {
        int n = result.Confidence.Windows;
        if (n == 0) return;
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv,
            $"windows at or above the confidence threshold {result.ConfidenceThreshold} (labelled, not unknown): {result.ConfidentWindows} of {n} ({100.0 * result.ConfidentWindows / n:F1} %), accuracy {LabelledAccuracy(result.Confidence, result.ConfidenceThreshold)}"));
        output.WriteLine("other thresholds (labelled share, accuracy): " + string.Join("; ", CoverageThresholds.Select(t => string.Create(inv,
            $"{t:0.0} {100.0 * result.Confidence.Labelled(t) / n:F1} % {LabelledAccuracy(result.Confidence, t)}"))));
    }

    /// <summary>Accuracy of the windows that reach <paramref name="threshold"/>, 4 decimals; empty when none does.</summary>
    private static string LabelledAccuracy(ConfidenceProfile profile, double threshold)
    {
        int labelled = profile.Labelled(threshold);
        return labelled > 0 ? ((double)profile.Correct(threshold) / labelled).ToString("F4", CultureInfo.InvariantCulture) : "";
    }

    /// <summary>Writes metrics.csv, confusion.csv (windows), confusion.png and files.csv (one row per scored file) into <paramref name="dir"/>.</summary>
    internal static void WriteReport(CliContext context, string dir, string title, EvaluationResult result)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "metrics.csv"), MetricsCsv(result));
        File.WriteAllText(Path.Combine(dir, "confusion.csv"), ConfusionCsv(result.Windows));
        File.WriteAllBytes(Path.Combine(dir, "confusion.png"), ConfusionMatrixPng.Render(result.Windows,
            string.Create(CultureInfo.InvariantCulture, $"{title}: windows acc {result.Windows.Accuracy:F3} macro-F1 {result.Windows.MacroF1:F3}")));
        File.WriteAllText(Path.Combine(dir, "files.csv"), FilesCsv(result));
        context.Out.WriteLine($"wrote {Path.Combine(dir, "metrics.csv")}, confusion.csv, confusion.png, files.csv");
    }

    internal static void Print(TextWriter o, string what, ClassificationMetrics m)
    {
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(inv, $"{what}: n={m.Total} accuracy={m.Accuracy:F3} macro_f1={m.MacroF1:F3}"));
        o.WriteLine($"  {"class",-10} {"precision",9} {"recall",7} {"f1",6} {"support",8}");
        for (int c = 0; c < m.Classes.Count; c++)
        {
            if (m.Support[c] == 0)
            {
                // No window of this class in the data: recall and F1 are undefined and macro-F1 leaves the class out.
                long predicted = 0;
                for (int t = 0; t < m.Classes.Count; t++) predicted += m.Confusion(t, c);
                string precision = predicted > 0 ? m.Precision[c].ToString("F3", inv) : "-";
                o.WriteLine(string.Create(inv, $"  {m.Classes[c],-10} {precision,9} {"-",7} {"-",6} {0,8}  (absent: not in macro-F1)"));
                continue;
            }

            o.WriteLine(string.Create(inv, $"  {m.Classes[c],-10} {m.Precision[c],9:F3} {m.Recall[c],7:F3} {m.F1[c],6:F3} {m.Support[c],8}"));
        }

        o.WriteLine("  confusion (rows true, columns predicted):");
        var header = new StringBuilder($"  {"",-10}");
        foreach (string c in m.Classes) header.Append(string.Create(inv, $" {Abbrev(c),6}"));
        o.WriteLine(header.ToString());
        for (int t = 0; t < m.Classes.Count; t++)
        {
            var line = new StringBuilder(string.Create(inv, $"  {m.Classes[t],-10}"));
            for (int p = 0; p < m.Classes.Count; p++) line.Append(string.Create(inv, $" {m.Confusion(t, p),6}"));
            o.WriteLine(line.ToString());
        }
    }

    private static string Abbrev(string s) => s.Length <= 6 ? s : s[..6];

    private static string MetricsCsv(EvaluationResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("level,class,precision,recall,f1,support,accuracy,macro_f1\n");
        foreach (var (level, m) in new[] { ("window", r.Windows), ("file", r.Files) })
        {
            for (int c = 0; c < m.Classes.Count; c++)
            {
                sb.Append(string.Create(inv, $"{level},{m.Classes[c]},{m.Precision[c]:F4},{m.Recall[c]:F4},{m.F1[c]:F4},{m.Support[c]},,\n"));
            }

            sb.Append(string.Create(inv, $"{level},all,,,,{m.Total},{m.Accuracy:F4},{m.MacroF1:F4}\n"));
        }

        if (r.Confidence.Windows > 0)
        {
            sb.Append(string.Create(inv, $"window_confident,all,,,,{r.ConfidentWindows},{LabelledAccuracy(r.Confidence, r.ConfidenceThreshold)},\n"));
            foreach (double t in CoverageThresholds)
            {
                sb.Append(string.Create(inv, $"window_threshold_{t:0.0},all,,,,{r.Confidence.Labelled(t)},{LabelledAccuracy(r.Confidence, t)},\n"));
            }
        }

        foreach (FoldMetrics f in r.Folds)
        {
            ClassificationMetrics m = f.Windows;
            sb.Append(string.Create(inv, $"window_fold{f.Fold + 1},all,,,,{m.Total},{m.Accuracy:F4},{m.MacroF1:F4}\n"));
        }

        return sb.ToString();
    }

    /// <summary>One row per scored file: path, source, label, fold (1-based, empty for a model's evaluation), windows, share of windows right, dominant class, its mean probability.</summary>
    private static string FilesCsv(EvaluationResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("file,source,label,fold,windows,window_accuracy,predicted,confidence\n");
        foreach (FileResult f in r.PerFile)
        {
            string fold = f.Fold is int k ? (k + 1).ToString(inv) : "";
            sb.Append(string.Create(inv, $"{CsvRecordWriter.Escape(f.File.Path)},{CsvRecordWriter.Escape(f.File.Source)},{CsvRecordWriter.Escape(f.File.Label)},{fold},{f.Windows},{(double)f.CorrectWindows / f.Windows:F4},{CsvRecordWriter.Escape(f.Predicted)},{f.Confidence:F4}\n"));
        }

        return sb.ToString();
    }

    private static string ConfusionCsv(ClassificationMetrics m)
    {
        var sb = new StringBuilder("true\\predicted");
        foreach (string c in m.Classes) sb.Append(',').Append(c);
        sb.Append('\n');
        for (int t = 0; t < m.Classes.Count; t++)
        {
            sb.Append(m.Classes[t]);
            for (int p = 0; p < m.Classes.Count; p++) sb.Append(',').Append(m.Confusion(t, p).ToString(CultureInfo.InvariantCulture));
            sb.Append('\n');
        }

        return sb.ToString();
    }
}
