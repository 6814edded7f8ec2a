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
