using AcousticCore.Policy;
using Xunit;

namespace AcousticCore.Tests.Policy;

public sealed class AuditLogTests : IDisposable
{
    private readonly PolicyFixture _f = new(new DeploymentPolicy { AuditCheckpointInterval = 4 });

    public AuditLogTests()
    {
        // 1 init + 1 trust_added already; add verifications and gate uses for a log of ~12 records.
        var grant = _f.Verify(_f.Issue());
        _f.Gate.Enrol(grant, "alice", [MemorySource.Tone(200)]);
        for (int i = 0; i < 3; i++) _f.Gate.Identify(grant, MemorySource.Tone(200 + 100 * i));
        _f.Gate.VerifyToken("garbage");
        _f.Gate.VerifyToken(_f.Issue(jti: "tok-x"));
    }

    public void Dispose() => _f.Dispose();

    private string LogPath => _f.Gate.Store.AuditLogPath;

    private AuditVerification Verify() => _f.Gate.Store.VerifyAudit();

    private List<string> Lines() => File.ReadAllLines(LogPath).ToList();

    private void Write(List<string> lines) => File.WriteAllText(LogPath, string.Join("\n", lines) + "\n");

    [Fact]
    public void Intact_log_verifies_with_checkpoints()
    {
        var v = Verify();
        Assert.True(v.IsIntact, string.Join("; ", v.Problems.Select(p => p.Message)));
        Assert.Equal(Lines().Count, v.Records);
        Assert.True(v.Checkpoints >= 2);
        Assert.All(Lines(), l => Assert.Matches("\"prev_hash\":\"[0-9a-f]{64}\",\"hash\":\"[0-9a-f]{64}\"}$", l));
    }

    [Fact]
    public void Edited_record_is_detected_at_its_line()
    {
        var lines = Lines();
        int i = lines.FindIndex(l => l.Contains("\"decision\":\"refuse\"", StringComparison.Ordinal));
        lines[i] = lines[i].Replace("\"decision\":\"refuse\"", "\"decision\":\"allow\"", StringComparison.Ordinal);
        Write(lines);
        var p = Assert.Single(Verify().Problems);
        Assert.Equal("edited", p.Kind);
        Assert.Equal(i + 1, p.Line);
    }

    [Fact]
    public void Rewritten_chain_is_caught_by_the_signatures()
    {
        // An attacker edits record 3 and recomputes every later hash: the chain is consistent again,
        // but checkpoints and the head were signed over the original hashes.
        var lines = Lines();
        lines[2] = lines[2].Replace("\"decision\":\"allow\"", "\"decision\":\"refuse\"", StringComparison.Ordinal);
        string prev = AuditLog.Genesis;
        for (int i = 0; i < lines.Count; i++)
        {
            string l = lines[i];
            int at = l.LastIndexOf(",\"hash\":\"", StringComparison.Ordinal);
            string body = l[..at] + "}";
            body = System.Text.RegularExpressions.Regex.Replace(body, "\"prev_hash\":\"[0-9a-f]{64}\"", $"\"prev_hash\":\"{prev}\"");
            string h = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body)));
            lines[i] = body[..^1] + ",\"hash\":\"" + h + "\"}";
            prev = h;
        }

        Write(lines);
        var v = Verify();
        Assert.False(v.IsIntact);
        Assert.Contains(v.Problems, p => p.Kind == "bad_signature");
        Assert.DoesNotContain(v.Problems, p => p.Line > 0 && p.Kind is "edited" or "broken_chain");
    }

    [Fact]
    public void Deleted_record_is_detected()
    {
        var lines = Lines();
        lines.RemoveAt(4);
        Write(lines);
        var v = Verify();
        Assert.Contains(v.Problems, p => p.Kind == "out_of_sequence" && p.Line == 5 && p.Seq == 6);
        Assert.Contains(v.Problems, p => p.Kind == "broken_chain" && p.Line == 5);
    }

    [Fact]
    public void Swapped_records_are_detected()
    {
        var lines = Lines();
        (lines[5], lines[6]) = (lines[6], lines[5]);
        Write(lines);
        var v = Verify();
        Assert.Contains(v.Problems, p => p.Kind == "out_of_sequence" && p.Line == 6 && p.Seq == 7);
        Assert.Contains(v.Problems, p => p.Kind == "out_of_sequence" && p.Line == 7 && p.Seq == 6);
    }

    [Fact]
    public void Truncated_tail_is_detected_by_the_signed_head()
    {
        var lines = Lines();
        int n = lines.Count;
        Write(lines.Take(n - 2).ToList());
        var p = Assert.Single(Verify().Problems);
        Assert.Equal("truncated", p.Kind);
        Assert.Contains($"seq {n}", p.Message, StringComparison.Ordinal);
        // The gate refuses to go on with a cut log (fail closed).
        Assert.Throws<PolicyStoreException>(() => VoiceIdentificationService.Open(_f.Options, _f.Engine).VerifyToken(_f.Issue()));
    }

    [Fact]
    public void Record_cut_mid_line_is_detected()
    {
        string text = File.ReadAllText(LogPath);
        File.WriteAllText(LogPath, text[..^20]);
        Assert.Contains(Verify().Problems, p => p.Kind == "truncated");
    }

    [Fact]
    public void Missing_head_is_reported()
    {
        File.Delete(_f.Gate.Store.AuditHeadPath);
        Assert.Equal("no_head", Assert.Single(Verify().Problems).Kind);
    }

    [Fact]
    public void Verification_needs_the_right_sensor_key()
    {
        using var other = new PolicyFixture();
        var v = AuditLogVerifier.Verify(LogPath, _f.Gate.Store.AuditHeadPath, other.Gate.Store.SensorPublicKeyPem);
        Assert.Contains(v.Problems, p => p.Kind == "bad_signature");
    }
}
