using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace AcousticCore.Policy;

/// <summary>
/// A sensor's policy state in one owner-only directory: sensor id and signing key, deployment
/// policy, trust store, revocations, use counters, encrypted voiceprints and the audit log.
/// Anything unreadable or inconsistent raises <see cref="PolicyStoreException"/>: fail closed.
/// </summary>
public sealed class SensorStore : IDisposable
{
    private const string SensorFile = "sensor.json";
    private const string SensorKeyFile = "sensor.key.pem";
    private const string SensorPublicFile = "sensor.pub.pem";
    private const string PolicyFile = "policy.json";

    private readonly ECDsa _sensorKey;
    private readonly RevocationList _revocations;

    private SensorStore(PolicyStoreOptions options, string sensorId, DeploymentPolicy policy, ECDsa sensorKey)
    {
        Directory = options.Directory;
        Time = options.TimeProvider;
        SensorId = sensorId;
        Policy = policy;
        _sensorKey = sensorKey;
        Trust = new TrustStore(System.IO.Path.Combine(Directory, "trust"));
        _revocations = new RevocationList(System.IO.Path.Combine(Directory, "revoked.json"));
        Vault = new VoiceprintVault(System.IO.Path.Combine(Directory, "voiceprints"));
        Audit = new AuditLog(AuditLogPath, AuditHeadPath, sensorKey, sensorId, policy.AuditCheckpointInterval, Time);
        Uses = new UseCounter(System.IO.Path.Combine(Directory, "uses"), Audit.RecordedUses);
    }

    /// <summary>Absolute path of the store.</summary>
    public string Directory { get; }

    /// <summary>This sensor's id: tokens must name it in their audience.</summary>
    public string SensorId { get; }

    /// <summary>The deployment policy read from <c>policy.json</c>.</summary>
    public DeploymentPolicy Policy { get; }

    /// <summary>The sensor's public key (PEM) that verifies its audit checkpoints.</summary>
    public string SensorPublicKeyPem => _sensorKey.ExportSubjectPublicKeyInfoPem();

    /// <summary>Path of the audit log (JSON lines).</summary>
    public string AuditLogPath => System.IO.Path.Combine(Directory, "audit.jsonl");

    /// <summary>Path of the signed audit head.</summary>
    public string AuditHeadPath => System.IO.Path.Combine(Directory, "audit.head");

    /// <summary>Token ids revoked so far.</summary>
    public IReadOnlyCollection<string> RevokedTokenIds => _revocations.TokenIds;

    internal TimeProvider Time { get; }
    internal TrustStore Trust { get; }
    internal UseCounter Uses { get; }
    internal VoiceprintVault Vault { get; }
    internal AuditLog Audit { get; }
    internal string Binding => Directory + "|" + SensorId;

    /// <summary>Creates a new store: sensor id, sensor signing key (owner-only), default or given policy.</summary>
    /// <exception cref="ArgumentException">The sensor id is not 1..64 of A-Z a-z 0-9 . _ - : @.</exception>
    /// <exception cref="PolicyStoreException">A store already exists there.</exception>
    public static SensorStore Initialize(PolicyStoreOptions options, string sensorId, DeploymentPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!TokenVerifier.IsValidSubjectId(sensorId) || TokenVerifier.IsWildcard(sensorId))
        {
            throw new ArgumentException("Sensor id must be 1..64 of A-Z a-z 0-9 . _ - : @.", nameof(sensorId));
        }

        string dir = options.Directory;
        if (File.Exists(System.IO.Path.Combine(dir, SensorFile)))
        {
            throw new PolicyStoreException(dir, "a sensor store already exists here");
        }

