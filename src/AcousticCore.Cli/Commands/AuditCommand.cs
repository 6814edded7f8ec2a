using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AcousticCore.Pipeline;
using AcousticCore.Policy;

namespace AcousticCore.Cli.Commands;

/// <summary><c>acoustic audit show|verify</c>: read and independently check the hash-chained audit log.</summary>
internal static class AuditCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("audit", "Show or verify the sensor's audit log.");
        command.Subcommands.Add(Show(context));
        command.Subcommands.Add(Verify(context));
        return command;
    }

    private static Command Show(CliContext context)
    {
        var store = PolicyCli.StoreOption();
        var log = new Option<string?>("--log") { Description = "Audit log file (default: the store's audit.jsonl)." };
        var format = new Option<string?>("--format") { Description = "table, jsonl or csv." };
        var command = new Command("show", "Print audit records.") { store, log, format };
        command.SetAction(parse =>
        {
            var fmt = CliContext.ParseFormat(parse.GetValue(format), RecordFormat.Table);
            string path = parse.GetValue(log) ?? Path.Combine(PolicyCli.Store(parse, store).Directory, "audit.jsonl");
            if (!File.Exists(path)) throw new CliUsageException($"audit log not found: {path}");
            var records = new List<ResultRecord>();
            long lineNo = 0;
            foreach (string line in File.ReadLines(path))
            {
                lineNo++;
                records.Add(ToRecord(line, path, lineNo));
            }

            if (fmt == RecordFormat.Table)
            {
                // The table leaves out hashes and signatures; jsonl and csv carry every field.
                var compact = new List<ResultRecord>(records.Count);
                foreach (var r in records)
                {
                    var c = new ResultRecord("audit");
                    foreach (string name in TableColumns)
                    {
                        object? v = r[name];
                        if (v is null) c.AddNull(name);
                        else if (v is long l) c.Add(name, l);
                        else if (v is double d) c.Add(name, d);
                        else if (v is bool b) c.Add(name, b);
                        else c.Add(name, v.ToString());
                    }

                    compact.Add(c);
                }

                records = compact;
            }

            PolicyCli.WriteRecords(context, fmt, records);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static readonly string[] TableColumns =
        ["seq", "time_utc", "event", "decision", "reason", "jti", "case", "subjects", "audio_duration_s", "scores", "matches", "threshold", "detail"];

    private static Command Verify(CliContext context)
    {
        var store = PolicyCli.StoreOption();
        var log = new Option<string?>("--log") { Description = "Audit log to check (default: the store's)." };
        var head = new Option<string?>("--head") { Description = "Signed head file (default: audit.head beside the log)." };
        var key = new Option<string?>("--sensor-key") { Description = "Sensor public key PEM (default: the store's sensor.pub.pem)." };
        var command = new Command("verify", "Check the chain, checkpoint signatures and signed head; exit 0 only when intact, 5 otherwise.") { store, log, head, key };
        command.SetAction(parse =>
        {
            string dir = PolicyCli.Store(parse, store).Directory;
            string logPath = parse.GetValue(log) ?? Path.Combine(dir, "audit.jsonl");
            string headPath = parse.GetValue(head) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(logPath))!, "audit.head");
            string keyPath = parse.GetValue(key) ?? Path.Combine(parse.GetValue(log) is null ? dir : Path.GetDirectoryName(Path.GetFullPath(logPath))!, "sensor.pub.pem");
            if (!File.Exists(logPath)) throw new CliUsageException($"audit log not found: {logPath}");
            if (!File.Exists(keyPath)) throw new CliUsageException($"sensor public key not found: {keyPath} (give --sensor-key)");
            AuditVerification v;
            try
            {
                v = AuditLogVerifier.Verify(logPath, headPath, File.ReadAllText(keyPath));
            }
            catch (PolicyStoreException e)
            {
                throw new CliInputException(e.Message);
            }

            foreach (var p in v.Problems)
            {
                context.Out.WriteLine($"{logPath}:{p.Line}: {p.Kind}: {p.Message}");
            }

            if (v.IsIntact)
            {
                context.Out.WriteLine($"intact: {v.Records} records, {v.Checkpoints} signed checkpoints, head verified");
                return ExitCodes.Ok;
            }

            context.Error.WriteLine($"acoustic: audit log NOT intact: {v.Problems.Count} problem(s)");
            return PolicyCli.AuditNotIntact;
        });
        return command;
    }

    private static ResultRecord ToRecord(string line, string path, long lineNo)
    {
        var r = new ResultRecord("audit");
        try
        {
            using var doc = JsonDocument.Parse(line);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                switch (p.Value.ValueKind)
                {
                    case JsonValueKind.String: r.Add(p.Name, p.Value.GetString()); break;
                    case JsonValueKind.Number when p.Value.TryGetInt64(out long l): r.Add(p.Name, l); break;
                    case JsonValueKind.Number: r.Add(p.Name, p.Value.GetDouble()); break;
                    case JsonValueKind.True: r.Add(p.Name, true); break;
                    case JsonValueKind.False: r.Add(p.Name, false); break;
                    case JsonValueKind.Array:
                        var parts = new List<string>();
                        foreach (var e in p.Value.EnumerateArray())
                        {
                            parts.Add(e.ValueKind switch
                            {
                                JsonValueKind.String => e.GetString() ?? "",
                                JsonValueKind.Number => e.GetDouble().ToString("R", CultureInfo.InvariantCulture),
                                JsonValueKind.Null => "",
                                _ => e.GetRawText(),
                            });
                        }

                        r.Add(p.Name, string.Join(';', parts));
                        break;
                    default: r.AddNull(p.Name); break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new CliInputException($"{path}:{lineNo}: not a JSON record ({e.Message}); run 'acoustic audit verify'");
        }

        return r;
    }
}
