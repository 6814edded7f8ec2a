using System.CommandLine;
using System.Globalization;
using AcousticCore.Audio;
using AcousticCore.Classification;
using AcousticCore.Pipeline;

namespace AcousticCore.Cli.Commands;

/// <summary><c>acoustic classify PATH... [--model FILE] [--format table|jsonl|csv|parquet] [--out FILE]</c>: a label per analysis window and per file.</summary>
internal static class ClassifyCommand
{
    /// <summary>Columns of every record (CSV header); summary rows leave the window-only columns empty.</summary>
    internal static readonly string[] Columns =
        ["kind", "file", "time_s", "duration_s", "label", "confidence", "label_2", "p_2", "label_3", "p_3", "windows"];

    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("PATH") { Description = "WAV files or folders (searched recursively for *.wav).", Arity = ArgumentArity.OneOrMore };
        var model = new Option<string?>("--model") { Description = "Model file from 'acoustic train' (default: the built-in model)." };
        var format = new Option<string>("--format") { Description = "Output format: table, jsonl, csv or parquet (parquet needs --out).", DefaultValueFactory = _ => "table" };
        var output = new Option<string?>("--out") { Description = "Write the records to this file instead of standard output." };
        var threshold = ModelOption.Threshold("--threshold");
        var threadsOption = new Option<int>("--threads")
        {
            Description = "Files classified at once (0 = one per processor; default 1, which streams each record as soon as its window is done). Above 1, records still come out in file order, each file's when it is done, held in memory until then: for folders of clips, not of day-long recordings.",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("classify", "Classify recordings per analysis window (quiet, speech, music, alarm, impulsive, engine, machinery, broadband) and per file.")
        {
            paths, model, format, output, threshold, threadsOption,
        };
        command.SetAction(parse =>
        {
            RecordFormat recordFormat = CliContext.ParseFormat(parse.GetValue(format), RecordFormat.Table, parquet: true);
            int threads = DataLoading.Threads(parse, threadsOption);
            ClassifierModel classifier = ModelOption.Load(parse.GetValue(model), parse.GetValue(threshold));
            var files = InputFiles.Expand(parse.GetValue(paths) ?? [], emptyFolderIsBadInput: true);
            string? outPath = parse.GetValue(output);
            TextWriter text = recordFormat == RecordFormat.Parquet ? TextWriter.Null : OutputTarget.Open(context, outPath);
            IRecordWriter writer = recordFormat switch
            {
                RecordFormat.Parquet => OutputTarget.OpenParquet(outPath, Columns.Select(c => new AcousticCore.Parquet.ParquetColumn(c, c switch
                {
                    "kind" or "file" or "label" or "label_2" or "label_3" => AcousticCore.Parquet.ParquetColumnType.Text,
                    "windows" => AcousticCore.Parquet.ParquetColumnType.WholeNumber,
                    _ => AcousticCore.Parquet.ParquetColumnType.Number,
                }))),
                RecordFormat.Jsonl => new JsonLinesRecordWriter(text),
                RecordFormat.Csv => CsvWithHeader(text),
                _ => new TableWriter(text),
            };
            int failures = 0;
            try
            {
                int degree = threads == 0 ? Environment.ProcessorCount : threads;
                if (degree == 1 || files.Count == 1)
                {
                    // One at a time, each record written as soon as its window is done. A file that cannot be read is
                    // reported (its records up to the failure stay written) and the next one is classified.
                    foreach (string file in files)
                    {
                        try
                        {
                            foreach (string message in ClassifyFile(classifier, file, writer)) context.Warn(message);
                        }
                        catch (Exception e) when (CliContext.IsFileFailure(e))
                        {
                            writer.Flush();
                            context.ReportFileFailure(e);
                            failures++;
                        }
                    }
                }
                else
                {
                    failures = ClassifySideBySide(context, classifier, files, writer, degree);
                }
            }
            finally
            {
                writer.Flush();
                (writer as IDisposable)?.Dispose();   // Parquet: the file is written now
                if (!ReferenceEquals(text, context.Out)) text.Dispose();
            }

            return failures > 0 ? ExitCodes.BadInput : ExitCodes.Ok;
        });
        return command;
    }

    private static CsvRecordWriter CsvWithHeader(TextWriter output)
    {
        var csv = new CsvRecordWriter(output);
        csv.SetHeader(Columns);
        return csv;
    }

    /// <summary>
    /// Classifies batches of files on <paramref name="degree"/> threads, each into its own buffer, then writes the buffers
    /// in file order: the same records, warnings and error lines as one at a time. A failing file's records up to the
    /// failure are written before its error line, as they would have been. Returns the count of files that failed.
    /// </summary>
    private static int ClassifySideBySide(CliContext context, ClassifierModel model, IReadOnlyList<string> files, IRecordWriter writer, int degree)
    {
        int failed = 0;
        int batch = 4 * degree;
        for (int start = 0; start < files.Count; start += batch)
        {
            int n = Math.Min(batch, files.Count - start);
            var buffers = new RecordBuffer[n];
            var messages = new IReadOnlyList<string>[n];
            var failures = new Exception?[n];
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = degree }, i =>
            {
                buffers[i] = new RecordBuffer();
                try
                {
                    messages[i] = ClassifyFile(model, files[start + i], buffers[i]);
                }
                catch (Exception e)
                {
                    failures[i] = e;   // reported (or, if not a file's own failure, rethrown) in file order below
                }
            });

