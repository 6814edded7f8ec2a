namespace AcousticCore.Audio;

/// <summary>
/// Bad audio data: a malformed header, an unsupported codec, a truncated or corrupt stream.
/// The message names the source and, where known, the byte offset.
/// </summary>
public sealed class AudioDataException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> at an optional byte offset.</summary>
    public AudioDataException(string source, string problem, long? byteOffset = null, Exception? inner = null)
        : base(Format(source, problem, byteOffset), inner)
    {
        SourceName = source;
        Problem = problem;
        ByteOffset = byteOffset;
    }

    /// <summary>The file path or stream name.</summary>
    public string SourceName { get; }

    /// <summary>What is wrong, without the source name.</summary>
    public string Problem { get; }

    /// <summary>Byte offset in the source where the problem was found, when known.</summary>
    public long? ByteOffset { get; }

    private static string Format(string source, string problem, long? offset) =>
        offset is { } o ? $"{source}: {problem} (at byte {o})" : $"{source}: {problem}";
}
