using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AcousticCore.Policy;

/// <summary>
/// Verifies grant tokens and revocations against the trust store. The order is fixed: size cap,
/// strict parse, header (algorithm pinned to ES256, <c>typ</c>, <c>kid</c> trusted), signature by
/// the IdentityModel library with <c>ValidAlgorithms</c> pinned, then claims, revocation and uses.
/// Every failure is a <see cref="TokenVerification"/> refusal, never an exception.
/// </summary>
internal sealed class TokenVerifier
{
    private static readonly JsonWebTokenHandler Handler = new();
    private static readonly string[] WildcardWords = ["all", "any", "anyone", "everyone", "everybody"];

    private readonly Dictionary<string, (TrustedKey Entry, ECDsaSecurityKey Key)> _keys = new(StringComparer.Ordinal);
    private readonly DeploymentPolicy _policy;
    private readonly string _sensorId;
    private readonly string _storeBinding;
    private readonly Func<string, bool> _isRevoked;
    private readonly Func<string, int> _usesSoFar;
    private readonly TimeProvider _time;

    public TokenVerifier(IReadOnlyList<TrustedKey> trusted, DeploymentPolicy policy, string sensorId, string storeBinding,
        Func<string, bool> isRevoked, Func<string, int> usesSoFar, TimeProvider time)
    {
        foreach (var t in trusted)
        {
            // The ECDsa lives as long as the verifier; the security key wraps it for the library.
#pragma warning disable CA2000 // owned by the ECDsaSecurityKey held in _keys for the verifier's lifetime
            ECDsa ecdsa = Jose.ImportPublicP256(t.PublicKeyPem, "trust store entry " + t.KeyId);
#pragma warning restore CA2000
            // No provider cache: each verifier has its own key objects, a shared cache would only grow.
            _keys[t.KeyId] = (t, new ECDsaSecurityKey(ecdsa) { KeyId = t.KeyId, CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false } });
        }

