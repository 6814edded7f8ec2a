using AcousticCore.Policy;
using Xunit;

namespace AcousticCore.Tests.Policy;

public sealed class StoreTests : IDisposable
{
    private readonly PolicyFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Policy_file_round_trips_and_is_parsed_strictly()
    {
        var p = new DeploymentPolicy { MaxSubjectsPerToken = 3, ClockSkew = TimeSpan.FromSeconds(5), VoiceStressRequiresToken = true };
        var back = DeploymentPolicy.Parse(p.ToJson(), "test");
        Assert.Equal(3, back.MaxSubjectsPerToken);
        Assert.Equal(TimeSpan.FromSeconds(5), back.ClockSkew);
        Assert.True(back.VoiceStressRequiresToken);
        Assert.Equal(TimeSpan.FromDays(30), back.MaxTokenLifetime);

        var e1 = Assert.Throws<PolicyStoreException>(() => DeploymentPolicy.Parse("{\"verify_signatures\":false}", "policy.json"));
        Assert.Contains("unknown key 'verify_signatures'", e1.Message, StringComparison.Ordinal);
        var e2 = Assert.Throws<PolicyStoreException>(() => DeploymentPolicy.Parse("{\"max_subjects_per_token\":1000}", "policy.json"));
        Assert.Contains("MaxSubjectsPerToken", e2.Message, StringComparison.Ordinal);
        Assert.Throws<PolicyStoreException>(() => DeploymentPolicy.Parse("{\"clock_skew_s\":\"60\"}", "policy.json"));
        Assert.Throws<PolicyStoreException>(() => DeploymentPolicy.Parse("{\"clock_skew_s\":60,\"clock_skew_s\":3000}", "policy.json"));
        Assert.Throws<PolicyStoreException>(() => DeploymentPolicy.Parse("[]", "policy.json"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeploymentPolicy { MaxTokenLifetime = TimeSpan.FromDays(400) });
    }

    [Fact]
    public void Corrupt_policy_file_stops_the_store_from_opening()
    {
        _f.Gate.Dispose();
        File.WriteAllText(Path.Combine(_f.Dir, "policy.json"), "{\"max_token_bytes\":0}");
        var e = Assert.Throws<PolicyStoreException>(() => SensorStore.Open(_f.Options));
        Assert.Contains("policy.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Edited_trust_entry_refuses_with_store_corrupt()
    {
        string entry = Directory.GetFiles(Path.Combine(_f.Dir, "trust")).Single();
        using var other = AuthorityKey.Generate("Court-X");
        string json = File.ReadAllText(entry);
        string swapped = json.Replace(System.Text.Json.JsonEncodedText.Encode(_f.Authority.ExportPublicKeyPem()).ToString(),
            System.Text.Json.JsonEncodedText.Encode(other.ExportPublicKeyPem()).ToString(), StringComparison.Ordinal);
        Assert.NotEqual(json, swapped);
        File.WriteAllText(entry, swapped);
        var v = _f.Gate.VerifyToken(_f.Issue());
        Assert.Equal(RefusalReason.StoreCorrupt, v.Reason);
    }

    [Fact]
    public void Store_cannot_be_initialised_twice_and_needs_a_valid_sensor_id()
    {
        Assert.Throws<PolicyStoreException>(() => SensorStore.Initialize(_f.Options, "sensor-2"));
        string dir = Path.Combine(Path.GetTempPath(), "acoustic-bad-" + Guid.NewGuid().ToString("N"));
        Assert.Throws<ArgumentException>(() => SensorStore.Initialize(new PolicyStoreOptions(dir), "*"));
        Assert.Throws<ArgumentException>(() => SensorStore.Initialize(new PolicyStoreOptions(dir), "two words"));
    }

    [Fact]
    public void Trust_add_refuses_non_p256_keys()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        Assert.Throws<PolicyStoreException>(() => _f.Gate.Store.AddTrustedKey(rsa.ExportSubjectPublicKeyInfoPem(), "Court-R"));
        using var p384 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        Assert.Throws<PolicyStoreException>(() => _f.Gate.Store.AddTrustedKey(p384.ExportSubjectPublicKeyInfoPem(), "Court-R"));
        Assert.Single(_f.Gate.Store.TrustedKeys());
    }
}
