using AcousticCore.Identification;

namespace AcousticCore.Policy;

/// <summary>
/// Where the gate finds the speaker engine. The identification module sets <see cref="Default"/>;
/// while it is null (or its factory fails) every enrol/identify is refused with
/// <c>engine_unavailable</c>.
/// </summary>
internal static class SpeakerEngines
{
    /// <summary>Factory of the default engine, or null when none is installed.</summary>
    public static Func<ISpeakerEngine>? Default { get; set; }
}
