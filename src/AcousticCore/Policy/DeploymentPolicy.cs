using System.Text.Json;

namespace AcousticCore.Policy;

/// <summary>
/// Deployment policy limits (stored as <c>policy.json</c> in the sensor store). Every value is
/// validated; nothing here can switch verification or the gate off: identification can never be
/// configured open.
/// </summary>
public sealed class DeploymentPolicy
{
    /// <summary>The defaults: 30-day lifetime, 10 subjects, 60 s skew, 1000 uses, 8 KiB tokens.</summary>
    public static DeploymentPolicy Default { get; } = new();

    /// <summary>Longest allowed <c>exp - nbf</c> of a token. Default 30 days; 1 minute..366 days.</summary>
    public TimeSpan MaxTokenLifetime { get; init => field = Check(value, TimeSpan.FromMinutes(1), TimeSpan.FromDays(366), nameof(MaxTokenLifetime)); } = TimeSpan.FromDays(30);

    /// <summary>Most subjects one token may name. Default 10; 1..100.</summary>
    public int MaxSubjectsPerToken { get; init => field = Check(value, 1, 100, nameof(MaxSubjectsPerToken)); } = 10;

    /// <summary>Clock difference tolerated on <c>nbf</c>/<c>exp</c>. Default 60 s; 0..300 s.</summary>
    public TimeSpan ClockSkew { get; init => field = Check(value, TimeSpan.Zero, TimeSpan.FromSeconds(300), nameof(ClockSkew)); } = TimeSpan.FromSeconds(60);

    /// <summary>Highest <c>max_uses</c> a token may carry. Default 1000; 1..1 000 000.</summary>
    public int MaxUsesPerToken { get; init => field = Check(value, 1, 1_000_000, nameof(MaxUsesPerToken)); } = 1000;

    /// <summary>Longest token accepted, in bytes, checked before parsing. Default 8192; 1024..65536.</summary>
    public int MaxTokenBytes { get; init => field = Check(value, 1024, 65536, nameof(MaxTokenBytes)); } = 8192;

    /// <summary>Longest audio one gate operation reads, in seconds. Default 600; 1..3600.</summary>
    public double MaxAudioSeconds { get; init => field = Check(value, 1.0, 3600.0, nameof(MaxAudioSeconds)); } = 600.0;

    /// <summary>A signed checkpoint record is written after this many audit records. Default 16; 1..10000.</summary>
    public int AuditCheckpointInterval { get; init => field = Check(value, 1, 10_000, nameof(AuditCheckpointInterval)); } = 16;

    /// <summary>Whether voice stress features (jitter, shimmer, tremor) also require a grant. Default false.</summary>
    public bool VoiceStressRequiresToken { get; init; }

    /// <summary>Parses a policy file strictly: unknown keys, wrong types and out-of-range values are errors.</summary>
    /// <exception cref="PolicyStoreException">The text is not a valid policy; the message names the key.</exception>
    public static DeploymentPolicy Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        var policy = new DeploymentPolicy();
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 4 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new PolicyStoreException(source, "policy must be a JSON object");
            }

            foreach (var p in doc.RootElement.EnumerateObject())
            {
                policy = p.Name switch
                {
                    "max_token_lifetime_s" => new DeploymentPolicy(policy) { MaxTokenLifetime = TimeSpan.FromSeconds(Number(p, source)) },
                    "max_subjects_per_token" => new DeploymentPolicy(policy) { MaxSubjectsPerToken = Integer(p, source) },
                    "clock_skew_s" => new DeploymentPolicy(policy) { ClockSkew = TimeSpan.FromSeconds(Number(p, source)) },
                    "max_uses_per_token" => new DeploymentPolicy(policy) { MaxUsesPerToken = Integer(p, source) },
                    "max_token_bytes" => new DeploymentPolicy(policy) { MaxTokenBytes = Integer(p, source) },
                    "max_audio_s" => new DeploymentPolicy(policy) { MaxAudioSeconds = Number(p, source) },
                    "audit_checkpoint_interval" => new DeploymentPolicy(policy) { AuditCheckpointInterval = Integer(p, source) },
                    "voice_stress_requires_token" => new DeploymentPolicy(policy) { VoiceStressRequiresToken = Boolean(p, source) },
                    _ => throw new PolicyStoreException(source, $"unknown key '{p.Name}'"),
                };
            }
        }
        catch (JsonException e)
        {
            throw new PolicyStoreException(source, $"not valid JSON ({e.Message})", e);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new PolicyStoreException(source, e.Message, e);
        }

        return policy;
    }

    /// <summary>The policy as JSON with the same keys <see cref="Parse"/> reads.</summary>
    public string ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("max_token_lifetime_s", MaxTokenLifetime.TotalSeconds);
            w.WriteNumber("max_subjects_per_token", MaxSubjectsPerToken);
            w.WriteNumber("clock_skew_s", ClockSkew.TotalSeconds);
            w.WriteNumber("max_uses_per_token", MaxUsesPerToken);
            w.WriteNumber("max_token_bytes", MaxTokenBytes);
            w.WriteNumber("max_audio_s", MaxAudioSeconds);
            w.WriteNumber("audit_checkpoint_interval", AuditCheckpointInterval);
            w.WriteBoolean("voice_stress_requires_token", VoiceStressRequiresToken);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Creates the default policy.</summary>
    public DeploymentPolicy()
    {
    }

    private DeploymentPolicy(DeploymentPolicy other)
    {
        MaxTokenLifetime = other.MaxTokenLifetime;
        MaxSubjectsPerToken = other.MaxSubjectsPerToken;
        ClockSkew = other.ClockSkew;
        MaxUsesPerToken = other.MaxUsesPerToken;
        MaxTokenBytes = other.MaxTokenBytes;
        MaxAudioSeconds = other.MaxAudioSeconds;
        AuditCheckpointInterval = other.AuditCheckpointInterval;
        VoiceStressRequiresToken = other.VoiceStressRequiresToken;
    }

    private static double Number(JsonProperty p, string source)
    {
        if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDouble(out double v) || !double.IsFinite(v))
        {
            throw new PolicyStoreException(source, $"'{p.Name}' must be a number");
        }

        return v;
    }

    private static int Integer(JsonProperty p, string source)
    {
        if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out int v))
        {
            throw new PolicyStoreException(source, $"'{p.Name}' must be an integer");
        }

        return v;
    }

    private static bool Boolean(JsonProperty p, string source) => p.Value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new PolicyStoreException(source, $"'{p.Name}' must be true or false"),
    };

    private static T Check<T>(T value, T min, T max, string name) where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be within {min}..{max}.");
        }

        return value;
    }
}
