using System.Globalization;
using AcousticCore.Audio;
using AcousticCore.Identification;

namespace AcousticCore.Policy;

/// <summary>
/// The gate: the only public way to enrol or identify voices. Every operation takes a
/// <see cref="Grant"/>, sweeps ended grants' voiceprints, re-checks the grant (store, scope,
/// subject, lifetime, revocation, remaining uses), counts the use durably before running the
/// engine, and writes one audit record whether it allows or refuses.
/// </summary>
public sealed class VoiceIdentificationService : IDisposable
{
    private readonly List<Timer> _timers = [];
    private readonly ISpeakerEngine? _engine;
    private readonly string _engineProblem;

    internal VoiceIdentificationService(SensorStore store, ISpeakerEngine? engine, string engineProblem = "no speaker engine is installed")
    {
        Store = store;
        _engine = engine;
        _engineProblem = engineProblem;
        // Retention runs at start as well as before every use (hosts may also call SweepRetention on a timer).
        try
        {
            store.SweepRetention();
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the store, sweeps ended grants' voiceprints, and loads the default speaker engine; without
    /// an engine every use is refused (<c>engine_unavailable</c>).
    /// </summary>
    /// <exception cref="PolicyStoreException">The store is missing or corrupt.</exception>
    public static VoiceIdentificationService Open(PolicyStoreOptions options)
    {
        var store = SensorStore.Open(options);
        var factory = SpeakerEngines.Default;
        if (factory is null) return new VoiceIdentificationService(store, null);
        try
        {
            return new VoiceIdentificationService(store, factory());
        }
#pragma warning disable CA1031 // any failure to build the engine must fail closed, not crash the host
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new VoiceIdentificationService(store, null, $"speaker engine failed to load ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>Opens with a given engine (tests, benchmarks, and the lead's wiring).</summary>
    internal static VoiceIdentificationService Open(PolicyStoreOptions options, ISpeakerEngine? engine) =>
        new(SensorStore.Open(options), engine);

    /// <summary>The sensor store behind the gate.</summary>
    public SensorStore Store { get; }

    /// <summary>Verifies a token against this sensor's trust store and policy; the decision is audited.</summary>
    public TokenVerification VerifyToken(string? token)
    {
        try
        {
            return VerifyTokenCore(token);
        }
        catch (Exception e) when (e is PolicyStoreException or IOException or UnauthorizedAccessException)
        {
            TryAuditStoreFailure("verify", null, e);
            return TokenVerification.Refused(RefusalReason.StoreCorrupt, e.Message);
        }
    }

    private TokenVerification VerifyTokenCore(string? token)
    {
        using var held = Store.Lock();
        string? clock = Store.ClockProblem();
        TokenVerification result = clock is null
            ? Store.CreateVerifier().Verify(token)
            : TokenVerification.Refused(RefusalReason.ClockRollback, clock);
        var g = result.Grant;
        Store.Audit.Append(new AuditEvent
        {
            Event = "verify",
            Decision = result.IsGranted ? "allow" : "refuse",
            Reason = result.ReasonCode,
            TokenId = result.TokenId,
            TokenSha256 = string.IsNullOrEmpty(token) ? null : StoreFiles.Sha256Hex(token.Trim()),
            CaseReference = g?.CaseReference,
            Subjects = g?.Subjects,
            Detail = result.IsGranted ? $"scopes {GrantScopeNames.Format(g!.Scopes)}; expires {g.Expires.UtcDateTime:O}" : result.Detail,
        });
        return result;
    }

    /// <summary>Uses left on <paramref name="grant"/> (0 when exhausted).</summary>
    /// <exception cref="PolicyStoreException">The counter file is corrupt.</exception>
    public int RemainingUses(Grant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return Math.Max(0, grant.MaxUses - Store.Uses.Get(grant.TokenId));
    }

    /// <summary>Builds and stores (encrypted, per grant) a voiceprint of <paramref name="subject"/> from the clips. Needs scope <c>voice:enrol</c>.</summary>
    public EnrolmentOutcome Enrol(Grant grant, string subject, IReadOnlyList<IAudioSource> clips)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(clips);
        try
        {
            return EnrolCore(grant, subject, clips);
        }
        catch (Exception e) when (e is PolicyStoreException or IOException or UnauthorizedAccessException)
        {
            TryAuditStoreFailure("enrol", grant, e);
            return new EnrolmentOutcome(RefusalReason.StoreCorrupt, e.Message, subject, 0, 0);
        }
    }

    private EnrolmentOutcome EnrolCore(Grant grant, string subject, IReadOnlyList<IAudioSource> clips)
    {
        using var held = Store.Lock();
        var refusal = Precheck(grant, GrantScopes.Enrol, out int remaining, out string why);
        if (refusal == RefusalReason.None && !grant.Covers(subject))
        {
            refusal = RefusalReason.SubjectNotInGrant;
        }

        if (refusal != RefusalReason.None)
        {
            string detail = refusal == RefusalReason.SubjectNotInGrant ? "the grant does not name this subject" : why;
            // A subject outside the grant is not written to the log: it may be an identity the authority never named.
            Audit(grant, "enrol", refusal, detail, refusal == RefusalReason.SubjectNotInGrant ? null : [subject]);
            return new EnrolmentOutcome(refusal, detail, subject, 0, remaining);
        }

        var audio = new List<GateAudio.Clip>();
        double seconds = 0;
        try
        {
            foreach (var c in clips)
            {
                var clip = GateAudio.Read(c, Store.Policy.MaxAudioSeconds);
                audio.Add(clip);
                seconds += clip.Seconds;
            }

            if (audio.Count == 0) throw new AudioDataException("enrolment", "no clips given");
            foreach (var clip in audio)
            {
                if (clip.SampleRate != audio[0].SampleRate) throw new AudioDataException("enrolment", "clips have different sample rates");
            }
        }
        catch (AudioDataException e)
        {
            Audit(grant, "enrol", RefusalReason.AudioUnusable, e.Message, [subject], seconds);
            return new EnrolmentOutcome(RefusalReason.AudioUnusable, e.Message, subject, seconds, remaining);
        }

        int after = Store.Uses.Increment(grant.TokenId);
        remaining = grant.MaxUses - after;
        byte[] voiceprint;
        try
        {
            var mono = new List<float[]>(audio.Count);
            foreach (var clip in audio) mono.Add(clip.Mono);
            voiceprint = _engine!.Enrol(mono, audio[0].SampleRate);
        }
        catch (ArgumentException e)
        {
            Audit(grant, "enrol", RefusalReason.AudioUnusable, e.Message, [subject], seconds, usesAfter: after);
            return new EnrolmentOutcome(RefusalReason.AudioUnusable, e.Message, subject, seconds, remaining);
        }

        Store.Vault.Store(grant, subject, voiceprint);
        Array.Clear(voiceprint);
        Store.Audit.Append(new AuditEvent
        {
            Event = "enrol", Decision = "allow", TokenId = grant.TokenId, CaseReference = grant.CaseReference, Subjects = [subject],
            AudioDurationSeconds = seconds, AudioSha256 = audio.Count == 1 ? audio[0].Sha256 : CombinedHash(audio),
            ModelId = _engine.ModelId, UsesAfter = after,
        });
        return new EnrolmentOutcome(RefusalReason.None, "enrolled", subject, seconds, remaining);
    }

    /// <summary>
    /// Scores the audio against the voiceprints of the subjects the grant names, and only those.
    /// Needs scope <c>voice:identify</c>. Subjects without a live voiceprint are reported as not enrolled.
    /// </summary>
    public IdentificationOutcome Identify(Grant grant, IAudioSource audio)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(audio);
        try
        {
            return IdentifyCore(grant, audio);
        }
        catch (Exception e) when (e is PolicyStoreException or IOException or UnauthorizedAccessException)
        {
            TryAuditStoreFailure("identify", grant, e);
            return Refused(RefusalReason.StoreCorrupt, e.Message, 0, 0, null);
        }
    }

    private IdentificationOutcome IdentifyCore(Grant grant, IAudioSource audio)
    {
        using var held = Store.Lock();
        var refusal = Precheck(grant, GrantScopes.Identify, out int remaining, out string why);
        if (refusal != RefusalReason.None)
        {
            Audit(grant, "identify", refusal, why, grant.Subjects);
            return Refused(refusal, why, remaining, 0, null);
        }

        GateAudio.Clip clip;
        try
        {
            clip = GateAudio.Read(audio, Store.Policy.MaxAudioSeconds);
        }
        catch (AudioDataException e)
        {
            Audit(grant, "identify", RefusalReason.AudioUnusable, e.Message, grant.Subjects);
            return Refused(RefusalReason.AudioUnusable, e.Message, remaining, 0, null);
        }

        int after = Store.Uses.Increment(grant.TokenId);
        remaining = grant.MaxUses - after;
        var scores = new List<SubjectScore>(grant.Subjects.Count);
        var numbers = new List<double>(grant.Subjects.Count);
        var matches = new List<bool>(grant.Subjects.Count);
        double threshold = _engine!.DecisionThreshold;
        try
        {
            // Only the named subjects' voiceprints are loaded; the clip is processed once for all of them.
            var loaded = new List<byte[]>(grant.Subjects.Count);
            var loadedIndex = new int[grant.Subjects.Count];
            for (int i = 0; i < grant.Subjects.Count; i++)
            {
                byte[]? voiceprint = Store.Vault.Load(grant, grant.Subjects[i]);
                loadedIndex[i] = voiceprint is null ? -1 : loaded.Count;
                if (voiceprint is not null) loaded.Add(voiceprint);
            }

            double[] llrs;
            try
            {
                llrs = loaded.Count == 0 ? [] : _engine.ScoreAll(loaded, clip.Mono, clip.SampleRate);
            }
            finally
            {
                foreach (byte[] v in loaded) Array.Clear(v);
            }

            for (int i = 0; i < grant.Subjects.Count; i++)
            {
                string subject = grant.Subjects[i];
                if (loadedIndex[i] < 0)
                {
                    scores.Add(new SubjectScore(subject, false, double.NaN, false));
                    numbers.Add(double.NaN);
                    matches.Add(false);
                    continue;
                }

                double llr = llrs[loadedIndex[i]];
                bool match = llr >= threshold;
                scores.Add(new SubjectScore(subject, true, llr, match));
                numbers.Add(llr);
                matches.Add(match);
            }
        }
        catch (ArgumentException e)
        {
            Audit(grant, "identify", RefusalReason.AudioUnusable, e.Message, grant.Subjects, clip.Seconds, clip.Sha256, after);
            return Refused(RefusalReason.AudioUnusable, e.Message, remaining, clip.Seconds, clip.Sha256);
        }
        catch (PolicyStoreException e)
        {
            Audit(grant, "identify", RefusalReason.StoreCorrupt, e.Message, grant.Subjects, clip.Seconds, clip.Sha256, after);
            return Refused(RefusalReason.StoreCorrupt, e.Message, remaining, clip.Seconds, clip.Sha256);
        }

        Store.Audit.Append(new AuditEvent
        {
            Event = "identify", Decision = "allow", TokenId = grant.TokenId, CaseReference = grant.CaseReference, Subjects = grant.Subjects,
            AudioDurationSeconds = clip.Seconds, AudioSha256 = clip.Sha256, ModelId = _engine.ModelId,
            Scores = numbers, Matches = matches, Threshold = threshold, UsesAfter = after,
        });
        return new IdentificationOutcome(RefusalReason.None, "identified", scores.AsReadOnly(), _engine.ModelId, threshold, clip.Seconds, clip.Sha256, remaining);
    }

    /// <summary>Deletes voiceprints of grants that expired or were revoked (also done before every use); audited.</summary>
    public RetentionSweepResult SweepRetention() => Store.SweepRetention();

    /// <summary>
    /// Runs <see cref="SweepRetention"/> every <paramref name="interval"/> (on a thread-pool timer) until
    /// the returned handle or this service is disposed, so a long-running host deletes ended grants'
    /// voiceprints without waiting for the next use. A failed sweep is retried at the next tick; every
    /// use still sweeps first and fails closed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Interval under 1 s.</exception>
    public IDisposable StartRetentionTimer(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.FromSeconds(1));
        var timer = new Timer(_ => SweepQuietly(), null, interval, interval);
        lock (_timers) _timers.Add(timer);
        return timer;
    }

    private void SweepQuietly()
    {
        try
        {
            Store.SweepRetention();
        }
#pragma warning disable CA1031 // a timer callback must not crash the host; the next use re-sweeps and fails closed
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    // Re-checks everything that can change after verification. Caller holds the store lock.
    private RefusalReason Precheck(Grant grant, GrantScopes needed, out int remaining, out string detail)
    {
        remaining = 0;
        detail = "";
        try
        {
            // Clock first: a clock set back must not even stamp sweep records.
            if (Store.ClockProblem() is { } clock) return Fail(out detail, RefusalReason.ClockRollback, clock);
            Store.SweepLocked();
        }
        catch (PolicyStoreException e)
        {
            return Fail(out detail, RefusalReason.StoreCorrupt, e.Message);
        }

        if (grant.StoreBinding != Store.Binding) return Fail(out detail, RefusalReason.ForeignGrant, "grant was verified by another sensor store");
        if ((grant.Scopes & needed) == 0)
        {
            return Fail(out detail, RefusalReason.ScopeNotGranted, $"grant does not include scope {GrantScopeNames.Format(needed)}");
        }

        DateTimeOffset now = Store.Time.GetUtcNow();
        if (now + Store.Policy.ClockSkew < grant.NotBefore) return Fail(out detail, RefusalReason.NotYetValid, $"grant valid from {grant.NotBefore:O}");
        if (now - Store.Policy.ClockSkew >= grant.Expires) return Fail(out detail, RefusalReason.Expired, $"grant expired at {grant.Expires:O}");
        if (Store.IsRevoked(grant.TokenId)) return Fail(out detail, RefusalReason.Revoked, $"token {grant.TokenId} was revoked");
        int used;
        try
        {
            used = Store.Uses.Get(grant.TokenId);
        }
        catch (PolicyStoreException e)
        {
            return Fail(out detail, RefusalReason.StoreCorrupt, e.Message);
        }

        remaining = Math.Max(0, grant.MaxUses - used);
        if (remaining == 0) return Fail(out detail, RefusalReason.UsesExhausted, $"token {grant.TokenId} used {used} of {grant.MaxUses} times");
        if (_engine is null) return Fail(out detail, RefusalReason.EngineUnavailable, _engineProblem);
        return RefusalReason.None;

    }

    // The store itself failed; the refusal is logged when the log still accepts records.
    private void TryAuditStoreFailure(string ev, Grant? grant, Exception e)
    {
        try
        {
            using var held = Store.Lock();
            Store.Audit.Append(new AuditEvent
            {
                Event = ev, Decision = "refuse", Reason = RefusalReason.StoreCorrupt.ToCode(), TokenId = grant?.TokenId,
                CaseReference = grant?.CaseReference, Detail = e.Message,
            });
        }
        catch (PolicyStoreException)
        {
            // Nothing more can be done: the caller still gets the refusal.
        }
        catch (IOException)
        {
            // As above.
        }
    }

    private static RefusalReason Fail(out string detail, RefusalReason reason, string why)
    {
        detail = why;
        return reason;
    }

    private void Audit(Grant grant, string ev, RefusalReason reason, string detail, IReadOnlyList<string>? subjects,
        double? seconds = null, string? sha = null, int? usesAfter = null)
    {
        Store.Audit.Append(new AuditEvent
        {
            Event = ev, Decision = "refuse", Reason = reason.ToCode(), TokenId = grant.TokenId, CaseReference = grant.CaseReference,
            Subjects = subjects, AudioDurationSeconds = seconds, AudioSha256 = sha, ModelId = _engine?.ModelId, UsesAfter = usesAfter, Detail = detail,
        });
    }

    private static IdentificationOutcome Refused(RefusalReason reason, string detail, int remaining, double seconds, string? sha) =>
        new(reason, detail, [], null, double.NaN, seconds, sha, remaining);

    private static string CombinedHash(List<GateAudio.Clip> clips)
    {
        var joined = string.Join(",", clips.ConvertAll(c => c.Sha256));
        return StoreFiles.Sha256Hex(joined);
    }

    /// <summary>Stops retention timers and releases the store.</summary>
    public void Dispose()
    {
        lock (_timers)
        {
            foreach (var t in _timers) t.Dispose();
            _timers.Clear();
        }

        Store.Dispose();
    }
}
