using System.Diagnostics;
using System.Globalization;
using AcousticCore.Pipeline;

namespace AcousticCore.Cli.Commands;

/// <summary>Turns analyse-chain records into the chosen output format.</summary>
internal abstract class RecordSink : IAnalysisSink
{
    public abstract void OnInterval(ResultRecord record, long lastSampleTimestamp);

    public abstract void OnSummary(ResultRecord record);

    /// <summary>Called once after the last record.</summary>
    public virtual void Finish()
    {
    }
}

internal static class RecordSinks
{
    /// <summary>A sink writing every record to <paramref name="records"/> (such as Parquet), disposing it at <see cref="RecordSink.Finish"/>.</summary>
    public static RecordSink Create(IRecordWriter records) => new WriterSink(records, withLatency: false);

    public static RecordSink Create(RecordFormat format, TextWriter writer, IReadOnlyList<string> columns, bool withLatency) => format switch
    {
        RecordFormat.Jsonl => new WriterSink(new JsonLinesRecordWriter(writer), withLatency),
        RecordFormat.Csv => new WriterSink(CsvWithHeader(writer, columns), withLatency),
        _ => withLatency ? new StreamTableSink(writer) : new SummaryTableSink(writer),
    };

    private static CsvRecordWriter CsvWithHeader(TextWriter writer, IReadOnlyList<string> columns)
    {
        var csv = new CsvRecordWriter(writer);
        csv.SetHeader(columns);
        return csv;
    }

    /// <summary>Every record, one per line; streamed intervals get <c>latency_ms</c> and are flushed at once.</summary>
    private sealed class WriterSink(IRecordWriter writer, bool withLatency) : RecordSink
    {
        public override void OnInterval(ResultRecord record, long lastSampleTimestamp)
        {
            if (withLatency)
            {
                record.Add("latency_ms", Stopwatch.GetElapsedTime(lastSampleTimestamp).TotalMilliseconds);
            }

            writer.Write(record);
            if (withLatency) writer.Flush();
        }

        public override void OnSummary(ResultRecord record)
        {
            writer.Write(record);
            writer.Flush();
        }

        public override void Finish()
        {
            writer.Flush();
            (writer as IDisposable)?.Dispose();
        }
    }

    private static string Db(ResultRecord r, string name) => AnalysisFields.Cell(r.GetDouble(name), 1);

    /// <summary>The readable default of <c>analyze</c>: one row per file and channel.</summary>
    private sealed class SummaryTableSink(TextWriter writer) : RecordSink
    {
        private bool _header;

        public override void OnInterval(ResultRecord record, long lastSampleTimestamp)
        {
        }

        public override void OnSummary(ResultRecord r)
        {
            if (!_header)
            {
                writer.WriteLine($"{"file",-32} {"ch",3} {"dur_s",8} {"LAeq",7} {"LCeq",7} {"LZeq",7} {"LAFmax",7} {"LAFmin",7} {"LCpeak",7} {"LA10",7} {"LA50",7} {"LA90",7} {"centroid_hz",11}");
                _header = true;
            }

            string file = r["file"] as string ?? string.Empty;
            if (file.Length > 32) file = "…" + file[^31..];
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{file,-32} {r["channel"],3} {r.GetDouble("duration_s"),8:F2} {Db(r, "laeq_db"),7} {Db(r, "lceq_db"),7} {Db(r, "lzeq_db"),7} {Db(r, "lafmax_db"),7} {Db(r, "lafmin_db"),7} {Db(r, "lcpeak_db"),7} {Db(r, "la10_db"),7} {Db(r, "la50_db"),7} {Db(r, "la90_db"),7} {AnalysisFields.Cell(r.GetDouble("spectral_centroid_hz"), 0),11}"));
        }
    }

    /// <summary>The readable form of <c>stream</c>: one row per interval as it completes.</summary>
    private sealed class StreamTableSink(TextWriter writer) : RecordSink
    {
        private bool _header;

        public override void OnInterval(ResultRecord r, long lastSampleTimestamp)
        {
            if (!_header)
            {
                writer.WriteLine($"{"time_s",9} {"ch",3} {"LAeq",7} {"LCeq",7} {"LAFmax",7} {"LCpeak",7} {"centroid_hz",11} {"latency_ms",10}");
                _header = true;
            }

            double latency = Stopwatch.GetElapsedTime(lastSampleTimestamp).TotalMilliseconds;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.GetDouble("time_s"),9:F2} {r["channel"],3} {Db(r, "laeq_db"),7} {Db(r, "lceq_db"),7} {Db(r, "lafmax_db"),7} {Db(r, "lcpeak_db"),7} {AnalysisFields.Cell(r.GetDouble("spectral_centroid_hz"), 0),11} {latency,10:F2}"));
            writer.Flush();
        }

        public override void OnSummary(ResultRecord r)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"summary ch {r["channel"]}: {r.GetDouble("duration_s"):F2} s, LAeq {Db(r, "laeq_db")} dB, LAFmax {Db(r, "lafmax_db")} dB, LA90 {Db(r, "la90_db")} dB"));
            writer.Flush();
        }
    }
}
