using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AcousticCore.Policy;

/// <summary>One problem found in an audit log: where (line, seq) and what.</summary>
public sealed class AuditProblem
{
    internal AuditProblem(long line, long? seq, string kind, string message)
    {
        Line = line;
        Seq = seq;
        Kind = kind;
        Message = message;
    }

    /// <summary>1-based line number in the log file (0 for the head file or the log as a whole).</summary>
    public long Line { get; }

    /// <summary>The record's seq when readable.</summary>
    public long? Seq { get; }

    /// <summary>Stable kind: <c>malformed</c>, <c>edited</c>, <c>out_of_sequence</c>, <c>broken_chain</c>, <c>bad_signature</c>, <c>truncated</c>, <c>unsigned_tail</c>, <c>no_head</c>.</summary>
    public string Kind { get; }

    /// <summary>One sentence for people.</summary>
    public string Message { get; }
}

/// <summary>Result of <see cref="AuditLogVerifier.Verify"/>.</summary>
public sealed class AuditVerification
{
    internal AuditVerification(long records, long checkpoints, IReadOnlyList<AuditProblem> problems)
    {
        Records = records;
        Checkpoints = checkpoints;
        Problems = problems;
    }

    /// <summary>True when the chain, every signature and the signed head agree.</summary>
    public bool IsIntact => Problems.Count == 0;

    /// <summary>Lines read.</summary>
    public long Records { get; }

    /// <summary>Signed checkpoints whose signature verified.</summary>
    public long Checkpoints { get; }

    /// <summary>Everything found wrong, in file order.</summary>
    public IReadOnlyList<AuditProblem> Problems { get; }
}

/// <summary>
/// Checks an audit log independently of the sensor: hash of every line, seq order, chain links,
/// checkpoint signatures and the signed head (catches a cut tail). Needs only the sensor's public key.
/// </summary>
public static class AuditLogVerifier
{
    /// <summary>Verifies <paramref name="logPath"/> with the sensor public key (PEM); <paramref name="headPath"/> may be null only when no head is available, which is reported.</summary>
    public static AuditVerification Verify(string logPath, string? headPath, string sensorPublicKeyPem)
    {
        ArgumentNullException.ThrowIfNull(logPath);
        using ECDsa key = Jose.ImportPublicP256(sensorPublicKeyPem, "sensor public key");
        var problems = new List<AuditProblem>();
        long expectedSeq = 1;
        string prevHash = AuditLog.Genesis;
        long lineNo = 0, checkpoints = 0;
        var hashBySeq = new Dictionary<long, string>();
        long lastSeq = 0;

        byte[] all = File.ReadAllBytes(logPath);
        int pos = 0;
        while (pos < all.Length)
        {
            int nl = Array.IndexOf(all, (byte)'\n', pos);
            lineNo++;
            if (nl < 0)
            {
                problems.Add(new AuditProblem(lineNo, null, "truncated", $"line {lineNo}: last record is incomplete (no newline): log cut mid-record"));
                break;
            }

            string line = Encoding.UTF8.GetString(all, pos, nl - pos);
            pos = nl + 1;
            CheckLine(line, lineNo, key, problems, ref expectedSeq, ref prevHash, ref checkpoints, hashBySeq, ref lastSeq);
        }

        if (headPath is null || !File.Exists(headPath))
        {
            problems.Add(new AuditProblem(0, null, "no_head", "no signed audit head: a cut tail cannot be ruled out"));
        }
        else
        {
            AuditHead head;
            try
            {
                head = AuditHead.Read(headPath);
            }
            catch (PolicyStoreException e)
            {
                problems.Add(new AuditProblem(0, null, "malformed", e.Message));
                return new AuditVerification(lineNo, checkpoints, problems);
            }

            if (!head.VerifySignature(key))
            {
                problems.Add(new AuditProblem(0, head.Seq, "bad_signature", "audit head signature does not verify with the sensor key"));
            }
            else if (lastSeq < head.Seq)
            {
                problems.Add(new AuditProblem(lineNo, lastSeq, "truncated", $"log ends at seq {lastSeq} but the signed head says seq {head.Seq}: {head.Seq - lastSeq} record(s) cut from the tail"));
            }
            else if (lastSeq > head.Seq)
            {
                problems.Add(new AuditProblem(lineNo, lastSeq, "unsigned_tail", $"records after seq {head.Seq} are not covered by the signed head (appended by someone else, or the sensor stopped mid-write)"));
            }
            else if (!hashBySeq.TryGetValue(head.Seq, out string? h) || h != head.Hash)
            {
                problems.Add(new AuditProblem(0, head.Seq, "edited", $"record seq {head.Seq} does not have the hash the signed head holds"));
            }
        }

        return new AuditVerification(lineNo, checkpoints, problems);
    }

