namespace AcousticCore.Audio.Capture;

/// <summary>
/// Live capture failed: the device is missing or busy, the native library is absent, or the capture program
/// could not start or exited with an error. The message names the input and, for programs, ends with the tail of
/// their standard error.
/// </summary>
public sealed class AudioCaptureException : IOException
{
    /// <summary>Creates the exception for capture input <paramref name="source"/> (e.g. <c>alsa:hw:1</c>).</summary>
    public AudioCaptureException(string source, string problem, Exception? inner = null)
        : base($"{source}: {problem}", inner)
    {
        SourceName = source;
        Problem = problem;
    }

    /// <summary>The capture input as written by the user (<c>alsa:DEVICE</c>, <c>cmd:PROGRAM</c>).</summary>
    public string SourceName { get; }

    /// <summary>What went wrong, without the source name.</summary>
    public string Problem { get; }
}
