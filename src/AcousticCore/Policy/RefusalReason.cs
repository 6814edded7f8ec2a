namespace AcousticCore.Policy;

/// <summary>
/// Why the policy layer refused a token or a use of a grant. Each value has a stable snake_case
/// code (<see cref="RefusalReasonCodes.ToCode"/>) that goes to the audit log and the CLI.
/// </summary>
public enum RefusalReason
{
    /// <summary>Not refused.</summary>
    None = 0,
    /// <summary><c>no_token</c>: no token was given.</summary>
    NoToken,
    /// <summary><c>token_too_large</c>: the token is longer than the policy cap; it was not parsed.</summary>
    TokenTooLarge,
    /// <summary><c>malformed</c>: not a compact JWS with a JSON header and payload of the expected shape.</summary>
    Malformed,
    /// <summary><c>algorithm_not_allowed</c>: the header names an algorithm other than the trusted key's (e.g. <c>none</c>, HS256).</summary>
    AlgorithmNotAllowed,
    /// <summary><c>wrong_type</c>: the <c>typ</c> header is not the expected token type.</summary>
    WrongType,
    /// <summary><c>unknown_key</c>: the <c>kid</c> header is missing or names no key in the trust store.</summary>
    UnknownKey,
    /// <summary><c>bad_signature</c>: the signature does not verify with the trusted key (altered, stripped or forged).</summary>
    BadSignature,
    /// <summary><c>wrong_issuer</c>: <c>iss</c> is not the issuer the trusted key belongs to.</summary>
    WrongIssuer,
    /// <summary><c>wrong_audience</c>: <c>aud</c> does not name this sensor.</summary>
    WrongAudience,
    /// <summary><c>missing_lifetime</c>: <c>nbf</c> or <c>exp</c> is missing or not an integer.</summary>
    MissingLifetime,
    /// <summary><c>not_yet_valid</c>: <c>nbf</c> is later than now plus the allowed clock skew.</summary>
    NotYetValid,
    /// <summary><c>expired</c>: <c>exp</c> is earlier than now minus the allowed clock skew.</summary>
    Expired,
    /// <summary><c>lifetime_too_long</c>: <c>exp - nbf</c> exceeds the policy maximum lifetime.</summary>
    LifetimeTooLong,
    /// <summary><c>missing_jti</c>: no token id.</summary>
    MissingJti,
    /// <summary><c>missing_scope</c>: no <c>scope</c> claim.</summary>
    MissingScope,
    /// <summary><c>unknown_scope</c>: a scope value this sensor does not know.</summary>
    UnknownScope,
    /// <summary><c>scope_not_granted</c>: the grant does not allow the requested operation (e.g. an enrol-only grant used to identify).</summary>
    ScopeNotGranted,
    /// <summary><c>no_subjects</c>: the subject list is missing or empty.</summary>
    NoSubjects,
    /// <summary><c>wildcard_subject</c>: a subject is a wildcard or pattern; only named persons may be covered.</summary>
    WildcardSubject,
    /// <summary><c>invalid_subject</c>: a subject id is empty, too long, duplicated or has characters outside the allowed set.</summary>
    InvalidSubject,
    /// <summary><c>too_many_subjects</c>: more subjects than the policy allows per token.</summary>
    TooManySubjects,
    /// <summary><c>subject_not_in_grant</c>: the operation names a subject the grant does not cover.</summary>
    SubjectNotInGrant,
    /// <summary><c>missing_case</c>: no case or warrant reference.</summary>
    MissingCase,
    /// <summary><c>missing_purpose</c>: no purpose.</summary>
    MissingPurpose,
    /// <summary><c>invalid_max_uses</c>: <c>max_uses</c> is missing, not a positive integer, or above the policy cap.</summary>
    InvalidMaxUses,
    /// <summary><c>revoked</c>: the authority revoked this token id.</summary>
    Revoked,
    /// <summary><c>uses_exhausted</c>: the grant has been used <c>max_uses</c> times.</summary>
    UsesExhausted,
    /// <summary><c>foreign_grant</c>: the grant was verified by a different sensor store.</summary>
    ForeignGrant,
    /// <summary><c>engine_unavailable</c>: no speaker engine is installed; identification fails closed.</summary>
    EngineUnavailable,
    /// <summary><c>store_corrupt</c>: a store file (counter, trust entry, audit head) is unreadable or inconsistent.</summary>
    StoreCorrupt,
    /// <summary><c>audio_unusable</c>: the audio is too long, too short or has no voiced frames.</summary>
    AudioUnusable,
    /// <summary><c>clock_rollback</c>: the clock is behind the newest audit record by more than the skew (set back to revive a token?).</summary>
    ClockRollback,
}

/// <summary>Stable snake_case codes of <see cref="RefusalReason"/> values.</summary>
public static class RefusalReasonCodes
{
    private static readonly string[] Codes =
    [
        "none", "no_token", "token_too_large", "malformed", "algorithm_not_allowed", "wrong_type",
        "unknown_key", "bad_signature", "wrong_issuer", "wrong_audience", "missing_lifetime",
        "not_yet_valid", "expired", "lifetime_too_long", "missing_jti", "missing_scope", "unknown_scope",
        "scope_not_granted", "no_subjects", "wildcard_subject", "invalid_subject", "too_many_subjects",
        "subject_not_in_grant", "missing_case", "missing_purpose", "invalid_max_uses", "revoked",
        "uses_exhausted", "foreign_grant", "engine_unavailable", "store_corrupt", "audio_unusable", "clock_rollback",
    ];

    /// <summary>The snake_case code of a reason (e.g. <c>expired</c>).</summary>
    public static string ToCode(this RefusalReason reason)
    {
        int i = (int)reason;
        return i >= 0 && i < Codes.Length ? Codes[i] : "unknown";
    }

    /// <summary>Every reason with its code, in declaration order.</summary>
    public static IReadOnlyList<string> AllCodes => Codes;
}
