using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AcousticCore.Policy;

/// <summary>One decision to record. Holds ids, hashes and numbers only: never audio, tokens or voiceprints.</summary>
internal sealed class AuditEvent
{
    public required string Event { get; init; }
    public required string Decision { get; init; }
    public string Reason { get; init; } = "none";
    public string? TokenId { get; init; }
    public string? TokenSha256 { get; init; }
    public string? CaseReference { get; init; }
    public IReadOnlyList<string>? Subjects { get; init; }
    public double? AudioDurationSeconds { get; init; }
    public string? AudioSha256 { get; init; }
    public string? ModelId { get; init; }
    public IReadOnlyList<double>? Scores { get; init; }
    public IReadOnlyList<bool>? Matches { get; init; }
    public double? Threshold { get; init; }
    public int? UsesAfter { get; init; }
    public string? Detail { get; init; }
}

/// <summary>
/// Append-only, hash-chained JSON-lines audit log. Each line carries <c>prev_hash</c> and
/// <c>hash</c> = SHA-256 of the line's own bytes without the trailing <c>hash</c> member. Every
/// <see cref="DeploymentPolicy.AuditCheckpointInterval"/> records a checkpoint signed by the sensor
/// key is appended, and a signed head (<c>audit.head</c>: last seq and hash) is rewritten after
/// every append so a cut tail is detected. The signatures stop an attacker who edits a record from
/// simply recomputing the chain.
/// </summary>
internal sealed class AuditLog
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    internal const string CheckpointContext = "acoustic-audit-checkpoint";
    internal const string HeadContext = "acoustic-audit-head";

    private readonly string _path;
    private readonly string _headPath;
    private readonly ECDsa _sensorKey;
    private readonly string _sensorId;
    private readonly int _checkpointInterval;
    private readonly TimeProvider _time;
    private long _seq;
    private string _lastHash;

    public AuditLog(string path, string headPath, ECDsa sensorKey, string sensorId, int checkpointInterval, TimeProvider time)
    {
        _path = path;
        _headPath = headPath;
        _sensorKey = sensorKey;
        _sensorId = sensorId;
        _checkpointInterval = checkpointInterval;
        _time = time;
        (_seq, _lastHash, LastTime) = ReadTail();
    }

    public string Path => _path;

    /// <summary>Time of the newest record (null for an empty log): the clock must never run behind it.</summary>
    public DateTimeOffset? LastTime { get; private set; }

    /// <summary>Re-reads the tail (another process may have appended) and returns the newest record's time.</summary>
    public DateTimeOffset? RefreshLastTime()
    {
        (_seq, _lastHash, LastTime) = ReadTail();
        return LastTime;
    }

    /// <summary>
    /// Highest <c>uses_after</c> the log records for a token: lets a lost use counter be rebuilt
    /// rather than silently reset to zero.
    /// </summary>
    public int RecordedUses(string jti)
    {
        if (!File.Exists(_path)) return 0;
        string needle = "\"jti\":" + JsonSerializer.Serialize(jti) + ",";
        int max = 0;
        foreach (string line in File.ReadLines(_path))
        {
            if (!line.Contains(needle, StringComparison.Ordinal)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("uses_after", out var u) && u.TryGetInt32(out int n)) max = Math.Max(max, n);
            }
            catch (JsonException)
            {
                // A broken line is reported by audit verify; here it cannot lower the count.
            }
        }

        return max;
    }

    /// <summary>Appends one record (and a checkpoint when due); throws <see cref="PolicyStoreException"/> when the log cannot be written.</summary>
    public void Append(AuditEvent e)
    {
        // Re-read the tail so another process's appends (under the store lock) are chained onto.
        (_seq, _lastHash, LastTime) = ReadTail();
        var lines = new StringBuilder();
        lines.Append(Record(e)).Append('\n');
        if (_seq % _checkpointInterval == 0)
        {
            lines.Append(Checkpoint()).Append('\n');
        }

        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var fs = new FileStream(_path, options))
            {
                fs.Write(Encoding.UTF8.GetBytes(lines.ToString()));
                fs.Flush(flushToDisk: true);
            }

            WriteHead();
        }
        catch (IOException ex)
        {
            throw new PolicyStoreException(_path, $"cannot append to the audit log ({ex.Message})", ex);
        }
    }

    private string Record(AuditEvent e)
    {
        string body = Body(w =>
        {
            w.WriteString("event", e.Event);
            w.WriteString("decision", e.Decision);
            w.WriteString("reason", e.Reason);
            WriteOptional(w, "jti", e.TokenId);
            WriteOptional(w, "token_sha256", e.TokenSha256);
            WriteOptional(w, "case", e.CaseReference);
            w.WriteString("sensor", _sensorId);
            if (e.Subjects is not null)
            {
                w.WriteStartArray("subjects");
                foreach (var s in e.Subjects) w.WriteStringValue(s);
                w.WriteEndArray();
            }

            if (e.AudioDurationSeconds is double d) w.WriteNumber("audio_duration_s", Math.Round(d, 6));
            WriteOptional(w, "audio_sha256", e.AudioSha256);
            WriteOptional(w, "model_id", e.ModelId);
            if (e.Scores is not null)
            {
                w.WriteStartArray("scores");
                foreach (double s in e.Scores)
                {
                    if (double.IsFinite(s)) w.WriteNumberValue(Math.Round(s, 6));
                    else w.WriteNullValue();
                }

                w.WriteEndArray();
            }

            if (e.Matches is not null)
            {
                w.WriteStartArray("matches");
                foreach (bool m in e.Matches) w.WriteBooleanValue(m);
                w.WriteEndArray();
            }

            if (e.Threshold is double t) w.WriteNumber("threshold", t);
            if (e.UsesAfter is int u) w.WriteNumber("uses_after", u);
            WriteOptional(w, "detail", e.Detail);
        });
        return Seal(body);
    }

    private string Checkpoint()
    {
        long seq = _seq + 1;
        string signature = Sign(_sensorKey, CheckpointContext, seq, _lastHash);
        string body = Body(w =>
        {
            w.WriteString("event", "checkpoint");
            w.WriteString("decision", "none");
            w.WriteString("reason", "none");
            w.WriteString("sensor", _sensorId);
            w.WriteString("signature", signature);
        });
        return Seal(body);
    }

    // Starts a record: seq and time first, then the caller's members, then prev_hash.
    private string Body(Action<Utf8JsonWriter> members)
    {
        _seq++;
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteNumber("seq", _seq);
            // Record times never go backwards: a clock set back is stamped at the newest time so far
            // (its own reading kept in clock_utc), so the rollback check cannot be reset by logging.
            DateTimeOffset now = _time.GetUtcNow();
            DateTimeOffset stamp = LastTime is { } last && now < last ? last : now;
            w.WriteString("time_utc", Stamp(stamp));
            if (stamp != now) w.WriteString("clock_utc", Stamp(now));
            LastTime = stamp;
            members(w);
            w.WriteString("prev_hash", _lastHash);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private string Seal(string body)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        _lastHash = hash;
        return string.Concat(body.AsSpan(0, body.Length - 1), ",\"hash\":\"", hash, "\"}");
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    internal static string Sign(ECDsa key, string context, long seq, string hash) =>
        Base64Url.EncodeToString(key.SignData(Encoding.UTF8.GetBytes(SignedText(context, seq, hash)), HashAlgorithmName.SHA256));

    internal static string SignedText(string context, long seq, string hash) =>
        string.Create(CultureInfo.InvariantCulture, $"{context}:{seq}:{hash}");

    private void WriteHead()
    {
        string sig = Sign(_sensorKey, HeadContext, _seq, _lastHash);
        string json = string.Create(CultureInfo.InvariantCulture,
            $"{{\"seq\":{_seq},\"hash\":\"{_lastHash}\",\"signature\":\"{sig}\"}}\n");
        StoreFiles.WriteAtomic(_headPath, json);
    }

    /// <summary>Last seq and hash, checked against the signed head; a mismatch means the log was cut or edited.</summary>
    private (long Seq, string Hash, DateTimeOffset? Time) ReadTail()
    {
        bool logExists = File.Exists(_path) && new FileInfo(_path).Length > 0;
        bool headExists = File.Exists(_headPath);
        if (!logExists && !headExists) return (0, Genesis, null);
        if (!headExists) throw new PolicyStoreException(_headPath, "audit head is missing while the audit log has records");
        if (!logExists) throw new PolicyStoreException(_path, "audit log is missing or empty while its signed head says it has records");

        var head = AuditHead.Read(_headPath);
        if (!head.VerifySignature(_sensorKey)) throw new PolicyStoreException(_headPath, "audit head signature does not verify");
        string last = LastLine(_path);
        try
        {
            using var doc = JsonDocument.Parse(last);
            long seq = doc.RootElement.GetProperty("seq").GetInt64();
            string hash = doc.RootElement.GetProperty("hash").GetString() ?? "";
            if (seq != head.Seq || hash != head.Hash)
            {
                throw new PolicyStoreException(_path, $"audit log ends at seq {seq} but its signed head says seq {head.Seq}: log cut or edited; run 'acoustic audit verify'");
            }

            var time = DateTimeOffset.Parse(doc.RootElement.GetProperty("time_utc").GetString() ?? "", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            return (seq, hash, time);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new PolicyStoreException(_path, "last audit record is unreadable", ex);
        }
    }

    private static string LastLine(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        int window = (int)Math.Min(fs.Length, 1 << 20);
        fs.Seek(-window, SeekOrigin.End);
        var buffer = new byte[window];
        fs.ReadExactly(buffer);
        if (buffer.Length == 0 || buffer[^1] != (byte)'\n') throw new PolicyStoreException(path, "audit log does not end with a complete line");
        int start = Array.LastIndexOf(buffer, (byte)'\n', buffer.Length - 2) + 1;
        return Encoding.UTF8.GetString(buffer, start, buffer.Length - 1 - start);
    }
}

/// <summary>The signed head of an audit log: the last seq and hash the sensor wrote.</summary>
internal sealed record AuditHead(long Seq, string Hash, string Signature)
{
    public static AuditHead Read(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(StoreFiles.ReadSmall(path, 4096));
            var r = doc.RootElement;
            return new AuditHead(r.GetProperty("seq").GetInt64(), r.GetProperty("hash").GetString() ?? "", r.GetProperty("signature").GetString() ?? "");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new PolicyStoreException(path, "audit head is malformed", ex);
        }
    }

    public bool VerifySignature(ECDsa key) => AuditLogVerifier.VerifySignature(key, AuditLog.HeadContext, Seq, Hash, Signature);
}
