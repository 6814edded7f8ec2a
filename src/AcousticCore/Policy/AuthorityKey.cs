using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AcousticCore.Policy;

/// <summary>
/// An authority's ES256 (ECDSA P-256) signing key: issues grant tokens and signed revocations.
/// Tokens are produced by Microsoft.IdentityModel.JsonWebTokens; this type only assembles claims.
/// </summary>
public sealed class AuthorityKey : IDisposable
{
    private readonly ECDsa _key;

    private AuthorityKey(ECDsa key, string issuer)
    {
        TrustStore.ValidateIssuer(issuer);
        _key = key;
        Issuer = issuer;
        KeyId = Jose.KeyId(key);
    }

    /// <summary>The authority name written to <c>iss</c>.</summary>
    public string Issuer { get; }

    /// <summary>RFC 7638 thumbprint of the public key, written to <c>kid</c>.</summary>
    public string KeyId { get; }

    /// <summary>Generates a new P-256 key pair for <paramref name="issuer"/>.</summary>
    public static AuthorityKey Generate(string issuer) => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), issuer);

    /// <summary>Loads a private key from PEM (PKCS#8 or SEC1).</summary>
    /// <exception cref="ArgumentException">The PEM holds no P-256 private key.</exception>
    public static AuthorityKey FromPrivateKeyPem(string pem, string issuer)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.ExportParameters(false).Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new ArgumentException("Authority key must be ECDSA P-256.", nameof(pem));
            }

            _ = key.ExportParameters(includePrivateParameters: true);
            return new AuthorityKey(key, issuer);
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new ArgumentException($"Not a PEM ECDSA P-256 private key: {e.Message}", nameof(pem), e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The private key as PKCS#8 PEM. Keep it in a file only its owner can read.</summary>
    public string ExportPrivateKeyPem() => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>The public key as SubjectPublicKeyInfo PEM (what sensors put in their trust store).</summary>
    public string ExportPublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>Signs a grant token (compact JWS, <c>typ</c> <c>acoustic-grant+jwt</c>).</summary>
    /// <exception cref="ArgumentException">The request is incomplete (no subject, no sensor, no scope, …).</exception>
    public string IssueToken(GrantRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Subjects.Count == 0) throw new ArgumentException("At least one subject is required.", nameof(request));
        if (request.Sensors.Count == 0) throw new ArgumentException("At least one sensor is required.", nameof(request));
        if (request.Scopes == GrantScopes.None) throw new ArgumentException("At least one scope is required.", nameof(request));
        if (string.IsNullOrWhiteSpace(request.CaseReference)) throw new ArgumentException("A case reference is required.", nameof(request));
        if (string.IsNullOrWhiteSpace(request.Purpose)) throw new ArgumentException("A purpose is required.", nameof(request));
        if (request.ValidFor <= TimeSpan.Zero) throw new ArgumentException("Validity must be positive.", nameof(request));
        if (request.MaxUses < 1) throw new ArgumentException("max uses must be at least 1.", nameof(request));

        long nbf = request.ValidFrom.ToUnixTimeSeconds();
        long exp = nbf + (long)Math.Ceiling(request.ValidFor.TotalSeconds);
        string jti = request.TokenId ?? NewTokenId();
        string payload = Json(w =>
        {
            w.WriteString("iss", Issuer);
            w.WriteStartArray("aud");
            foreach (var s in request.Sensors) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteNumber("iat", nbf);
            w.WriteNumber("nbf", nbf);
            w.WriteNumber("exp", exp);
            w.WriteString("jti", jti);
            w.WriteString("scope", GrantScopeNames.Format(request.Scopes));
            w.WriteStartArray("subjects");
            foreach (var s in request.Subjects) w.WriteStringValue(s);
            w.WriteEndArray();
            w.WriteString("case", request.CaseReference);
            w.WriteString("purpose", request.Purpose);
            w.WriteNumber("max_uses", request.MaxUses);
        });
        return Sign(payload, Jose.GrantType);
    }

    /// <summary>Signs a revocation of token <paramref name="tokenId"/> (<c>typ</c> <c>acoustic-revocation+jwt</c>).</summary>
    public string CreateRevocation(string tokenId, DateTimeOffset issuedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenId);
        string payload = Json(w =>
        {
            w.WriteString("iss", Issuer);
            w.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
            w.WriteString("jti", NewTokenId());
            w.WriteString("revokes", tokenId);
        });
        return Sign(payload, Jose.RevocationType);
    }

    private string Sign(string payloadJson, string type)
    {
        // No provider cache: a cached provider would outlive this key's ECDsa once it is disposed.
        var securityKey = new ECDsaSecurityKey(_key) { KeyId = KeyId, CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false } };
        var credentials = new SigningCredentials(securityKey, SecurityAlgorithms.EcdsaSha256);
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(payloadJson, credentials, new Dictionary<string, object> { [JwtHeaderParameterNames.Typ] = type });
    }

    private static string NewTokenId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Releases the key.</summary>
    public void Dispose() => _key.Dispose();
}
