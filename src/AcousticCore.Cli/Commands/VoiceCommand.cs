using System.CommandLine;
using AcousticCore.Audio;
using AcousticCore.Pipeline;
using AcousticCore.Voice;

namespace AcousticCore.Cli.Commands;

/// <summary>
/// <c>acoustic voice features PATH... [--format table|jsonl|csv]</c>: Praat-compatible voice measures and eGeMAPS-style
/// descriptors, one record per voiced segment and one summary per file. Multichannel files are averaged to mono.
/// </summary>
internal static class VoiceCommand
{
    /// <summary>Longest recording analysed in one piece (the pitch path is global over the file, so it is held in memory).</summary>
    internal const double MaxSeconds = 600;

    private static readonly string[] TableColumns =
        ["kind", "file", "time_s", "duration_s", "voiced_duration_s", "f0_mean_hz", "f0_sd_hz", "jitter_local_pct",
         "shimmer_local_db", "hnr_db", "alpha_ratio_db", "note"];

    public static Command Create(CliContext context)
    {
        var voice = new Command("voice", "Voice signal descriptors (F0, jitter, shimmer, HNR, ...; not truth, threat or emotion scores) and, only under a signed grant, enrolment and identification.");
        var paths = new Argument<string[]>("PATH") { Description = "WAV files to analyse.", Arity = ArgumentArity.OneOrMore };
        var format = new Option<string>("--format")
        {
            Description = "Output format: table (default), jsonl, csv or parquet (parquet needs --out).",
            DefaultValueFactory = _ => "table",
        };
        var output = new Option<string?>("--out") { Description = "Write the records to this file instead of standard output." };
        var features = new Command("features", "One record per voiced segment (kind=segment) and per file (kind=summary).");
        var store = PolicyCli.StoreOption();
        var token = new Option<string?>("--token") { Description = "Grant token file; needed only when the sensor store's policy sets voice_stress_requires_token." };
        features.Arguments.Add(paths);
        features.Options.Add(format);
        features.Options.Add(output);
        features.Options.Add(store);
        features.Options.Add(token);
        features.SetAction(parse =>
        {
            var fmt = CliContext.ParseFormat(parse.GetValue(format), RecordFormat.Table, parquet: true);
            if (VoiceStressGate.Check(context, parse, store, token) is { } refused) return refused;
            string[] files = parse.GetValue(paths) ?? [];
            var records = new List<ResultRecord>();

            // a path that does not exist is a usage error (exit 2) and is reported before any work starts or output is opened
            foreach (string path in files)
            {
                if (!File.Exists(path)) throw new FileNotFoundException($"No such file: {path}", path);
            }

            string? outPath = parse.GetValue(output);
            TextWriter text = fmt == RecordFormat.Parquet ? TextWriter.Null : OutputTarget.Open(context, outPath);
            IRecordWriter? writer = fmt switch
            {
                RecordFormat.Parquet => OutputTarget.OpenParquet(outPath),
                RecordFormat.Jsonl => new JsonLinesRecordWriter(text),
                RecordFormat.Csv => new CsvRecordWriter(text),
                _ => null,
            };
            try
            {
                return Run();
            }
            finally
            {
                (writer as IDisposable)?.Dispose();   // Parquet: the file is written now
                if (!ReferenceEquals(text, context.Out)) text.Dispose();
            }

            int Run()
            {
                int failures = 0;
                foreach (string path in files)
                {
                    float[] mono;
                    int sampleRate;
                    try
                    {
                        (mono, sampleRate) = ReadMono(path);
                    }
                    catch (Exception e) when (e is AudioDataException or CliInputException or FileNotFoundException or IOException or UnauthorizedAccessException)
                    {
                        // one unreadable file must not hide the results of the others; the exit code reports it
                        context.Error.WriteLine($"acoustic: {path}: {e.Message}");
                        failures++;
                        continue;
                    }

                    var analysis = VoiceAnalyzer.Analyze(mono, sampleRate);
                    foreach (var segment in analysis.Segments) Emit(segment.ToRecord("segment", path));
                    Emit(analysis.Summary.ToRecord("summary", path));
                }

                if (writer is null && records.Count > 0) WriteTable(text, records);
                text.Flush();
                return failures == 0 ? ExitCodes.Ok : ExitCodes.BadInput;
            }

            void Emit(ResultRecord r)
            {
                if (writer is null) records.Add(r);
                else
                {
                    writer.Write(r);
                    writer.Flush();
                }
            }
        });
        voice.Subcommands.Add(features);
        // Issue 6's contract: identification lives under `voice` (the top-level enrol/identify are aliases).
        voice.Subcommands.Add(EnrolCommand.Create(context));
        voice.Subcommands.Add(IdentifyCommand.Create(context));
        voice.Subcommands.Add(PolicyCommand.CreateSweep(context, "purge"));
        return voice;
    }

    /// <summary>Reads a whole file and averages its channels to mono.</summary>
    internal static (float[] Samples, int SampleRate) ReadMono(string path)
    {
        using var source = AudioSourceFactory.OpenFile(path);
        return (VoiceAnalyzer.ReadMono(source, MaxSeconds), source.Format.SampleRate);
    }

    private static void WriteTable(TextWriter output, List<ResultRecord> records)
    {
        var rows = new List<string[]> { TableColumns };
        foreach (var r in records)
        {
            var row = new string[TableColumns.Length];
            for (int c = 0; c < row.Length; c++)
            {
                object? v = r[TableColumns[c]];
                row[c] = v switch
                {
                    double d when double.IsFinite(d) => d.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
                    double => "-",
                    null => "-",
                    _ => RecordValueFormat.ToText(v) ?? "-",
                };
            }

            rows.Add(row);
        }

        var width = new int[TableColumns.Length];
        foreach (var row in rows)
        {
            for (int c = 0; c < row.Length; c++) width[c] = Math.Max(width[c], row[c].Length);
        }

        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(width[c]))).TrimEnd());
        }
    }
}
