namespace AcousticCore.Policy;

/// <summary>Operations a grant allows. Token scope strings: <c>voice:enrol</c>, <c>voice:identify</c>.</summary>
[Flags]
public enum GrantScopes
{
    /// <summary>Nothing allowed.</summary>
    None = 0,
    /// <summary><c>voice:enrol</c>: build voiceprints of the named subjects.</summary>
    Enrol = 1,
    /// <summary><c>voice:identify</c>: score audio against the named subjects' voiceprints.</summary>
    Identify = 2,
}

/// <summary>Conversions between <see cref="GrantScopes"/> and token scope strings.</summary>
public static class GrantScopeNames
{
    /// <summary>Scope string for enrolment.</summary>
    public const string Enrol = "voice:enrol";

    /// <summary>Scope string for identification.</summary>
    public const string Identify = "voice:identify";

    /// <summary>Parses one scope string; false when unknown.</summary>
    public static bool TryParse(string value, out GrantScopes scope)
    {
        scope = value switch
        {
            Enrol => GrantScopes.Enrol,
            Identify => GrantScopes.Identify,
            _ => GrantScopes.None,
        };
        return scope != GrantScopes.None;
    }

    /// <summary>Space-separated scope string (as in OAuth's <c>scope</c> claim).</summary>
    public static string Format(GrantScopes scopes)
    {
        var parts = new List<string>(2);
        if ((scopes & GrantScopes.Enrol) != 0) parts.Add(Enrol);
        if ((scopes & GrantScopes.Identify) != 0) parts.Add(Identify);
        return string.Join(' ', parts);
    }
}
