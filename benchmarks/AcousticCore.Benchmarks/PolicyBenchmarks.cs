using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using AcousticCore.Audio;
using AcousticCore.Identification;
using AcousticCore.Policy;
using BenchmarkDotNet.Attributes;

namespace AcousticCore.Benchmarks;

/// <summary>
/// Policy costs. Token verification: the bare ES256 signature check (baseline) vs the full verifier
/// (strict parse, header checks, IdentityModel signature validation, claims, revocation, use counter)
/// vs the gate's audited VerifyToken (adds the store lock and an fsync'd audit append).
/// Identification: one 3 s clip against a grant naming 10 enrolled subjects through the gate, with the
/// default GMM-UBM engine (RealEngine = true) and with a constant-score engine, whose figure is the
/// gate's own overhead (sweep, checks, counter, 10 decryptions, audit).
/// </summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private string _dir = "";
    private string _token = "";
    private ECDsa _publicKey = null!;
    private byte[] _signingInput = [];
    private byte[] _signature = [];
    private TokenVerifier _verifier = null!;
    private VoiceIdentificationService _gate = null!;
    private Grant _grant = null!;
    private float[] _clip = [];

    /// <summary>True: the default GMM-UBM engine; false: a constant-score engine, so the figure is the gate's own overhead.</summary>
    [Params(false, true)]
    public bool RealEngine { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "acoustic-bench-" + Guid.NewGuid().ToString("N"));
        var options = new PolicyStoreOptions(_dir);
        SensorStore.Initialize(options, "bench-sensor", new DeploymentPolicy { MaxUsesPerToken = 1_000_000 }).Dispose();
        using var authority = AuthorityKey.Generate("Bench-Court");
        var subjects = Enumerable.Range(0, 10).Select(i => "subject-" + i).ToArray();
        _token = authority.IssueToken(new GrantRequest
        {
            Subjects = subjects, Sensors = ["bench-sensor"], Scopes = GrantScopes.Enrol | GrantScopes.Identify,
            CaseReference = "BENCH-1", Purpose = "benchmark", ValidFrom = DateTimeOffset.UtcNow.AddMinutes(-1),
            ValidFor = TimeSpan.FromDays(1), MaxUses = 1_000_000,
        });
        using (var store = SensorStore.Open(options)) store.AddTrustedKey(authority.ExportPublicKeyPem(), "Bench-Court");

        _publicKey = ECDsa.Create();
        _publicKey.ImportFromPem(authority.ExportPublicKeyPem());
        int lastDot = _token.LastIndexOf('.');
        _signingInput = Encoding.ASCII.GetBytes(_token[..lastDot]);
        _signature = Base64Url.DecodeFromChars(_token.AsSpan(lastDot + 1));

        ISpeakerEngine engine = RealEngine
            ? (SpeakerEngines.Default ?? throw new InvalidOperationException("no default speaker engine")).Invoke()
            : new ConstantEngine();
        _gate = VoiceIdentificationService.Open(options, engine);
        _verifier = _gate.Store.CreateVerifier();
        var verified = _gate.VerifyToken(_token);
        _grant = verified.Grant ?? throw new InvalidOperationException("benchmark token refused: " + verified.ReasonCode + ": " + verified.Detail);
        _clip = Voiced(3, seed: 7);
        float[] enrolment = Voiced(6, seed: 11);
        foreach (string s in subjects)
        {
            var r = _gate.Enrol(_grant, s, [new MemoryAudioSource(enrolment)]);
            if (!r.IsAllowed) throw new InvalidOperationException("enrolment failed: " + r.Detail);
        }
    }

    // A voice-like signal: a gliding 110-150 Hz pulse train through two formant-ish resonances, with pauses.
    private static float[] Voiced(double seconds, int seed)
    {
        var rng = new Random(seed);
        var x = new float[(int)(seconds * 16000)];
        double phase = 0, y1 = 0, y2 = 0, z1 = 0, z2 = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double t = i / 16000.0;
            double f0 = 130 + 20 * Math.Sin(2 * Math.PI * 0.7 * t);
            phase += f0 / 16000;
            double pulse = phase >= 1 ? 1 : 0;
            if (phase >= 1) phase -= 1;
            double gate = Math.Sin(2 * Math.PI * 1.5 * t) > -0.6 ? 1 : 0;
            double e = gate * pulse + 0.002 * (rng.NextDouble() - 0.5);
            double y = e + 1.8 * Math.Cos(2 * Math.PI * 700 / 16000) * 0.97 * y1 - 0.97 * 0.97 * y2;
            y2 = y1; y1 = y;
            double z = y + 1.8 * Math.Cos(2 * Math.PI * 1200 / 16000) * 0.95 * z1 - 0.95 * 0.95 * z2;
            z2 = z1; z1 = z;
            x[i] = (float)(0.01 * z);
        }

        return x;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _gate.Dispose();
        _publicKey.Dispose();
        Directory.Delete(_dir, true);
    }

    [Benchmark(Baseline = true, Description = "ES256 signature check only")]
    public bool SignatureOnly() => _publicKey.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256);

    [Benchmark(Description = "TokenVerifier.Verify (all checks)")]
    public bool VerifyToken() => _verifier.Verify(_token).IsGranted;

    [Benchmark(Description = "Gate VerifyToken (+lock, audit append)")]
    public bool GateVerifyToken() => _gate.VerifyToken(_token).IsGranted;

    [Benchmark(Description = "Identify 3 s clip vs 10 subjects")]
    public int Identify3sAgainst10() => _gate.Identify(_grant, new MemoryAudioSource(_clip)).Scores.Count;

    private sealed class ConstantEngine : ISpeakerEngine
    {
        public string ModelId => "constant";
        public double DecisionThreshold => 0;
        public byte[] Enrol(IReadOnlyList<float[]> clips, int sampleRate) => new byte[4096];
        public double Score(ReadOnlySpan<byte> voiceprint, ReadOnlySpan<float> audio, int sampleRate) => voiceprint.Length;
    }
}
