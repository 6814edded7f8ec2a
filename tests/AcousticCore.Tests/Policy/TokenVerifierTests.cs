using Xunit;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using AcousticCore.Policy;

namespace AcousticCore.Tests.Policy;

public sealed class TokenVerifierTests : IDisposable
{
    private readonly PolicyFixture _f = new();

    public void Dispose() => _f.Dispose();

    private void Refused(string? token, RefusalReason expected)
    {
        var v = _f.Gate.VerifyToken(token);
        Assert.False(v.IsGranted);
        Assert.Null(v.Grant);
        Assert.Equal(expected, v.Reason);
        // Every refusal is audited with its reason code.
        string last = File.ReadLines(_f.Gate.Store.AuditLogPath).Last();
        Assert.Contains("\"event\":\"verify\"", last, StringComparison.Ordinal);
        Assert.Contains("\"decision\":\"refuse\"", last, StringComparison.Ordinal);
        Assert.Contains($"\"reason\":\"{expected.ToCode()}\"", last, StringComparison.Ordinal);
    }

    [Fact]
    public void Library_issued_token_is_granted_with_its_claims()
    {
        string token = _f.Issue(jti: "tok-good");
        var v = _f.Gate.VerifyToken(token);
        Assert.True(v.IsGranted, v.Detail);
        var g = v.Grant!;
        Assert.Equal("tok-good", g.TokenId);
        Assert.Equal(PolicyFixture.Issuer, g.Issuer);
        Assert.Equal(_f.Authority.KeyId, g.KeyId);
        Assert.Equal(PolicyFixture.Sensor, g.SensorId);
        Assert.Equal(new[] { "alice", "bob" }, g.Subjects);
        Assert.Equal(GrantScopes.Enrol | GrantScopes.Identify, g.Scopes);
        Assert.Equal("CASE-2026-001", g.CaseReference);
        Assert.Equal(10, g.MaxUses);
        Assert.Equal(TimeSpan.FromDays(7), g.Expires - g.NotBefore);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), g.TokenSha256);
        // The header the library wrote pins our type and key id.
        string header = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[0]));
        Assert.Contains("\"typ\":\"acoustic-grant+jwt\"", header, StringComparison.Ordinal);
        Assert.Contains("\"alg\":\"ES256\"", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Hand_signed_valid_token_is_granted() => Assert.True(_f.Gate.VerifyToken(_f.Craft()).IsGranted);

    [Fact]
    public void No_token() => Refused("", RefusalReason.NoToken);

    [Fact]
    public void Garbage_is_malformed()
    {
        Refused("this is not a token", RefusalReason.Malformed);
        Refused("a.b.c", RefusalReason.Malformed);
        Refused("a.b.c.d.e", RefusalReason.Malformed);
        Refused(PolicyFixture.Encode(new { alg = "ES256" }) + ".!!!.sig", RefusalReason.Malformed);
    }

    [Fact]
    public void Duplicate_claim_names_are_malformed()
    {
        // Two "subjects" members: parsers disagree on which wins, so the token is refused outright.
        string header = PolicyFixture.Encode(_f.Header());
        string json = System.Text.Json.JsonSerializer.Serialize(PolicyFixture.Claims());
        json = json[..^1] + ",\"subjects\":[\"carol\"]}";
        string input = header + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        byte[] sig = _f.AuthorityEcdsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256);
        Refused(input + "." + Base64Url.EncodeToString(sig), RefusalReason.Malformed);
    }

    [Fact]
    public void Oversized_token_of_one_megabyte_is_refused_before_parsing() =>
        Refused(new string('A', 1 << 20), RefusalReason.TokenTooLarge);

    [Fact]
    public void Ten_thousand_subjects_is_refused()
    {
        var many = Enumerable.Range(0, 10_000).Select(i => "s" + i).ToArray();
        Refused(_f.Craft(c => c["subjects"] = many), RefusalReason.TokenTooLarge);
    }

    [Fact]
    public void Alg_none_unsigned_token_is_refused()
    {
        string token = PolicyFixture.Encode(new Dictionary<string, object> { ["alg"] = "none", ["typ"] = "acoustic-grant+jwt", ["kid"] = _f.Authority.KeyId })
                       + "." + PolicyFixture.Encode(PolicyFixture.Claims()) + ".";
        Refused(token, RefusalReason.AlgorithmNotAllowed);
    }

    [Fact]
    public void Hs256_signed_with_the_public_key_as_secret_is_refused()
    {
        var header = _f.Header();
        header["alg"] = "HS256";
        string input = PolicyFixture.Encode(header) + "." + PolicyFixture.Encode(PolicyFixture.Claims());
        byte[] secret = Encoding.ASCII.GetBytes(_f.Authority.ExportPublicKeyPem());
        byte[] mac = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input));
        Refused(input + "." + Base64Url.EncodeToString(mac), RefusalReason.AlgorithmNotAllowed);
    }

    [Fact]
    public void Other_asymmetric_algorithm_is_refused() =>
        Refused(_f.Craft(header: h => h["alg"] = "ES384"), RefusalReason.AlgorithmNotAllowed);

    [Fact]
    public void Valid_signature_from_an_untrusted_key_is_refused_as_unknown_key()
    {
        using var rogue = AuthorityKey.Generate(PolicyFixture.Issuer);
        string token = rogue.IssueToken(new GrantRequest
        {
            Subjects = ["alice"], Sensors = [PolicyFixture.Sensor], Scopes = GrantScopes.Identify, CaseReference = "X", Purpose = "Y",
            ValidFrom = PolicyFixture.T0, ValidFor = TimeSpan.FromDays(1), MaxUses = 1,
        });
        Refused(token, RefusalReason.UnknownKey);
    }

    [Fact]
    public void Missing_kid_is_unknown_key() => Refused(_f.Craft(header: h => h.Remove("kid")), RefusalReason.UnknownKey);

    [Fact]
    public void Untrusted_key_claiming_the_trusted_kid_is_a_bad_signature()
    {
        using var rogue = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Refused(PolicyFixture.SignEs256(_f.Header(), PolicyFixture.Claims(), rogue), RefusalReason.BadSignature);
    }

    [Fact]
    public void Key_material_in_the_header_is_not_accepted() =>
        Refused(_f.Craft(header: h => h["jwk"] = new { kty = "EC" }), RefusalReason.Malformed);

    [Fact]
    public void Payload_altered_after_signing_is_a_bad_signature()
    {
        string token = _f.Issue();
        var parts = token.Split('.');
        var claims = PolicyFixture.Claims();
        claims["subjects"] = new[] { "alice", "bob", "carol" };
        Refused(parts[0] + "." + PolicyFixture.Encode(claims) + "." + parts[2], RefusalReason.BadSignature);
    }

    [Fact]
    public void Signature_stripped_is_a_bad_signature()
    {
        string token = _f.Issue();
        Refused(token[..(token.LastIndexOf('.') + 1)], RefusalReason.BadSignature);
    }

    [Fact]
    public void Wrong_type_is_refused()
    {
        Refused(_f.Craft(header: h => h["typ"] = "JWT"), RefusalReason.WrongType);
        // A revocation entry is signed by the same key but is not a grant.
        Refused(_f.Authority.CreateRevocation("tok-x", PolicyFixture.T0), RefusalReason.WrongType);
    }

    [Fact]
    public void Wrong_issuer_is_refused() => Refused(_f.Craft(c => c["iss"] = "Court-B"), RefusalReason.WrongIssuer);

    [Fact]
    public void Wrong_audience_is_refused()
    {
        Refused(_f.Craft(c => c["aud"] = new[] { "sensor-2" }), RefusalReason.WrongAudience);
        Refused(_f.Craft(c => c.Remove("aud")), RefusalReason.WrongAudience);
    }

    [Fact]
    public void Single_string_audience_is_accepted() => Assert.True(_f.Gate.VerifyToken(_f.Craft(c => c["aud"] = PolicyFixture.Sensor)).IsGranted);

    [Fact]
    public void Missing_lifetime_is_refused() => Refused(_f.Craft(c => c.Remove("exp")), RefusalReason.MissingLifetime);

    [Fact]
    public void Expired_is_refused()
    {
        string token = _f.Issue(from: PolicyFixture.T0 - TimeSpan.FromDays(2), validFor: TimeSpan.FromDays(1));
        Refused(token, RefusalReason.Expired);
    }

    [Fact]
    public void Not_yet_valid_is_refused() => Refused(_f.Issue(from: PolicyFixture.T0 + TimeSpan.FromHours(1)), RefusalReason.NotYetValid);

    [Fact]
    public void Clock_skew_inside_the_allowance_is_tolerated_and_beyond_it_refused()
    {
        // Policy skew is 60 s. exp 30 s ago: accepted; exp 61 s ago: expired.
        long now = PolicyFixture.T0.ToUnixTimeSeconds();
        Assert.True(_f.Gate.VerifyToken(_f.Craft(c => { c["nbf"] = now - 3600; c["exp"] = now - 30; })).IsGranted);
        Refused(_f.Craft(c => { c["nbf"] = now - 3600; c["exp"] = now - 61; }), RefusalReason.Expired);
        Assert.True(_f.Gate.VerifyToken(_f.Craft(c => c["nbf"] = now + 30)).IsGranted);
        Refused(_f.Craft(c => c["nbf"] = now + 61), RefusalReason.NotYetValid);
    }

    [Fact]
    public void Lifetime_above_the_policy_maximum_is_refused()
    {
        Refused(_f.Issue(validFor: TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1)), RefusalReason.LifetimeTooLong);
        Assert.True(_f.Gate.VerifyToken(_f.Issue(validFor: TimeSpan.FromDays(30))).IsGranted);
    }

    [Fact]
    public void Missing_jti_is_refused() => Refused(_f.Craft(c => c.Remove("jti")), RefusalReason.MissingJti);

    [Fact]
    public void Missing_or_unknown_scope_is_refused()
    {
        Refused(_f.Craft(c => c.Remove("scope")), RefusalReason.MissingScope);
        Refused(_f.Craft(c => c["scope"] = " "), RefusalReason.MissingScope);
        Refused(_f.Craft(c => c["scope"] = "voice:identify voice:*"), RefusalReason.UnknownScope);
    }

    [Fact]
    public void Empty_or_missing_subject_list_is_refused()
    {
        Refused(_f.Craft(c => c["subjects"] = Array.Empty<string>()), RefusalReason.NoSubjects);
        Refused(_f.Craft(c => c.Remove("subjects")), RefusalReason.NoSubjects);
    }

    [Fact]
    public void Wildcard_subjects_are_refused()
    {
        Refused(_f.Craft(c => c["subjects"] = new[] { "*" }), RefusalReason.WildcardSubject);
        Refused(_f.Craft(c => c["subjects"] = new[] { "alice", "bo*" }), RefusalReason.WildcardSubject);
        Refused(_f.Craft(c => c["subjects"] = new[] { "ALL" }), RefusalReason.WildcardSubject);
        Refused(_f.Craft(c => c["subjects"] = "*"), RefusalReason.WildcardSubject);
    }

    [Fact]
    public void Invalid_subject_ids_are_refused()
    {
        Refused(_f.Craft(c => c["subjects"] = new[] { "" }), RefusalReason.InvalidSubject);
        Refused(_f.Craft(c => c["subjects"] = new[] { "alice", "alice" }), RefusalReason.InvalidSubject);
        Refused(_f.Craft(c => c["subjects"] = new[] { "a b" }), RefusalReason.InvalidSubject);
        Refused(_f.Craft(c => c["subjects"] = new object[] { 42 }), RefusalReason.InvalidSubject);
    }

    [Fact]
    public void Too_many_subjects_is_refused()
    {
        Refused(_f.Craft(c => c["subjects"] = Enumerable.Range(0, 11).Select(i => "s" + i).ToArray()), RefusalReason.TooManySubjects);
        Assert.True(_f.Gate.VerifyToken(_f.Craft(c => c["subjects"] = Enumerable.Range(0, 10).Select(i => "s" + i).ToArray())).IsGranted);
    }

    [Fact]
    public void Missing_case_or_purpose_is_refused()
    {
        Refused(_f.Craft(c => c.Remove("case")), RefusalReason.MissingCase);
        Refused(_f.Craft(c => c["case"] = "  "), RefusalReason.MissingCase);
        Refused(_f.Craft(c => c.Remove("purpose")), RefusalReason.MissingPurpose);
    }

    [Fact]
    public void Bad_max_uses_is_refused()
    {
        Refused(_f.Craft(c => c.Remove("max_uses")), RefusalReason.InvalidMaxUses);
        Refused(_f.Craft(c => c["max_uses"] = 0), RefusalReason.InvalidMaxUses);
        Refused(_f.Craft(c => c["max_uses"] = 1001), RefusalReason.InvalidMaxUses);
        Refused(_f.Craft(c => c["max_uses"] = "5"), RefusalReason.InvalidMaxUses);
    }

    [Fact]
    public void Revoked_token_is_refused()
    {
        string token = _f.Issue(jti: "tok-revoke-me");
        Assert.True(_f.Gate.VerifyToken(token).IsGranted);
        var imported = _f.Gate.Store.ImportRevocation(_f.Authority.CreateRevocation("tok-revoke-me", PolicyFixture.T0));
        Assert.Equal("tok-revoke-me", imported.TokenId);
        Refused(token, RefusalReason.Revoked);
    }

    [Fact]
    public void Revocation_from_an_untrusted_key_is_not_imported()
    {
        using var rogue = AuthorityKey.Generate(PolicyFixture.Issuer);
        var r = _f.Gate.Store.ImportRevocation(rogue.CreateRevocation("tok-a", PolicyFixture.T0));
        Assert.Equal(RefusalReason.UnknownKey, r.Reason);
        Assert.Empty(_f.Gate.Store.RevokedTokenIds);
    }

    [Fact]
    public void Same_key_loaded_twice_issues_after_the_first_instance_is_disposed()
    {
        // Guards against the library caching a signature provider bound to a disposed ECDsa.
        string pem = _f.Authority.ExportPrivateKeyPem();
        string first, second;
        using (var k1 = AuthorityKey.FromPrivateKeyPem(pem, PolicyFixture.Issuer)) first = k1.CreateRevocation("a", PolicyFixture.T0);
        using (var k2 = AuthorityKey.FromPrivateKeyPem(pem, PolicyFixture.Issuer)) second = k2.CreateRevocation("b", PolicyFixture.T0);
        Assert.NotEqual(first, second);
        Assert.True(_f.Gate.VerifyToken(_f.Issue()).IsGranted);
    }

    [Fact]
    public void Every_reason_code_is_distinct_snake_case()
    {
        var codes = Enum.GetValues<RefusalReason>().Select(r => r.ToCode()).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[a-z]+(_[a-z]+)*$", c));
        Assert.Equal(Enum.GetValues<RefusalReason>().Length, RefusalReasonCodes.AllCodes.Count);
    }
}
