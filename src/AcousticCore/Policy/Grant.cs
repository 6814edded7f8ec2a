namespace AcousticCore.Policy;

/// <summary>
/// A verified authorisation: the only key to the voice-identification gate. It has no public
/// constructor; only the token verifier makes one, after every check passed, and the gate
/// re-checks expiry, revocation and remaining uses at every use.
/// </summary>
public sealed class Grant
{
    internal Grant(
        string storeBinding, string tokenId, string tokenSha256, string issuer, string keyId, string sensorId,
        IReadOnlyList<string> subjects, GrantScopes scopes, string caseReference, string purpose,
        DateTimeOffset notBefore, DateTimeOffset expires, int maxUses)
    {
        StoreBinding = storeBinding;
        TokenId = tokenId;
        TokenSha256 = tokenSha256;
        Issuer = issuer;
        KeyId = keyId;
        SensorId = sensorId;
        Subjects = subjects;
        Scopes = scopes;
        CaseReference = caseReference;
        Purpose = purpose;
        NotBefore = notBefore;
        Expires = expires;
        MaxUses = maxUses;
    }

    /// <summary>Ties the grant to the store that verified it, so it cannot be replayed against another.</summary>
    internal string StoreBinding { get; }

    /// <summary>The token's unique id (<c>jti</c>).</summary>
    public string TokenId { get; }

    /// <summary>SHA-256 (hex) of the token text; logged instead of the token.</summary>
    public string TokenSha256 { get; }

    /// <summary>The authority that signed the token (<c>iss</c>).</summary>
    public string Issuer { get; }

    /// <summary>Id of the trusted key that verified the signature (<c>kid</c>).</summary>
    public string KeyId { get; }

    /// <summary>This sensor's id, found in the token's audience.</summary>
    public string SensorId { get; }

    /// <summary>The named subjects the grant covers (never empty, never a wildcard).</summary>
    public IReadOnlyList<string> Subjects { get; }

    /// <summary>Operations allowed.</summary>
    public GrantScopes Scopes { get; }

    /// <summary>Case or warrant reference (<c>case</c>).</summary>
    public string CaseReference { get; }

    /// <summary>Stated purpose (<c>purpose</c>).</summary>
    public string Purpose { get; }

    /// <summary>Start of validity (<c>nbf</c>), UTC.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>End of validity (<c>exp</c>), UTC.</summary>
    public DateTimeOffset Expires { get; }

    /// <summary>Total number of gate operations the grant allows (<c>max_uses</c>).</summary>
    public int MaxUses { get; }

    /// <summary>True when <paramref name="subject"/> is one of the named subjects (ordinal match).</summary>
    public bool Covers(string subject)
    {
        foreach (var s in Subjects)
        {
            if (string.Equals(s, subject, StringComparison.Ordinal)) return true;
        }

        return false;
    }
}