        _policy = policy;
        _sensorId = sensorId;
        _storeBinding = storeBinding;
        _isRevoked = isRevoked;
        _usesSoFar = usesSoFar;
        _time = time;
    }

    public TokenVerification Verify(string? token)
    {
        if (string.IsNullOrWhiteSpace(token)) return TokenVerification.Refused(RefusalReason.NoToken, "no token given");
        token = token.Trim();
        var header = VerifySigned(token, Jose.GrantType, out CompactJws? jws, out TrustedKey? key);
        if (header.Reason != RefusalReason.None) return header;
        using (jws)
        {
            return CheckClaims(token, jws!, key!);
        }
    }

    /// <summary>Verifies a revocation entry; returns the revoked token id or a refusal.</summary>
    public TokenVerification VerifyRevocation(string? entry, out string? revokedTokenId)
    {
        revokedTokenId = null;
        if (string.IsNullOrWhiteSpace(entry)) return TokenVerification.Refused(RefusalReason.NoToken, "empty revocation entry");
        entry = entry.Trim();
        var header = VerifySigned(entry, Jose.RevocationType, out CompactJws? jws, out TrustedKey? key);
        if (header.Reason != RefusalReason.None) return header;
        using (jws)
        {
            if (jws!.PayloadString("iss") != key!.Issuer)
            {
                return TokenVerification.Refused(RefusalReason.WrongIssuer, $"revocation issuer is not '{key.Issuer}', the owner of key {key.KeyId}");
            }

            string? revokes = jws.PayloadString("revokes");
            if (!IsValidTokenId(revokes))
            {
                return TokenVerification.Refused(RefusalReason.MissingJti, "revocation names no valid token id in 'revokes'");
            }

            revokedTokenId = revokes;
            return TokenVerification.Refused(RefusalReason.None, "revocation verified", revokes);
        }
    }

    private TokenVerification VerifySigned(string token, string type, out CompactJws? jws, out TrustedKey? trusted)
    {
        jws = null;
        trusted = null;

        // Cap before any decoding: a 1 MB token costs nothing but this comparison.
        if (token.Length > _policy.MaxTokenBytes || Encoding.UTF8.GetByteCount(token) > _policy.MaxTokenBytes)
        {
            return TokenVerification.Refused(RefusalReason.TokenTooLarge, $"token is longer than {_policy.MaxTokenBytes} bytes; not parsed");
        }

        var parsed = CompactJws.TryParse(token, out string problem);
        if (parsed is null) return TokenVerification.Refused(RefusalReason.Malformed, problem);

        bool keep = false;
        try
        {
            string? alg = parsed.HeaderString("alg");
            if (alg != Jose.Es256)
            {
                return TokenVerification.Refused(RefusalReason.AlgorithmNotAllowed, $"header alg '{alg ?? "(missing)"}' is not allowed; only ES256 is accepted");
            }

            if (parsed.Header.TryGetProperty("crit", out _) || parsed.Header.TryGetProperty("jku", out _) ||
                parsed.Header.TryGetProperty("jwk", out _) || parsed.Header.TryGetProperty("x5u", out _) ||
                parsed.Header.TryGetProperty("x5c", out _))
            {
                // Keys come from the trust store only, never from the token.
                return TokenVerification.Refused(RefusalReason.Malformed, "header carries key material or critical extensions (jku/jwk/x5u/x5c/crit), which are not accepted");
            }

            string? typ = parsed.HeaderString("typ");
            if (typ != type)
            {
                return TokenVerification.Refused(RefusalReason.WrongType, $"header typ '{typ ?? "(missing)"}' is not '{type}'");
            }

            string? kid = parsed.HeaderString("kid");
            if (kid is null || !_keys.TryGetValue(kid, out var key))
            {
                return TokenVerification.Refused(RefusalReason.UnknownKey, $"key id '{kid ?? "(missing)"}' is not in the trust store");
            }

            if (key.Entry.Algorithm != alg)
            {
                return TokenVerification.Refused(RefusalReason.AlgorithmNotAllowed, $"key {kid} is pinned to {key.Entry.Algorithm}, token says {alg}");
            }

            var parameters = new TokenValidationParameters
            {
                IssuerSigningKey = key.Key,
                ValidAlgorithms = [key.Entry.Algorithm],
                ValidTypes = [type],
                RequireSignedTokens = true,
                TryAllIssuerSigningKeys = false,
                // Issuer, audience and lifetime are checked below against the store and the injected clock.
                ValidateIssuer = false,
                ValidateAudience = false,
                ValidateLifetime = false,
                RequireExpirationTime = false,
                ValidateIssuerSigningKey = false,
            };

            // No configuration manager is involved, so the library completes synchronously.
            TokenValidationResult result = Handler.ValidateTokenAsync(token, parameters).GetAwaiter().GetResult();
            if (!result.IsValid)
            {
                return result.Exception switch
                {
                    SecurityTokenInvalidAlgorithmException => TokenVerification.Refused(RefusalReason.AlgorithmNotAllowed, "the library refused the algorithm"),
                    SecurityTokenInvalidTypeException => TokenVerification.Refused(RefusalReason.WrongType, "the library refused the token type"),
                    SecurityTokenMalformedException => TokenVerification.Refused(RefusalReason.Malformed, "the library could not read the token"),
                    _ => TokenVerification.Refused(RefusalReason.BadSignature, $"signature does not verify with trusted key {kid}"),
                };
            }

            jws = parsed;
            trusted = key.Entry;
            keep = true;
            return TokenVerification.Refused(RefusalReason.None, "signature verified");
        }
        finally
        {
            if (!keep) parsed.Dispose();
        }
    }

    private TokenVerification CheckClaims(string token, CompactJws jws, TrustedKey key)
    {
        string? jti = jws.PayloadString("jti");
        string? jtiForLog = IsValidTokenId(jti) ? jti : null;
        TokenVerification No(RefusalReason r, string detail) => TokenVerification.Refused(r, detail, jtiForLog);

        if (jws.PayloadString("iss") != key.Issuer) return No(RefusalReason.WrongIssuer, $"issuer is not '{key.Issuer}', the owner of key {key.KeyId}");

        if (!jws.Payload.TryGetProperty("aud", out var aud)) return No(RefusalReason.WrongAudience, "token has no audience");
        bool forUs = false;
        if (aud.ValueKind == JsonValueKind.String)
        {
            forUs = aud.GetString() == _sensorId;
        }
        else if (aud.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in aud.EnumerateArray())
            {
                if (a.ValueKind != JsonValueKind.String) return No(RefusalReason.Malformed, "audience entries must be strings");
                forUs |= a.GetString() == _sensorId;
            }
        }
        else
        {
            return No(RefusalReason.Malformed, "audience must be a string or an array of strings");
        }

        if (!forUs) return No(RefusalReason.WrongAudience, $"audience does not include this sensor '{_sensorId}'");

        long? nbf = jws.PayloadInteger("nbf");
        long? exp = jws.PayloadInteger("exp");
        if (nbf is null || exp is null) return No(RefusalReason.MissingLifetime, "token needs integer nbf and exp");
        if (exp <= nbf) return No(RefusalReason.Malformed, "exp is not after nbf");
        if (nbf < 0 || exp > 253_402_300_799) return No(RefusalReason.Malformed, "nbf/exp out of range");
        var notBefore = DateTimeOffset.FromUnixTimeSeconds(nbf.Value);
        var expires = DateTimeOffset.FromUnixTimeSeconds(exp.Value);
        DateTimeOffset now = _time.GetUtcNow();
        if (now + _policy.ClockSkew < notBefore) return No(RefusalReason.NotYetValid, $"valid from {notBefore:O}, now {now:O}");
        if (now - _policy.ClockSkew >= expires) return No(RefusalReason.Expired, $"expired at {expires:O}, now {now:O}");
        if (expires - notBefore > _policy.MaxTokenLifetime)
        {
            return No(RefusalReason.LifetimeTooLong, $"lifetime {(expires - notBefore).TotalDays:F2} days exceeds the policy maximum {_policy.MaxTokenLifetime.TotalDays:F2} days");
        }

        if (jtiForLog is null) return No(RefusalReason.MissingJti, "token has no valid jti (1..128 printable ASCII characters)");

        if (!jws.Payload.TryGetProperty("scope", out var scopeElement)) return No(RefusalReason.MissingScope, "token has no scope");
        if (scopeElement.ValueKind != JsonValueKind.String) return No(RefusalReason.Malformed, "scope must be a space-separated string");
        var scopes = GrantScopes.None;
        foreach (string s in (scopeElement.GetString() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!GrantScopeNames.TryParse(s, out var one)) return No(RefusalReason.UnknownScope, $"unknown scope '{Printable(s)}'");
            scopes |= one;
        }

        if (scopes == GrantScopes.None) return No(RefusalReason.MissingScope, "scope is empty");

        var subjects = new List<string>();
        if (!jws.Payload.TryGetProperty("subjects", out var subjectArray) || subjectArray.ValueKind == JsonValueKind.Null)
        {
            return No(RefusalReason.NoSubjects, "token names no subjects");
        }

        if (subjectArray.ValueKind == JsonValueKind.String && IsWildcard(subjectArray.GetString() ?? ""))
        {
            return No(RefusalReason.WildcardSubject, "subjects is a wildcard; only named subjects are allowed");
        }

        if (subjectArray.ValueKind != JsonValueKind.Array) return No(RefusalReason.Malformed, "subjects must be an array of ids");
        int count = subjectArray.GetArrayLength();
        if (count == 0) return No(RefusalReason.NoSubjects, "subject list is empty");
        if (count > _policy.MaxSubjectsPerToken) return No(RefusalReason.TooManySubjects, $"{count} subjects, policy allows {_policy.MaxSubjectsPerToken}");
        foreach (var s in subjectArray.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.String) return No(RefusalReason.InvalidSubject, "subject ids must be strings");
            string id = s.GetString() ?? "";
            if (IsWildcard(id)) return No(RefusalReason.WildcardSubject, $"subject '{Printable(id)}' is a wildcard; only named subjects are allowed");
            if (!IsValidSubjectId(id)) return No(RefusalReason.InvalidSubject, $"subject '{Printable(id)}' is not a valid id (1..64 of A-Z a-z 0-9 . _ - : @)");
            if (subjects.Contains(id)) return No(RefusalReason.InvalidSubject, $"subject '{id}' is listed twice");
            subjects.Add(id);
        }

        string? caseRef = jws.PayloadString("case");
        if (string.IsNullOrWhiteSpace(caseRef) || caseRef.Length > 256 || HasControl(caseRef)) return No(RefusalReason.MissingCase, "token has no case reference (1..256 characters)");
        string? purpose = jws.PayloadString("purpose");
        if (string.IsNullOrWhiteSpace(purpose) || purpose.Length > 1024 || HasControl(purpose)) return No(RefusalReason.MissingPurpose, "token has no purpose (1..1024 characters)");

        long? maxUses = jws.PayloadInteger("max_uses");
        if (maxUses is null || maxUses < 1 || maxUses > _policy.MaxUsesPerToken)
        {
            return No(RefusalReason.InvalidMaxUses, $"max_uses must be an integer 1..{_policy.MaxUsesPerToken}");
        }

        if (_isRevoked(jtiForLog)) return No(RefusalReason.Revoked, $"token {jtiForLog} was revoked by its authority");
        int used;
        try
        {
            used = _usesSoFar(jtiForLog);
        }
        catch (PolicyStoreException e)
        {
            return No(RefusalReason.StoreCorrupt, e.Message);
        }

        if (used >= maxUses) return No(RefusalReason.UsesExhausted, $"token {jtiForLog} used {used} of {maxUses} times");

        var grant = new Grant(_storeBinding, jtiForLog, StoreFiles.Sha256Hex(token), key.Issuer, key.KeyId, _sensorId,
            subjects.AsReadOnly(), scopes, caseRef, purpose, notBefore, expires, (int)maxUses.Value);
        return TokenVerification.Granted(grant);
    }

    internal static bool IsValidTokenId(string? jti)
    {
        if (string.IsNullOrEmpty(jti) || jti.Length > 128) return false;
        foreach (char c in jti)
        {
            if (c < 0x21 || c > 0x7E) return false;
        }

        return true;
    }

    internal static bool IsWildcard(string id)
    {
        if (id.AsSpan().IndexOfAny("*?%") >= 0) return true;
        foreach (string w in WildcardWords)
        {
            if (string.Equals(id.Trim(), w, StringComparison.OrdinalIgnoreCase)) return true;
        }

        return false;
    }

    /// <summary>Subject ids: 1..64 of ASCII letters, digits and <c>. _ - : @</c>.</summary>
    internal static bool IsValidSubjectId(string id)
    {
        if (id.Length is < 1 or > 64) return false;
        foreach (char c in id)
        {
            bool ok = char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':' or '@';
            if (!ok) return false;
        }

        return true;
    }

    private static bool HasControl(string s)
    {
        foreach (char c in s)
        {
            if (char.IsControl(c)) return true;
        }

        return false;
    }

    private static string Printable(string s)
    {
        var sb = new StringBuilder(Math.Min(s.Length, 40));
        foreach (char c in s)
        {
            if (sb.Length >= 40) return sb.Append('…').ToString();
            sb.Append(char.IsControl(c) ? '?' : c);
        }

        return sb.ToString();
    }
}
