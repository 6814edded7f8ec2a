using System.Text;
using AcousticCore.Policy;
using Xunit;

namespace AcousticCore.Tests.Policy;

[Collection(SpeakerEngineDefaultGroup.Name)]
public sealed class GateTests : IDisposable
{
    private readonly PolicyFixture _f = new();

    public void Dispose() => _f.Dispose();

    private string AuditText()
    {
        // Shared for writing too: the retention timer may be appending while a test polls.
        using var fs = new FileStream(_f.Gate.Store.AuditLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(fs);
        return reader.ReadToEnd();
    }

    [Fact]
    public void Enrol_then_identify_reports_only_named_subjects_with_correct_decisions()
    {
        var grant = _f.Verify(_f.Issue(subjects: ["alice", "bob", "carol"]));
        Assert.True(_f.Gate.Enrol(grant, "alice", [MemorySource.Tone(200)]).IsAllowed);
        Assert.True(_f.Gate.Enrol(grant, "bob", [MemorySource.Tone(600)]).IsAllowed);

        var result = _f.Gate.Identify(grant, MemorySource.Tone(210));
        Assert.True(result.IsAllowed, result.Detail);
        Assert.Equal(new[] { "alice", "bob", "carol" }, result.Scores.Select(s => s.Subject));
        // 210 Hz vs 200 Hz: score 5 - 10/20 = 4.5 (match); vs 600 Hz: 5 - 390/20 = -14.5 (no match).
        Assert.Equal(4.5, result.Scores[0].ScoreLlr, 1);
        Assert.True(result.Scores[0].IsMatch);
        Assert.Equal(-14.5, result.Scores[1].ScoreLlr, 1);
        Assert.False(result.Scores[1].IsMatch);
        Assert.False(result.Scores[2].Enrolled);
        Assert.True(double.IsNaN(result.Scores[2].ScoreLlr));
        Assert.Equal(1.0, result.AudioDurationSeconds, 6);
        Assert.Equal("tone-test-double-1", result.ModelId);
        Assert.Equal(10 - 3, result.UsesRemaining);
    }

    [Fact]
    public void Identification_never_touches_voiceprints_of_subjects_outside_the_grant()
    {
        var wide = _f.Verify(_f.Issue(subjects: ["alice", "bob", "mallory"], jti: "tok-wide"));
        _f.Gate.Enrol(wide, "alice", [MemorySource.Tone(200)]);
        _f.Gate.Enrol(wide, "bob", [MemorySource.Tone(600)]);
        _f.Gate.Enrol(wide, "mallory", [MemorySource.Tone(1000)]);

        // A narrower grant of the same case names only bob.
        var narrow = _f.Verify(_f.Issue(subjects: ["bob"], scopes: GrantScopes.Identify, jti: "tok-narrow"));
        _f.Engine.ScoredVoiceprints.Clear();
        var result = _f.Gate.Identify(narrow, MemorySource.Tone(1000));
        Assert.True(result.IsAllowed);
        Assert.Equal("bob", Assert.Single(result.Scores).Subject);
        Assert.False(result.Scores[0].IsMatch);
        // Only bob's voiceprint (600 Hz) was scored, although the audio is mallory's tone.
        Assert.Equal(600, Assert.Single(_f.Engine.ScoredVoiceprints), 0);
        string lastLine = File.ReadLines(_f.Gate.Store.AuditLogPath).Last();
        Assert.DoesNotContain("mallory", lastLine, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", lastLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Voiceprints_of_another_case_are_not_used()
    {
        var a = _f.Verify(_f.Issue(subjects: ["alice"], jti: "tok-case-a"));
        _f.Gate.Enrol(a, "alice", [MemorySource.Tone(200)]);
        string other = _f.Authority.IssueToken(new GrantRequest
        {
            Subjects = ["alice"], Sensors = [PolicyFixture.Sensor], Scopes = GrantScopes.Identify, CaseReference = "CASE-OTHER",
            Purpose = "other", ValidFrom = PolicyFixture.T0, ValidFor = TimeSpan.FromDays(1), MaxUses = 5,
        });
        var result = _f.Gate.Identify(_f.Verify(other), MemorySource.Tone(200));
        Assert.False(Assert.Single(result.Scores).Enrolled);
    }

    [Fact]
    public void Enrol_only_grant_cannot_identify_and_identify_only_cannot_enrol()
    {
        var enrolOnly = _f.Verify(_f.Issue(scopes: GrantScopes.Enrol));
        var r = _f.Gate.Identify(enrolOnly, MemorySource.Tone(200));
        Assert.Equal(RefusalReason.ScopeNotGranted, r.Reason);
        Assert.Empty(r.Scores);
        var identifyOnly = _f.Verify(_f.Issue(scopes: GrantScopes.Identify));
        Assert.Equal(RefusalReason.ScopeNotGranted, _f.Gate.Enrol(identifyOnly, "alice", [MemorySource.Tone(200)]).Reason);
        Assert.Contains("\"reason\":\"scope_not_granted\"", File.ReadLines(_f.Gate.Store.AuditLogPath).Last(), StringComparison.Ordinal);
    }

    [Fact]
    public void Enrolling_a_subject_not_in_the_grant_is_refused_and_not_logged_by_name()
    {
        var grant = _f.Verify(_f.Issue());
        var r = _f.Gate.Enrol(grant, "zoe", [MemorySource.Tone(300)]);
        Assert.Equal(RefusalReason.SubjectNotInGrant, r.Reason);
        Assert.DoesNotContain("zoe", AuditText(), StringComparison.Ordinal);
        Assert.Contains("subject_not_in_grant", AuditText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Uses_are_counted_and_exhausted_across_a_restart()
    {
        string token = _f.Issue(maxUses: 2, jti: "tok-two-uses");
        var grant = _f.Verify(token);
        Assert.True(_f.Gate.Enrol(grant, "alice", [MemorySource.Tone(200)]).IsAllowed);
        _f.Restart();
        grant = _f.Verify(token);
        Assert.Equal(1, _f.Gate.RemainingUses(grant));
        Assert.True(_f.Gate.Identify(grant, MemorySource.Tone(200)).IsAllowed);
        // The old Grant object is re-checked at use: no uses left.
        Assert.Equal(RefusalReason.UsesExhausted, _f.Gate.Identify(grant, MemorySource.Tone(200)).Reason);
        _f.Restart();
        Assert.Equal(RefusalReason.UsesExhausted, _f.Gate.VerifyToken(token).Reason);
    }

    [Fact]
    public void Corrupt_use_counter_refuses_fail_closed()
    {
        string token = _f.Issue(jti: "tok-counter");
        var grant = _f.Verify(token);
        Assert.True(_f.Gate.Enrol(grant, "alice", [MemorySource.Tone(200)]).IsAllowed);
        string counter = Directory.GetFiles(Path.Combine(_f.Dir, "uses")).Single();
        File.WriteAllText(counter, "{\"jti_sha256\":");
        Assert.Equal(RefusalReason.StoreCorrupt, _f.Gate.Identify(grant, MemorySource.Tone(200)).Reason);
        Assert.Equal(RefusalReason.StoreCorrupt, _f.Gate.VerifyToken(token).Reason);
    }

    [Fact]
    public void Deleted_use_counter_is_rebuilt_from_the_audit_log()
    {
        string token = _f.Issue(maxUses: 2, jti: "tok-reset");
        var grant = _f.Verify(token);
        Assert.True(_f.Gate.Enrol(grant, "alice", [MemorySource.Tone(200)]).IsAllowed);
        Assert.True(_f.Gate.Identify(grant, MemorySource.Tone(200)).IsAllowed);
        foreach (string f in Directory.GetFiles(Path.Combine(_f.Dir, "uses"))) File.Delete(f);
        _f.Restart();
        Assert.Equal(RefusalReason.UsesExhausted, _f.Gate.VerifyToken(token).Reason);
        Assert.Equal(RefusalReason.UsesExhausted, _f.Gate.Identify(grant, MemorySource.Tone(200)).Reason);
    }

    [Fact]
    public void Clock_set_back_behind_the_audit_log_is_refused()
    {
        string token = _f.Issue(from: PolicyFixture.T0 - TimeSpan.FromDays(3), validFor: TimeSpan.FromDays(4));
        var grant = _f.Verify(token);
        _f.Clock.Advance(TimeSpan.FromDays(2));
        _f.Gate.VerifyToken(token); // newest audit record is now at T0 + 2 days; the token expired at T0 + 1 day
        _f.Clock.Now = PolicyFixture.T0;
        Assert.Equal(RefusalReason.ClockRollback, _f.Gate.VerifyToken(token).Reason);
        Assert.Equal(RefusalReason.ClockRollback, _f.Gate.Identify(grant, MemorySource.Tone(200)).Reason);
        // Within the skew is fine.
        _f.Clock.Now = PolicyFixture.T0 + TimeSpan.FromDays(2) - TimeSpan.FromSeconds(30);
        Assert.Equal(RefusalReason.Expired, _f.Gate.VerifyToken(token).Reason);
    }

    [Fact]
    public void Grant_is_rechecked_for_expiry_at_use()
    {
        var grant = _f.Verify(_f.Issue(validFor: TimeSpan.FromHours(1), from: PolicyFixture.T0));
        _f.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(61));
        Assert.Equal(RefusalReason.Expired, _f.Gate.Identify(grant, MemorySource.Tone(200)).Reason);
    }

    [Fact]
    public void Grant_is_rechecked_for_revocation_at_use()
    {
        var grant = _f.Verify(_f.Issue(jti: "tok-r"));
        _f.Gate.Store.ImportRevocation(_f.Authority.CreateRevocation("tok-r", PolicyFixture.T0));
        Assert.Equal(RefusalReason.Revoked, _f.Gate.Enrol(grant, "alice", [MemorySource.Tone(200)]).Reason);
    }

    [Fact]
    public void Without_an_engine_the_gate_refuses()
    {
        var grant = _f.Verify(_f.Issue());
        using var noEngine = VoiceIdentificationService.Open(_f.Options, null);
        var g2 = noEngine.VerifyToken(_f.Issue()).Grant!;
        Assert.Equal(RefusalReason.EngineUnavailable, noEngine.Identify(g2, MemorySource.Tone(200)).Reason);
        Assert.Equal(RefusalReason.EngineUnavailable, noEngine.Enrol(g2, "alice", [MemorySource.Tone(200)]).Reason);
        Assert.NotNull(grant);
    }

    [Fact]
    public void Public_factory_uses_the_registered_default_engine_or_refuses()
    {
        var saved = SpeakerEngines.Default;
        try
        {
            SpeakerEngines.Default = null;
            using (var gate = VoiceIdentificationService.Open(_f.Options))
            {
                var g = gate.VerifyToken(_f.Issue()).Grant!;
                Assert.Equal(RefusalReason.EngineUnavailable, gate.Identify(g, MemorySource.Tone(200)).Reason);
            }

            SpeakerEngines.Default = () => throw new InvalidOperationException("model file missing");
            using (var gate = VoiceIdentificationService.Open(_f.Options))
            {
                var g = gate.VerifyToken(_f.Issue()).Grant!;
                var r = gate.Identify(g, MemorySource.Tone(200));
                Assert.Equal(RefusalReason.EngineUnavailable, r.Reason);
                Assert.Contains("model file missing", r.Detail, StringComparison.Ordinal);
            }

            SpeakerEngines.Default = () => new ToneSpeakerEngine();
            using (var gate = VoiceIdentificationService.Open(_f.Options))
            {
                var g = gate.VerifyToken(_f.Issue()).Grant!;
                Assert.True(gate.Enrol(g, "alice", [MemorySource.Tone(200)]).IsAllowed);
            }
        }
        finally
        {
            SpeakerEngines.Default = saved;
        }
    }

    [Fact]
    public void Grant_from_another_store_is_refused()
    {
        using var other = new PolicyFixture();
        var foreign = other.Verify(other.Issue());
        Assert.Equal(RefusalReason.ForeignGrant, _f.Gate.Identify(foreign, MemorySource.Tone(200)).Reason);
    }

    [Fact]
    public void Unusable_audio_is_refused_with_a_reason()
    {
        var grant = _f.Verify(_f.Issue());
        var silent = new MemorySource(new float[16000]);
        var r = _f.Gate.Enrol(grant, "alice", [silent]);
        Assert.Equal(RefusalReason.AudioUnusable, r.Reason);
        var tooLong = new PolicyFixture(new DeploymentPolicy { MaxAudioSeconds = 1 });
        var g = tooLong.Verify(tooLong.Issue());
        Assert.Equal(RefusalReason.AudioUnusable, tooLong.Gate.Identify(g, MemorySource.Tone(200, seconds: 2)).Reason);
        Assert.Equal(10, tooLong.Gate.RemainingUses(g)); // reading failed before the use was counted
        tooLong.Dispose();
    }

    [Fact]
    public void Voiceprints_are_encrypted_and_deleted_at_expiry_so_copies_cannot_be_decrypted()
    {
        var grant = _f.Verify(_f.Issue(jti: "tok-expire", validFor: TimeSpan.FromHours(2), from: PolicyFixture.T0));
        Assert.True(_f.Gate.Enrol(grant, "alice", [MemorySource.Tone(200)]).IsAllowed);
        string folder = Path.Combine(_f.Dir, "voiceprints", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("tok-expire"))));
        string vp = Directory.GetFiles(folder, "*.vp").Single();
        byte[] copy = File.ReadAllBytes(vp);
        // The stored bytes are not the voiceprint (8-byte double of 200 Hz) in the clear.
        Assert.Equal(12 + 16 + 8, copy.Length);
        Assert.Equal(-1, copy.AsSpan().IndexOf(BitConverter.GetBytes(200.0)));

        _f.Clock.Advance(TimeSpan.FromHours(2));
        var sweep = _f.Gate.SweepRetention();
        Assert.Equal(1, sweep.GrantsEnded);
        Assert.Equal(1, sweep.VoiceprintsDeleted);
        Assert.False(Directory.Exists(folder));
        Assert.Contains("voiceprints_deleted", AuditText(), StringComparison.Ordinal);

        // The copy cannot be decrypted with any key left in the store (the grant key is gone).
        foreach (string keyFile in Directory.GetFiles(_f.Dir, "*.key", SearchOption.AllDirectories))
        {
            byte[] key = File.ReadAllBytes(keyFile);
            if (key.Length != 32) continue;
            using var gcm = new System.Security.Cryptography.AesGcm(key, 16);
            Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
                gcm.Decrypt(copy.AsSpan(0, 12), copy.AsSpan(28), copy.AsSpan(12, 16), new byte[8]));
        }
    }

    [Fact]
    public async Task Retention_timer_deletes_voiceprints_of_expired_grants_without_a_use()
    {
        var grant = _f.Verify(_f.Issue(jti: "tok-timer", validFor: TimeSpan.FromHours(2), from: PolicyFixture.T0));
        Assert.True(_f.Gate.Enrol(grant, "alice", [MemorySource.Tone(200)]).IsAllowed);
        string folder = Path.Combine(_f.Dir, "voiceprints", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("tok-timer"))));
        Assert.True(Directory.Exists(folder));
        _f.Clock.Advance(TimeSpan.FromHours(3));
        using (_f.Gate.StartRetentionTimer(TimeSpan.FromSeconds(1)))
        {
            // The timer deletes the folder and then writes the audit record: wait for both (up to 10 s).
            for (int i = 0; i < 100 && (Directory.Exists(folder) || !AuditText().Contains("voiceprints_deleted", StringComparison.Ordinal)); i++)
            {
                await Task.Delay(100);
            }
        }

