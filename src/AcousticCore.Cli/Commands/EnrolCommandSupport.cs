using System.CommandLine;
using System.Globalization;
using AcousticCore.Audio;
using AcousticCore.Pipeline;
using AcousticCore.Policy;

namespace AcousticCore.Cli.Commands;

/// <summary>Shared pieces of the policy commands: store option, exit code 4, token and audio input, record output.</summary>
internal static class PolicyCli
{
    /// <summary>Exit code when the policy refuses (bad, expired, revoked or exhausted token; store unusable).</summary>
    public const int Refused = 4;

    /// <summary>Exit code of <c>audit verify</c> when the log is not intact.</summary>
    public const int AuditNotIntact = 5;

    public static Option<string?> StoreOption() => new("--store", "--data-dir")
    {
        Description = "Sensor store directory (default: $ACOUSTIC_HOME, else ~/.local/share/acoustic).",
    };

    public static PolicyStoreOptions Store(ParseResult parse, Option<string?> option)
    {
        string? dir = parse.GetValue(option);
        return new PolicyStoreOptions(string.IsNullOrWhiteSpace(dir) ? PolicyStoreOptions.DefaultDirectory() : dir);
    }

    /// <summary>Reads a token or revocation file, at most 64 KiB + 1 byte: longer ones are refused by the verifier unread.</summary>
    public static string ReadTokenFile(string path)
    {
        if (!File.Exists(path)) throw new CliUsageException($"token file not found: {path}");
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read);
        var buffer = new byte[(int)Math.Min(fs.Length, 65537)];
        fs.ReadExactly(buffer);
        return System.Text.Encoding.UTF8.GetString(buffer).Trim();
    }

    public static int Refuse(CliContext context, string code, string detail)
    {
        context.Error.WriteLine($"acoustic: refused by policy: {code}: {detail}");
        return Refused;
    }

    /// <summary>Opens an audio file as a source.</summary>
    public static IAudioSource OpenAudio(string path)
    {
        if (!File.Exists(path)) throw new CliUsageException($"audio file not found: {path}");
        return AudioSourceFactory.OpenFile(path);
    }

    /// <summary>Parses a duration: <c>90s</c>, <c>30m</c>, <c>12h</c>, <c>7d</c>, or <c>d.hh:mm:ss</c>.</summary>
    public static TimeSpan ParseDuration(string text, string option)
    {
        text = text.Trim();
        if (text.Length > 1 && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n > 0 && n < 1e7)
        {
            switch (text[^1])
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
            }
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var ts) && ts > TimeSpan.Zero) return ts;
        throw new CliUsageException($"{option}: '{text}' is not a duration (use e.g. 90s, 30m, 12h, 7d)");
    }

    /// <summary>Parses a time: <c>now</c> or ISO 8601 (UTC assumed when no offset is given).</summary>
    public static DateTimeOffset ParseTime(string text, string option, TimeProvider time)
    {
        if (string.Equals(text, "now", StringComparison.OrdinalIgnoreCase)) return time.GetUtcNow();
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)) return t;
        throw new CliUsageException($"{option}: '{text}' is not a time (use 'now' or ISO 8601, e.g. 2026-03-01T12:00:00Z)");
    }

    /// <summary>Writes records in the chosen format; the table is aligned on the columns of all records.</summary>
    public static void WriteRecords(CliContext context, RecordFormat format, IReadOnlyList<ResultRecord> records)
    {
        var columns = new List<string>();
        foreach (var r in records)
        {
            foreach (var f in r.Fields)
            {
                if (!columns.Contains(f.Key)) columns.Add(f.Key);
            }
        }

        switch (format)
        {
            case RecordFormat.Jsonl:
            {
                using var w = new JsonLinesRecordWriter(context.Out);
                foreach (var r in records) w.Write(r);
                w.Flush();
                break;
            }

            case RecordFormat.Csv:
            {
                var w = new CsvRecordWriter(context.Out);
                w.SetHeader(columns);
                foreach (var r in records) w.Write(r);
                w.Flush();
                break;
            }

            default:
            {
                var cells = new List<string[]>();
                foreach (var r in records)
                {
                    var row = new string[columns.Count];
                    for (int i = 0; i < columns.Count; i++) row[i] = RecordValueFormat.ToText(r[columns[i]]) ?? "-";
                    cells.Add(row);
                }

                var widths = new int[columns.Count];
                for (int i = 0; i < columns.Count; i++)
                {
                    widths[i] = columns[i].Length;
                    foreach (var row in cells) widths[i] = Math.Max(widths[i], row[i].Length);
                }

                context.Out.WriteLine(string.Join("  ", columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
                foreach (var row in cells) context.Out.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
                break;
            }
        }
    }
}
