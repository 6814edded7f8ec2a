namespace AcousticCore.Policy;

/// <summary>Outcome of verifying a token: a <see cref="Grant"/> or a refusal with a reason code.</summary>
public sealed class TokenVerification
{
    private TokenVerification(Grant? grant, RefusalReason reason, string detail, string? tokenId)
    {
        Grant = grant;
        Reason = reason;
        Detail = detail;
        TokenId = tokenId;
    }

    /// <summary>True when every check passed and <see cref="Grant"/> is set.</summary>
    public bool IsGranted => Grant is not null;

    /// <summary>The verified grant, or null when refused.</summary>
    public Grant? Grant { get; }

    /// <summary>Why it was refused (<see cref="RefusalReason.None"/> when granted).</summary>
    public RefusalReason Reason { get; }

    /// <summary>Stable snake_case code of <see cref="Reason"/>.</summary>
    public string ReasonCode => Reason.ToCode();

    /// <summary>One human-readable sentence saying what failed and where.</summary>
    public string Detail { get; }

    /// <summary>The token id when it could be read from a signature-verified token, else null.</summary>
    public string? TokenId { get; }

    internal static TokenVerification Granted(Grant grant) => new(grant, RefusalReason.None, "granted", grant.TokenId);

    internal static TokenVerification Refused(RefusalReason reason, string detail, string? tokenId = null) =>
        new(null, reason, detail, tokenId);
}
