using System.Text;
using AcousticCore.Cli;
using AcousticCore.Policy;
using Xunit;

namespace AcousticCore.Tests.Policy;

/// <summary>Tests that change <see cref="SpeakerEngines.Default"/> run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SpeakerEngineDefaultGroup
{
    public const string Name = "speaker-engine-default";
}

[Collection(SpeakerEngineDefaultGroup.Name)]
public sealed class PolicyCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "acoustic-cli-" + Guid.NewGuid().ToString("N"));
    private readonly Func<AcousticCore.Identification.ISpeakerEngine>? _savedEngine = SpeakerEngines.Default;

    public PolicyCliTests()
    {
        Directory.CreateDirectory(_dir);
        SpeakerEngines.Default = () => new ToneSpeakerEngine();
        WriteWav(P("alice.wav"), 200);
        WriteWav(P("bob.wav"), 600);
        WriteWav(P("probe.wav"), 210);
        Assert.Equal(0, Run(out _, out _, "authority", "keygen", "--out", P("auth"), "--issuer", "Court-A"));
        Assert.Equal(0, Run(out _, out _, "trust", "init", "--sensor", "sensor-1", "--store", P("store")));
        Assert.Equal(0, Run(out _, out _, "trust", "add", P("auth/authority.pub.pem"), "--store", P("store")));
    }

    public void Dispose()
    {
        SpeakerEngines.Default = _savedEngine;
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private string P(string name) => Path.Combine(_dir, name);

    private static int Run(out string stdout, out string stderr, params string[] args) => RunWithStdin(null, out stdout, out stderr, args);

    private static int RunWithStdin(byte[]? stdin, out string stdout, out string stderr, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = AcousticCli.Run(args, new CliContext(o, e, () => stdin is null ? Stream.Null : new MemoryStream(stdin)));
        stdout = o.ToString();
        stderr = e.ToString();
        return code;
    }

    private string IssueToFile(string name, params string[] extra)
    {
        var args = new List<string>
        {
            "authority", "issue", "--key", P("auth/authority.key.pem"), "--subject", "alice", "--subject", "bob",
            "--sensor", "sensor-1", "--scope", "voice:enrol", "--scope", "voice:identify", "--case", "CASE-7",
            "--purpose", "cli test", "--max-uses", "5",
        };
        args.AddRange(extra);
        if (!extra.Contains("--valid-for")) args.AddRange(["--valid-for", "2d"]);
        Assert.Equal(0, Run(out string token, out string err, args.ToArray()));
        Assert.Equal("", err);
        File.WriteAllText(P(name), token);
        return token.Trim();
    }

    private static void WriteWav(string path, double hz)
    {
        const int rate = 16000;
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        int n = rate;
        w.Write("RIFF"u8); w.Write(36 + n * 2); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(rate); w.Write(rate * 2); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(n * 2);
        for (int i = 0; i < n; i++) w.Write((short)(12000 * Math.Sin(2 * Math.PI * hz * i / rate)));
        w.Flush();
        File.WriteAllBytes(path, ms.ToArray());
    }

    [Fact]
    public void Keygen_writes_an_owner_only_private_key_and_refuses_to_overwrite()
    {
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(P("auth/authority.key.pem")));
        }

        Assert.Contains("BEGIN PUBLIC KEY", File.ReadAllText(P("auth/authority.pub.pem")), StringComparison.Ordinal);
        Assert.Equal(2, Run(out _, out string err, "authority", "keygen", "--out", P("auth"), "--issuer", "Court-A"));
        Assert.Contains("already exists", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Walkthrough_enrol_identify_and_verify_the_audit()
    {
        IssueToFile("t.jwt");
        Assert.Equal(0, Run(out string o1, out string e1, "enrol", "--token", P("t.jwt"), "--subject", "alice", P("alice.wav"), "--store", P("store")));
        Assert.Contains("enrolled 'alice'", o1, StringComparison.Ordinal);
        Assert.Equal("", e1);
        Assert.Equal(0, Run(out _, out _, "enrol", "--token", P("t.jwt"), "--subject", "bob", P("bob.wav"), "--store", P("store")));

        Assert.Equal(0, Run(out string jsonl, out string e2, "identify", "--token", P("t.jwt"), P("probe.wav"), "--format", "jsonl", "--store", P("store")));
        Assert.Equal("", e2);
        var lines = jsonl.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"subject\":\"alice\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"match\":true", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"subject\":\"bob\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"match\":false", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"time_s\":0", lines[0], StringComparison.Ordinal);

        Assert.Equal(0, Run(out string verify, out _, "audit", "verify", "--store", P("store")));
        Assert.StartsWith("intact:", verify, StringComparison.Ordinal);
        Assert.Equal(0, Run(out string show, out _, "audit", "show", "--store", P("store"), "--format", "csv"));
        Assert.Contains("identify", show, StringComparison.Ordinal);

        // Tamper: flip a decision in line 3; verify now fails with exit 5 and names the line.
        string log = P("store/audit.jsonl");
        var all = File.ReadAllLines(log);
        all[2] = all[2].Replace("\"decision\":\"allow\"", "\"decision\":\"refuse\"", StringComparison.Ordinal);
        File.WriteAllLines(log, all);
        Assert.Equal(5, Run(out string bad, out string badErr, "audit", "verify", "--store", P("store")));
        Assert.Contains("audit.jsonl:3: edited", bad, StringComparison.Ordinal);
        Assert.Contains("NOT intact", badErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Identify_reads_a_wav_stream_from_stdin()
    {
        IssueToFile("t.jwt");
        Assert.Equal(0, Run(out _, out _, "enrol", "--token", P("t.jwt"), "--subject", "bob", P("bob.wav"), "--store", P("store")));
        Assert.Equal(0, RunWithStdin(File.ReadAllBytes(P("bob.wav")), out string o, out string e,
            "identify", "--token", P("t.jwt"), "--input", "stdin", "--format", "csv", "--store", P("store")));
        Assert.Equal("", e);
        var rows = o.Trim().Split('\n');
        Assert.Equal(3, rows.Length);
        Assert.Contains("stdin", rows[1], StringComparison.Ordinal);
        Assert.Contains(",bob,true,", rows[2], StringComparison.Ordinal);
        Assert.EndsWith(",tone-test-double-1", rows[2].TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Refusals_exit_4_with_one_line_naming_the_reason_and_are_audited()
    {
        IssueToFile("old.jwt", "--valid-from", "2020-01-01T00:00:00Z", "--valid-for", "1d");
        Assert.Equal(4, Run(out _, out string err, "identify", "--token", P("old.jwt"), P("probe.wav"), "--store", P("store")));
        Assert.Equal("acoustic: refused by policy: expired:", err.Trim()[..37]);
        Assert.Single(err.Trim().Split('\n'));

        File.WriteAllText(P("garbage.jwt"), "not-a-token");
        Assert.Equal(4, Run(out _, out string err2, "enrol", "--token", P("garbage.jwt"), "--subject", "alice", P("alice.wav"), "--store", P("store")));
        Assert.Contains("refused by policy: malformed", err2, StringComparison.Ordinal);

        File.WriteAllText(P("huge.jwt"), new string('A', 2 << 20));
        Assert.Equal(4, Run(out _, out string err3, "identify", "--token", P("huge.jwt"), P("probe.wav"), "--store", P("store")));
        Assert.Contains("token_too_large", err3, StringComparison.Ordinal);

        IssueToFile("t.jwt");
        Assert.Equal(4, Run(out _, out string err4, "enrol", "--token", P("t.jwt"), "--subject", "zoe", P("alice.wav"), "--store", P("store")));
        Assert.Contains("subject_not_in_grant", err4, StringComparison.Ordinal);

        string audit = File.ReadAllText(P("store/audit.jsonl"));
        Assert.Contains("\"reason\":\"expired\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"malformed\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"token_too_large\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"subject_not_in_grant\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public void Revocation_round_trip_through_the_cli()
    {
        string token = IssueToFile("t.jwt", "--token-id", "tok-cli-1");
        Assert.True(0 == Run(out _, out string enrolErr, "enrol", "--token", P("t.jwt"), "--subject", "alice", P("alice.wav"), "--store", P("store")), enrolErr);
        Assert.Equal(0, Run(out string rev, out _, "authority", "revoke", "--key", P("auth/authority.key.pem"), "--token-id", "tok-cli-1"));
        File.WriteAllText(P("rev.jws"), rev);
        Assert.Equal(0, Run(out string imported, out _, "trust", "revoke", P("rev.jws"), "--store", P("store")));
        Assert.Contains("tok-cli-1", imported, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(P("store/voiceprints")));
        Assert.Equal(4, Run(out _, out string err, "identify", "--token", P("t.jwt"), P("probe.wav"), "--store", P("store")));
        Assert.Contains("refused by policy: revoked", err, StringComparison.Ordinal);
        Assert.DoesNotContain(token, File.ReadAllText(P("store/audit.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        Assert.Equal(2, Run(out _, out string e1, "authority", "issue", "--key", P("auth/authority.key.pem"), "--subject", "*", "--sensor", "s",
            "--scope", "voice:identify", "--case", "c", "--purpose", "p", "--valid-for", "1d", "--max-uses", "1"));
        Assert.Contains("wildcard", e1, StringComparison.Ordinal);
        Assert.Equal(2, Run(out _, out string e2, "authority", "issue", "--key", P("auth/authority.key.pem"), "--subject", "a", "--sensor", "s",
            "--scope", "voice:everything", "--case", "c", "--purpose", "p", "--valid-for", "1d", "--max-uses", "1"));
        Assert.Contains("unknown scope", e2, StringComparison.Ordinal);
        Assert.Equal(2, Run(out _, out string e3, "authority", "issue", "--key", P("auth/authority.key.pem"), "--subject", "a", "--sensor", "s",
            "--scope", "voice:identify", "--case", "c", "--purpose", "p", "--valid-for", "soon", "--max-uses", "1"));
        Assert.Contains("--valid-for", e3, StringComparison.Ordinal);
        // No token at all is not a usage error but a policy refusal (issue 6: exit 4, audited).
        Assert.Equal(4, Run(out _, out _, "identify", P("probe.wav"), "--store", P("store")));
    }

    [Fact]
    public void Missing_store_is_refused_fail_closed()
    {
        IssueToFile("t.jwt");
        Assert.Equal(4, Run(out _, out string err, "identify", "--token", P("t.jwt"), P("probe.wav"), "--store", P("nowhere")));
        Assert.Contains("store_corrupt", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_audio_is_exit_3_and_costs_no_use()
    {
        IssueToFile("t.jwt", "--token-id", "tok-audio");
        File.WriteAllBytes(P("bad.wav"), Encoding.ASCII.GetBytes("RIFF0000WAVEjunk"));
        Assert.Equal(3, Run(out _, out string err, "identify", "--token", P("t.jwt"), P("bad.wav"), "--store", P("store")));
        Assert.Contains("bad.wav", err, StringComparison.Ordinal);
        using var gate = VoiceIdentificationService.Open(new PolicyStoreOptions(P("store")));
        var grant = gate.VerifyToken(File.ReadAllText(P("t.jwt"))).Grant!;
        Assert.Equal(5, gate.RemainingUses(grant));
    }
}