    private static void CheckLine(string line, long lineNo, ECDsa key, List<AuditProblem> problems,
        ref long expectedSeq, ref string prevHash, ref long checkpoints, Dictionary<long, string> hashBySeq, ref long lastSeq)
    {
        const string marker = ",\"hash\":\"";
        int at = line.LastIndexOf(marker, StringComparison.Ordinal);
        if (at < 0 || line.Length != at + marker.Length + 64 + 2 || !line.EndsWith("\"}", StringComparison.Ordinal))
        {
            problems.Add(new AuditProblem(lineNo, null, "malformed", $"line {lineNo}: not a sealed audit record"));
            return;
        }

        string body = string.Concat(line.AsSpan(0, at), "}");
        string stated = line.Substring(at + marker.Length, 64);
        long seq;
        string statedPrev, ev;
        string? signature;
        try
        {
            using var doc = JsonDocument.Parse(line, new JsonDocumentOptions { AllowDuplicateProperties = false });
            var r = doc.RootElement;
            seq = r.GetProperty("seq").GetInt64();
            statedPrev = r.GetProperty("prev_hash").GetString() ?? "";
            ev = r.GetProperty("event").GetString() ?? "";
            signature = r.TryGetProperty("signature", out var s) ? s.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            problems.Add(new AuditProblem(lineNo, null, "malformed", $"line {lineNo}: unreadable record ({e.Message})"));
            return;
        }

        string actual = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        if (actual != stated)
        {
            problems.Add(new AuditProblem(lineNo, seq, "edited", $"line {lineNo} (seq {seq}): content does not match its hash: record edited"));
        }

        if (seq != expectedSeq)
        {
            string what = seq > expectedSeq ? $"{seq - expectedSeq} record(s) missing before it (deleted)" : "records reordered or duplicated";
            problems.Add(new AuditProblem(lineNo, seq, "out_of_sequence", $"line {lineNo}: seq {seq} where {expectedSeq} was expected: {what}"));
        }

        if (statedPrev != prevHash)
        {
            problems.Add(new AuditProblem(lineNo, seq, "broken_chain", $"line {lineNo} (seq {seq}): prev_hash does not match the previous record's hash"));
        }

        if (ev == "checkpoint")
        {
            if (signature is not null && VerifySignature(key, AuditLog.CheckpointContext, seq, statedPrev, signature)) checkpoints++;
            else problems.Add(new AuditProblem(lineNo, seq, "bad_signature", $"line {lineNo} (seq {seq}): checkpoint signature does not verify with the sensor key"));
        }

        hashBySeq[seq] = stated;
        lastSeq = Math.Max(lastSeq, seq);
        // Continue from what the line says so one fault is reported once, not on every later line.
        expectedSeq = seq + 1;
        prevHash = stated;
    }

    internal static bool VerifySignature(ECDsa key, string context, long seq, string hash, string signature)
    {
        if (!Base64Url.IsValid(signature)) return false;
        byte[] sig = Base64Url.DecodeFromChars(signature);
        return key.VerifyData(Encoding.UTF8.GetBytes(AuditLog.SignedText(context, seq, hash)), sig, HashAlgorithmName.SHA256);
    }
}
