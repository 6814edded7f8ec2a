namespace AcousticCore.Policy;

/// <summary>What an authority authorises when it issues a token (input to <see cref="AuthorityKey.IssueToken"/>).</summary>
public sealed class GrantRequest
{
    /// <summary>Named subjects covered (at least one; no wildcards).</summary>
    public required IReadOnlyList<string> Subjects { get; init; }

    /// <summary>Sensor ids (token audience) where the grant may be used (at least one).</summary>
    public required IReadOnlyList<string> Sensors { get; init; }

    /// <summary>Operations allowed (at least one).</summary>
    public required GrantScopes Scopes { get; init; }

    /// <summary>Case or warrant reference.</summary>
    public required string CaseReference { get; init; }

    /// <summary>Purpose of the authorisation, in words.</summary>
    public required string Purpose { get; init; }

    /// <summary>Start of validity (<c>nbf</c>).</summary>
    public required DateTimeOffset ValidFrom { get; init; }

    /// <summary>Length of validity; <c>exp = nbf + ValidFor</c>. Must be positive.</summary>
    public required TimeSpan ValidFor { get; init; }

    /// <summary>Total gate operations allowed (at least 1).</summary>
    public required int MaxUses { get; init; }

    /// <summary>Token id (<c>jti</c>); a random 128-bit id when null.</summary>
    public string? TokenId { get; init; }
}
