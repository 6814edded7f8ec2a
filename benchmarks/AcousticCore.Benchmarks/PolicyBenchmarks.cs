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
/// registered engine when one is installed (SpeakerEngines.Default), else a constant-score engine so
/// the figure is the gate's own overhead (sweep, checks, counter, 10 decryptions, audit).
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

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "acoustic-bench-" + Guid.NewGuid().ToString("N"));
        var options = new PolicyStoreOptions(_dir);
        SensorStore.Initialize(options, "bench-sensor").Dispose();
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

        ISpeakerEngine engine = SpeakerEngines.Default?.Invoke() ?? new ConstantEngine();
        _gate = VoiceIdentificationService.Open(options, engine);
        _verifier = _gate.Store.CreateVerifier();
        _grant = _gate.VerifyToken(_token).Grant ?? throw new InvalidOperationException("benchmark token refused");
        var rng = new Random(7);
        _clip = new float[3 * 16000];
        for (int i = 0; i < _clip.Length; i++) _clip[i] = (float)(0.3 * Math.Sin(2 * Math.PI * (120 + 30 * Math.Sin(i / 4000.0)) * i / 16000) + 0.01 * (rng.NextDouble() - 0.5));
        foreach (string s in subjects)
        {
            var r = _gate.Enrol(_grant, s, [new ArraySource(_clip)]);
            if (!r.IsAllowed) throw new InvalidOperationException("enrolment failed: " + r.Detail);
        }
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
    public int Identify3sAgainst10() => _gate.Identify(_grant, new ArraySource(_clip)).Scores.Count;

    private sealed class ConstantEngine : ISpeakerEngine
    {
        public string ModelId => "constant";
        public double DecisionThreshold => 0;
        public byte[] Enrol(IReadOnlyList<float[]> clips, int sampleRate) => new byte[4096];
        public double Score(ReadOnlySpan<byte> voiceprint, ReadOnlySpan<float> audio, int sampleRate) => voiceprint.Length;
    }

    private sealed class ArraySource(float[] samples) : IAudioSource
    {
        private int _pos;
        public AudioFormat Format { get; } = new(16000, 1);
        public string Name => "bench";
        public int Read(Span<float> destination)
        {
            int n = Math.Min(destination.Length, samples.Length - _pos);
            samples.AsSpan(_pos, n).CopyTo(destination);
            _pos += n;
            return n;
        }

        public void Dispose() { }
    }
}