        Assert.False(Directory.Exists(folder));
        Assert.Contains("voiceprints_deleted", AuditText(), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => _f.Gate.StartRetentionTimer(TimeSpan.FromMilliseconds(10)));
    }

    [Fact]
    public void Voiceprints_are_deleted_on_revocation()
    {
        var grant = _f.Verify(_f.Issue(jti: "tok-rev-del"));
        _f.Gate.Enrol(grant, "alice", [MemorySource.Tone(200)]);
        Assert.Single(Directory.GetDirectories(Path.Combine(_f.Dir, "voiceprints")));
        _f.Gate.Store.ImportRevocation(_f.Authority.CreateRevocation("tok-rev-del", PolicyFixture.T0));
        Assert.Empty(Directory.GetDirectories(Path.Combine(_f.Dir, "voiceprints")));
    }

    [Fact]
    public void Sweep_runs_when_the_gate_opens()
    {
        var grant = _f.Verify(_f.Issue(jti: "tok-start", validFor: TimeSpan.FromHours(1), from: PolicyFixture.T0));
        _f.Gate.Enrol(grant, "alice", [MemorySource.Tone(200)]);
        _f.Clock.Advance(TimeSpan.FromHours(2));
        _f.Restart();
        Assert.Empty(Directory.GetDirectories(Path.Combine(_f.Dir, "voiceprints")));
    }

    [Fact]
    public void Sweep_runs_before_every_use()
    {
        var shortGrant = _f.Verify(_f.Issue(jti: "tok-short", validFor: TimeSpan.FromHours(1), from: PolicyFixture.T0));
        _f.Gate.Enrol(shortGrant, "alice", [MemorySource.Tone(200)]);
        var longGrant = _f.Verify(_f.Issue(jti: "tok-long", scopes: GrantScopes.Identify));
        _f.Clock.Advance(TimeSpan.FromHours(1));
        var r = _f.Gate.Identify(longGrant, MemorySource.Tone(200));
        Assert.True(r.IsAllowed);
        Assert.False(r.Scores[0].Enrolled); // the expired grant's voiceprint is gone before scoring
    }

    [Fact]
    public void Nothing_sensitive_reaches_the_audit_log()
    {
        string token = _f.Issue(jti: "tok-secret-check");
        var grant = _f.Verify(token);
        var tone = MemorySource.Tone(200);
        float[] samples = new float[16000];
        MemorySource.Tone(200).Read(samples);
        _f.Gate.Enrol(grant, "alice", [tone]);
        _f.Gate.Identify(grant, MemorySource.Tone(200));
        _f.Gate.VerifyToken(token + "x");

        string log = AuditText();
        byte[] logBytes = File.ReadAllBytes(_f.Gate.Store.AuditLogPath);
        Assert.DoesNotContain(token, log, StringComparison.Ordinal);
        foreach (string part in token.Split('.')) Assert.DoesNotContain(part, log, StringComparison.Ordinal);
        // No run of raw audio bytes (float32) and no voiceprint bytes.
        byte[] audioBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples.AsSpan(1000, 16)).ToArray();
        Assert.Equal(-1, logBytes.AsSpan().IndexOf(audioBytes));
        Assert.DoesNotContain(Convert.ToBase64String(audioBytes), log, StringComparison.Ordinal);
        Assert.Equal(-1, logBytes.AsSpan().IndexOf(BitConverter.GetBytes(200.0)));
        // But the jti, the token hash and the audio hash are there for the auditor.
        Assert.Contains("tok-secret-check", log, StringComparison.Ordinal);
        Assert.Contains(grant.TokenSha256, log, StringComparison.Ordinal);
        Assert.Matches("\"audio_sha256\":\"[0-9a-f]{64}\"", log);
    }

    [Fact]
    public void Store_files_are_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        var grant = _f.Verify(_f.Issue());
        _f.Gate.Enrol(grant, "alice", [MemorySource.Tone(200)]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_f.Dir));
        foreach (string f in Directory.GetFiles(_f.Dir, "*", SearchOption.AllDirectories))
        {
            Assert.True((File.GetUnixFileMode(f) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0, f);
        }
    }
}
