namespace AcousticCore.Audio;

/// <summary>
/// What a source repaired or dropped while decoding, so a host (or the CLI, on stderr) can report it.
/// Warnings describe documented graceful handling (for example a truncated final frame); errors are thrown as
/// <see cref="AudioDataException"/> instead.
/// </summary>
public interface IAudioSourceDiagnostics
{
    /// <summary>Number of NaN or infinite float samples that were replaced by 0 so they never reach a level.</summary>
    long NonFiniteSamplesReplaced { get; }

    /// <summary>Human-readable warnings in the order they arose, each naming the source and the byte offset where known.</summary>
    IReadOnlyList<string> Warnings { get; }
}

/// <summary>Readable lines of a source's diagnostics, shared by every command that reads audio.</summary>
public static class AudioSourceDiagnosticMessages
{
    /// <summary>
    /// The source's warnings, then how many NaN/Inf samples it replaced by 0; each line names the source. Empty for a
    /// source without <see cref="IAudioSourceDiagnostics"/>.
    /// </summary>
    public static IEnumerable<string> DiagnosticMessages(this IAudioSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source is not IAudioSourceDiagnostics d) yield break;
        foreach (string w in d.Warnings) yield return w;
        if (d.NonFiniteSamplesReplaced > 0)
        {
            yield return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{source.Name}: {d.NonFiniteSamplesReplaced} NaN/Inf samples were replaced by 0");
        }
    }
}
