using System.CommandLine;
using AcousticCore.Audio;
using AcousticCore.Pipeline;

namespace AcousticCore.Cli.Commands;

/// <summary><c>acoustic analyze PATH...</c>: levels, bands and spectral descriptors of WAV files and folders.</summary>
internal static class AnalyzeCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("PATH") { Description = "WAV files or folders (searched recursively for *.wav).", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format") { Description = "Output format: table (summary per file and channel), jsonl, csv or parquet (interval and summary records; parquet needs --out).", DefaultValueFactory = _ => "table" };
        var output = new Option<string?>("--out") { Description = "Write the records to this file instead of standard output." };
        var stats = new Option<bool>("--stats") { Description = "Print audio seconds, wall and CPU seconds, real-time factor and peak memory to stderr." };
        var chain = new ChainOptions();
        var command = new Command("analyze", "Measure levels (LAeq, LCeq, LZeq, LAFmax/min, LCpeak, LA10/50/90), third-octave bands and spectral descriptors of recordings.");
        command.Arguments.Add(paths);
        command.Options.Add(format);
        command.Options.Add(output);
        command.Options.Add(stats);
        chain.AddTo(command);
        command.SetAction(parse =>
        {
            var recordFormat = CliContext.ParseFormat(parse.GetValue(format), RecordFormat.Table, parquet: true);
            var options = chain.Read(parse);
            var files = InputFiles.Expand(parse.GetValue(paths) ?? []);
            var statistics = new RunStatistics();
            IRecordWriter? parquet = recordFormat == RecordFormat.Parquet ? OutputTarget.OpenParquet(parse.GetValue(output), ParquetSchema(files, options)) : null;
            TextWriter writer = parquet is null ? OutputTarget.Open(context, parse.GetValue(output)) : TextWriter.Null;
            try
            {
                RecordSink sink = parquet is not null ? RecordSinks.Create(parquet)
                    // Only CSV needs the columns up front; finding them opens each file header once more.
                    : RecordSinks.Create(recordFormat, writer, recordFormat == RecordFormat.Csv ? SchemaFor(files, options) : [], withLatency: false);
                int exit = Run(context, files, options, sink, writer, statistics);
                if (parse.GetValue(stats)) statistics.Print(context.Error);
                return exit;
            }
            finally
            {
                (parquet as IDisposable)?.Dispose();   // already written by the sink, or (after a failure) what there is
                if (!ReferenceEquals(writer, context.Out)) writer.Dispose();
                else writer.Flush();
            }
        });
        return command;
    }

    private static int Run(CliContext context, IReadOnlyList<string> files, AnalysisOptions options,
        RecordSink sink, TextWriter writer, RunStatistics statistics)
    {
        var progress = new ProgressBar(context.Error, context.ErrorIsTerminal);
        int failures = 0;
        for (int i = 0; i < files.Count; i++)
        {
            string file = files[i];
            try
            {
                using var source = CliContext.OpenInput(file);
                long total = source is IAudioSourceLength { LengthFrames: { } frames } ? frames : 0;
                long processed = AnalysisRunner.Run(source, options, sink, done =>
                {
                    statistics.SampleMemory();
                    double fileFraction = total > 0 ? Math.Min(1, (double)done / total) : 0;
                    progress.Report(file, (i + fileFraction) / files.Count);
                });
                statistics.AddAudio((double)processed / source.Format.SampleRate, source.Format.Channels);
                context.ReportDiagnostics(source);
            }
            catch (Exception e) when (CliContext.IsFileFailure(e))
            {
                progress.Clear();
                context.ReportFileFailure(e);
                failures++;
            }

            writer.Flush();
        }

        progress.Clear();
        sink.Finish();
        return failures > 0 ? ExitCodes.BadInput : ExitCodes.Ok;
    }

    /// <summary>Parquet columns: the CSV columns, typed (text, the channel index, numbers).</summary>
    private static IEnumerable<AcousticCore.Parquet.ParquetColumn> ParquetSchema(IReadOnlyList<string> files, AnalysisOptions options) =>
        SchemaFor(files, options).Select(name => new AcousticCore.Parquet.ParquetColumn(name, name switch
        {
            "kind" or "file" => AcousticCore.Parquet.ParquetColumnType.Text,
            "channel" => AcousticCore.Parquet.ParquetColumnType.WholeNumber,
            _ => AcousticCore.Parquet.ParquetColumnType.Number,
        }));

    /// <summary>CSV columns: the band set of the highest sample rate among the files is a superset of the others.</summary>
    private static IReadOnlyList<string> SchemaFor(IReadOnlyList<string> files, AnalysisOptions options)
    {
        int maxRate = 0;
        foreach (string f in files)
        {
            try
            {
                using var s = CliContext.OpenInput(f);
                maxRate = Math.Max(maxRate, s.Format.SampleRate);
            }
            catch (Exception e) when (CliContext.IsFileFailure(e))
            {
                // Reported when the file is analysed.
            }
        }

        return AnalysisFields.All(maxRate == 0 ? 48_000 : maxRate, options, withLatency: false);
    }
}