            for (int i = 0; i < n; i++)
            {
                foreach (ResultRecord record in buffers[i].Records) writer.Write(record);
                writer.Flush();
                if (failures[i] is { } failure)
                {
                    if (!CliContext.IsFileFailure(failure)) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                    context.ReportFileFailure(failure);
                    failed++;
                    continue;
                }

                foreach (string message in messages[i]) context.Warn(message);
            }
        }

        return failed;
    }

    /// <summary>Records kept in memory, for files classified side by side.</summary>
    private sealed class RecordBuffer : IRecordWriter
    {
        public List<ResultRecord> Records { get; } = [];

        public void Write(ResultRecord record) => Records.Add(record);

        public void Flush()
        {
        }
    }

    /// <summary>Classifies one file into <paramref name="writer"/>; returns the WAV reader's warnings.</summary>
    private static List<string> ClassifyFile(ClassifierModel model, string file, IRecordWriter writer)
    {
        using IAudioSource source = CliContext.OpenInput(file);

        var sink = new RecordSink(file, model, writer);
        ClassificationSummary? summary = AudioClassifier.ClassifySource(model, source, sink, out long frames);
        var record = new ResultRecord("summary").Add("file", file);
        if (summary is null)
        {
            // Under ~0.13 s: no window to classify; say so instead of inventing a label.
            record.Add("time_s", 0.0).Add("duration_s", frames / (double)source.Format.SampleRate)
                .Add("label", (string?)null).AddNull("confidence").Add("windows", 0L);
        }
        else
        {
            record.Add("time_s", 0.0).Add("duration_s", sink.EndSeconds)
                .Add("label", summary.Label).Add("confidence", Math.Round(summary.Confidence, 4)).Add("windows", summary.Windows);
        }

        writer.Write(record);
        writer.Flush();
        return source.DiagnosticMessages().ToList();
    }

    /// <summary>The <c>window</c> record of one classified window: the top class and the next two with their probabilities.</summary>
    internal static ResultRecord WindowRecord(in WindowClassification window, string file, ClassifierModel model)
    {
        ReadOnlySpan<float> p = window.Probabilities;
        int first = window.BestClass, second = -1, third = -1;
        for (int c = 0; c < p.Length; c++)
        {
            if (c == first) continue;
            if (second < 0 || p[c] > p[second])
            {
                third = second;
                second = c;
            }
            else if (third < 0 || p[c] > p[third])
            {
                third = c;
            }
        }

        var record = new ResultRecord("window").Add("file", file)
            .Add("time_s", Math.Round(window.TimeSeconds, 4))
            .Add("duration_s", Math.Round(window.DurationSeconds, 4))
            .Add("label", window.Label)
            .Add("confidence", Math.Round(window.Confidence, 4));
        if (second >= 0) record.Add("label_2", model.Classes[second]).Add("p_2", Math.Round(p[second], 4));
        if (third >= 0) record.Add("label_3", model.Classes[third]).Add("p_3", Math.Round(p[third], 4));
        return record;
    }

    /// <summary>Turns each window into a record with the top three classes.</summary>
    private sealed class RecordSink(string file, ClassifierModel model, IRecordWriter writer) : IWindowClassificationSink
    {
        public double EndSeconds { get; private set; }

        public void OnWindow(in WindowClassification window)
        {
            var record = WindowRecord(window, file, model);
            writer.Write(record);
            EndSeconds = Math.Max(EndSeconds, window.TimeSeconds + window.DurationSeconds);
        }
    }

    /// <summary>Aligned text: one line per record, fixed columns.</summary>
    private sealed class TableWriter(TextWriter output) : IRecordWriter
    {
        private bool _headerWritten;

        public void Write(ResultRecord record)
        {
            if (!_headerWritten)
            {
                output.WriteLine($"{"kind",-8} {"time_s",8} {"dur_s",6} {"label",-10} {"conf",6} {"2nd",-10} {"p_2",6} {"3rd",-10} {"p_3",6}  file");
                _headerWritten = true;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{record.Kind,-8} {Num(record, "time_s", 2),8} {Num(record, "duration_s", 2),6} {Text(record, "label"),-10} {Num(record, "confidence", 3),6} {Text(record, "label_2"),-10} {Num(record, "p_2", 3),6} {Text(record, "label_3"),-10} {Num(record, "p_3", 3),6}  {Text(record, "file")}"));
        }

        public void Flush() => output.Flush();

        private static string Text(ResultRecord r, string name) => r[name] as string ?? "-";

        private static string Num(ResultRecord r, string name, int digits)
        {
            double v = r.GetDouble(name);
            return double.IsFinite(v) ? v.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "-";
        }
    }
}

/// <summary>Loads the --model option's file, or the built-in model, mapping problems to CLI exit codes.</summary>
internal static class ModelOption
{
    /// <summary>An option that overrides the model's confidence threshold.</summary>
    public static Option<double?> Threshold(string name) =>
        new(name) { Description = "Confidence below which a window is labelled 'unknown' (0–1; default: the model's own, 0.4 when cross-validating)." };

    /// <summary>Loads the model file (or the built-in model) and applies a threshold given as <paramref name="optionName"/>.</summary>
    public static ClassifierModel Load(string? path, double? threshold = null, string optionName = "--threshold")
    {
        ClassifierModel model = Load(path);
        if (threshold is not double t) return model;
        if (!(t >= 0 && t <= 1)) throw new CliUsageException($"{optionName} {t.ToString(System.Globalization.CultureInfo.InvariantCulture)}: must be 0–1");
        return model.WithConfidenceThreshold(t);
    }

    public static ClassifierModel Load(string? path)
    {
        if (path is { Length: 0 }) throw new CliUsageException("--model: empty path");
        try
        {
            return path is null ? ClassifierModelFile.LoadDefault() : ClassifierModelFile.Load(path);
        }
        catch (FileNotFoundException)
        {
            throw new CliUsageException($"--model: no such file: {path}");
        }
        catch (ModelFileException e)
        {
            throw new CliInputException(e.Message);
        }
    }
}
