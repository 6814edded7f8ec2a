using Xunit;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using AcousticCore.Audio;
using AcousticCore.Identification;
using AcousticCore.Policy;

namespace AcousticCore.Tests.Policy;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;
    public override DateTimeOffset GetUtcNow() => Now;
    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>
/// Test double of the speaker engine: a voiceprint is the tone frequency (Hz, from zero crossings)
/// and the score is 5 - |f - f_voiceprint| / 20, so tones within 100 Hz match (threshold 0).
/// It records every voiceprint it was asked to score.
/// </summary>
internal sealed class ToneSpeakerEngine : ISpeakerEngine
{
    public List<double> ScoredVoiceprints { get; } = [];
    public string ModelId => "tone-test-double-1";
    public double DecisionThreshold => 0.0;

    public byte[] Enrol(IReadOnlyList<float[]> clips, int sampleRate)
    {
        double sum = 0;
        foreach (var c in clips) sum += Frequency(c, sampleRate);
        return BitConverter.GetBytes(sum / clips.Count);
    }

    public double Score(ReadOnlySpan<byte> voiceprint, ReadOnlySpan<float> audio, int sampleRate)
    {
        if (voiceprint.Length != 8) throw new ArgumentException("corrupt voiceprint");
        double fvp = BitConverter.ToDouble(voiceprint);
        ScoredVoiceprints.Add(fvp);
        return 5.0 - Math.Abs(Frequency(audio, sampleRate) - fvp) / 20.0;
    }

    private static double Frequency(ReadOnlySpan<float> x, int rate)
    {
        int crossings = 0;
        for (int i = 1; i < x.Length; i++) if ((x[i - 1] < 0) != (x[i] < 0)) crossings++;
        if (crossings < 4) throw new ArgumentException("no voiced frames");
        return crossings / 2.0 * rate / x.Length;
    }
}

/// <summary>An in-memory mono source.</summary>
internal sealed class MemorySource(float[] samples, int rate = 16000, string name = "memory") : IAudioSource
{
    private int _pos;
    public AudioFormat Format { get; } = new(rate, 1);
    public string Name => name;

    public int Read(Span<float> destination)
    {
        int n = Math.Min(destination.Length, samples.Length - _pos);
        samples.AsSpan(_pos, n).CopyTo(destination);
        _pos += n;
        return n;
    }

    public void Dispose() { }

    public static MemorySource Tone(double hz, double seconds = 1.0, int rate = 16000)
    {
        var s = new float[(int)(seconds * rate)];
        for (int i = 0; i < s.Length; i++) s[i] = (float)(0.5 * Math.Sin(2 * Math.PI * hz * i / rate));
        return new MemorySource(s, rate, $"tone{hz}");
    }
}

/// <summary>A fresh store in a temp folder, an authority trusted by it, and a token crafter.</summary>
internal sealed class PolicyFixture : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public const string Sensor = "sensor-1";
    public const string Issuer = "Court-A";

    public PolicyFixture(DeploymentPolicy? policy = null)
    {
        Dir = Path.Combine(Path.GetTempPath(), "acoustic-policy-" + Guid.NewGuid().ToString("N"));
        Clock = new ManualClock(T0);
        Options = new PolicyStoreOptions(Dir) { TimeProvider = Clock };
        SensorStore.Initialize(Options, Sensor, policy).Dispose();
        Authority = AuthorityKey.Generate(Issuer);
        using (var store = SensorStore.Open(Options)) store.AddTrustedKey(Authority.ExportPublicKeyPem(), Issuer);
        Engine = new ToneSpeakerEngine();
        Gate = VoiceIdentificationService.Open(Options, Engine);
        AuthorityEcdsa = ECDsa.Create();
        AuthorityEcdsa.ImportFromPem(Authority.ExportPrivateKeyPem());
    }

    public string Dir { get; }
    public ManualClock Clock { get; }
    public PolicyStoreOptions Options { get; }
    public AuthorityKey Authority { get; }
    public ECDsa AuthorityEcdsa { get; }
    public ToneSpeakerEngine Engine { get; }
    public VoiceIdentificationService Gate { get; private set; }

    /// <summary>Closes and reopens the gate, as after a process restart.</summary>
    public void Restart()
    {
        Gate.Dispose();
        Gate = VoiceIdentificationService.Open(Options, Engine);
    }

    public string Issue(GrantScopes scopes = GrantScopes.Enrol | GrantScopes.Identify, int maxUses = 10, string[]? subjects = null,
        string? jti = null, TimeSpan? validFor = null, DateTimeOffset? from = null) =>
        Authority.IssueToken(new GrantRequest
        {
            Subjects = subjects ?? ["alice", "bob"],
            Sensors = [Sensor],
            Scopes = scopes,
            CaseReference = "CASE-2026-001",
            Purpose = "test investigation",
            ValidFrom = from ?? T0 - TimeSpan.FromMinutes(5),
            ValidFor = validFor ?? TimeSpan.FromDays(7),
            MaxUses = maxUses,
            TokenId = jti,
        });

    public Grant Verify(string token)
    {
        var v = Gate.VerifyToken(token);
        Assert.True(v.IsGranted, v.ReasonCode + ": " + v.Detail);
        return v.Grant!;
    }

    /// <summary>A default claim set as a mutable dictionary, for crafting bad tokens by hand.</summary>
    public static Dictionary<string, object?> Claims() => new()
    {
        ["iss"] = Issuer,
        ["aud"] = new[] { Sensor },
        ["nbf"] = (T0 - TimeSpan.FromMinutes(5)).ToUnixTimeSeconds(),
        ["exp"] = (T0 + TimeSpan.FromDays(7)).ToUnixTimeSeconds(),
        ["jti"] = "tok-" + Guid.NewGuid().ToString("N"),
        ["scope"] = "voice:enrol voice:identify",
        ["subjects"] = new[] { "alice", "bob" },
        ["case"] = "CASE-2026-001",
        ["purpose"] = "test investigation",
        ["max_uses"] = 10,
    };

    public Dictionary<string, object?> Header() => new()
    {
        ["alg"] = "ES256",
        ["typ"] = "acoustic-grant+jwt",
        ["kid"] = Authority.KeyId,
    };

    /// <summary>Signs header.payload by hand with ES256 (P1363 signature, as JWS requires).</summary>
    public static string SignEs256(Dictionary<string, object?> header, Dictionary<string, object?> claims, ECDsa key)
    {
        string input = Encode(header) + "." + Encode(claims);
        byte[] sig = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + Base64Url.EncodeToString(sig);
    }

    public string Craft(Action<Dictionary<string, object?>>? claims = null, Action<Dictionary<string, object?>>? header = null)
    {
        var c = Claims();
        claims?.Invoke(c);
        var h = Header();
        header?.Invoke(h);
        return SignEs256(h, c, AuthorityEcdsa);
    }

    public static string Encode(object value) => Base64Url.EncodeToString(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value));

    public void Dispose()
    {
        Gate.Dispose();
        Authority.Dispose();
        AuthorityEcdsa.Dispose();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