        StoreFiles.CreatePrivateDirectory(dir);
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            StoreFiles.WriteAtomic(System.IO.Path.Combine(dir, SensorKeyFile), key.ExportPkcs8PrivateKeyPem());
            StoreFiles.WriteAtomic(System.IO.Path.Combine(dir, SensorPublicFile), key.ExportSubjectPublicKeyInfoPem());
        }

        StoreFiles.WriteAtomic(System.IO.Path.Combine(dir, PolicyFile), (policy ?? DeploymentPolicy.Default).ToJson());
        StoreFiles.WriteAtomic(System.IO.Path.Combine(dir, SensorFile), string.Create(CultureInfo.InvariantCulture,
            $"{{\"format\":1,\"sensor_id\":\"{sensorId}\",\"created_utc\":\"{options.TimeProvider.GetUtcNow().UtcDateTime:O}\"}}\n"));
        var store = Open(options);
        store.Audit.Append(new AuditEvent { Event = "store_initialized", Decision = "allow" });
        return store;
    }

    /// <summary>Opens an existing store, checking every file it needs.</summary>
    /// <exception cref="PolicyStoreException">Missing, unreadable or inconsistent store.</exception>
    public static SensorStore Open(PolicyStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string dir = options.Directory;
        string sensorFile = System.IO.Path.Combine(dir, SensorFile);
        if (!File.Exists(sensorFile))
        {
            throw new PolicyStoreException(dir, "no sensor store here (create one with 'acoustic trust init --sensor ID')");
        }

        string sensorId;
        try
        {
            using var doc = JsonDocument.Parse(StoreFiles.ReadSmall(sensorFile, 4096));
            sensorId = doc.RootElement.GetProperty("sensor_id").GetString() ?? "";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new PolicyStoreException(sensorFile, "sensor file is corrupt", e);
        }

        if (!TokenVerifier.IsValidSubjectId(sensorId)) throw new PolicyStoreException(sensorFile, "sensor id is invalid");
        string policyPath = System.IO.Path.Combine(dir, PolicyFile);
        DeploymentPolicy policy = File.Exists(policyPath)
            ? DeploymentPolicy.Parse(System.Text.Encoding.UTF8.GetString(StoreFiles.ReadSmall(policyPath, 65536)), policyPath)
            : throw new PolicyStoreException(policyPath, "policy file is missing");

        string keyPath = System.IO.Path.Combine(dir, SensorKeyFile);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(System.Text.Encoding.UTF8.GetString(StoreFiles.ReadSmall(keyPath, 16384)));
            return new SensorStore(options, sensorId, policy, key);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or FileNotFoundException)
        {
            key.Dispose();
            throw new PolicyStoreException(keyPath, "sensor signing key is missing or unreadable", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The trusted authority keys.</summary>
    public IReadOnlyList<TrustedKey> TrustedKeys() => Trust.Load();

    /// <summary>Adds an authority public key (PEM, P-256) for <paramref name="issuer"/>; audited.</summary>
    /// <exception cref="PolicyStoreException">The PEM is not a P-256 public key.</exception>
    public TrustedKey AddTrustedKey(string publicKeyPem, string issuer)
    {
        ArgumentNullException.ThrowIfNull(publicKeyPem);
        using var held = Lock();
        var entry = Trust.Add(publicKeyPem, issuer, Time.GetUtcNow());
        Audit.Append(new AuditEvent { Event = "trust_added", Decision = "allow", Detail = $"kid {entry.KeyId} issuer {entry.Issuer}" });
        return entry;
    }

    /// <summary>
    /// Verifies a signed revocation entry against the trust store and, when valid, revokes the
    /// token id it names and deletes that grant's voiceprints. Audited either way.
    /// </summary>
    public TokenVerification ImportRevocation(string entry)
    {
        using var held = Lock();
        var verifier = CreateVerifier();
        var result = verifier.VerifyRevocation(entry, out string? revoked);
        if (revoked is null)
        {
            Audit.Append(new AuditEvent { Event = "revocation_import", Decision = "refuse", Reason = result.ReasonCode, Detail = result.Detail });
            return result;
        }

        _revocations.Add(revoked);
        Audit.Append(new AuditEvent { Event = "revocation_import", Decision = "allow", TokenId = revoked });
        SweepLocked();
        return result;
    }

    /// <summary>Checks the audit log with this sensor's public key.</summary>
    public AuditVerification VerifyAudit() => AuditLogVerifier.Verify(AuditLogPath, AuditHeadPath, SensorPublicKeyPem);

    internal TokenVerifier CreateVerifier() =>
        new(Trust.Load(), Policy, SensorId, Binding, IsRevoked, Uses.Get, Time);

    /// <summary>
    /// Null when the clock is plausible; else why not. A clock behind the newest audit record (by
    /// more than the skew) could revive expired tokens, so it refuses.
    /// </summary>
    internal string? ClockProblem()
    {
        DateTimeOffset? last = Audit.RefreshLastTime();
        DateTimeOffset now = Time.GetUtcNow();
        if (last is { } t && now + Policy.ClockSkew < t)
        {
            return $"clock reads {now:O}, behind the newest audit record at {t:O}";
        }

        return null;
    }

    internal bool IsRevoked(string jti)
    {
        _revocations.Reload();
        return _revocations.Contains(jti);
    }

    /// <summary>Deletes voiceprints of ended grants and audits each deletion. Caller holds the lock.</summary>
    internal RetentionSweepResult SweepLocked()
    {
        _revocations.Reload();
        var removed = Vault.Sweep(Time.GetUtcNow(), _revocations.Contains);
        int files = 0;
        foreach (var r in removed)
        {
            files += r.Files;
            Audit.Append(new AuditEvent
            {
                Event = "voiceprints_deleted", Decision = "allow", TokenId = r.Jti, CaseReference = r.Case, Subjects = r.Subjects,
                Detail = string.Create(CultureInfo.InvariantCulture, $"{r.Files} voiceprint(s) and the grant key destroyed: grant ended"),
            });
        }

        return new RetentionSweepResult(removed.Count, files);
    }

    /// <summary>Deletes voiceprints of every grant that expired or was revoked; audited.</summary>
    public RetentionSweepResult SweepRetention()
    {
        using var held = Lock();
        return SweepLocked();
    }

    /// <summary>Takes the store's inter-process lock (waits up to 10 s).</summary>
    internal IDisposable Lock()
    {
        string path = System.IO.Path.Combine(Directory, "store.lock");
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                return new FileStream(path, options);
            }
            catch (IOException) when (attempt < 100)
            {
                Thread.Sleep(100);
            }
            catch (IOException e)
            {
                throw new PolicyStoreException(path, "store is busy (another process holds the lock)", e);
            }
        }
    }

    /// <summary>Releases the sensor key.</summary>
    public void Dispose() => _sensorKey.Dispose();
}

/// <summary>What a retention sweep destroyed.</summary>
public sealed class RetentionSweepResult
{
    internal RetentionSweepResult(int grantsEnded, int voiceprintsDeleted)
    {
        GrantsEnded = grantsEnded;
        VoiceprintsDeleted = voiceprintsDeleted;
    }

    /// <summary>Grant folders removed (expired or revoked), each with its encryption key.</summary>
    public int GrantsEnded { get; }

    /// <summary>Voiceprint files removed with them.</summary>
    public int VoiceprintsDeleted { get; }
}
