namespace AcousticCore.Audio;

/// <summary>Opens the inputs the CLI and hosts name: WAV files, <c>stdin</c>, <c>tcp://127.0.0.1:PORT</c>.</summary>
public static class AudioSourceFactory
{
    /// <summary>Opens a WAV file, recognised by its content (RIFF/WAVE), not its extension.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="AudioDataException">The file is not a readable WAV (the message names file, problem and byte offset).</exception>
    public static IAudioSource OpenFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No such file: {path}", path);
        return new WavFileSource(path);
    }

    /// <summary>
    /// Opens a streaming input: <c>stdin</c> (or <c>-</c>) read through <paramref name="openStdin"/>;
    /// <c>tcp://HOST:PORT</c> (loopback only; blocks until a sensor connects, see <see cref="PcmStreamOptions.AcceptTimeout"/>);
    /// anything else is a file path. <paramref name="options"/> says raw PCM layout or WAV auto-detection.
    /// </summary>
    /// <exception cref="ArgumentException">A malformed or non-loopback <c>tcp://</c> input.</exception>
    /// <exception cref="FileNotFoundException">A file input that does not exist.</exception>
    /// <exception cref="AudioDataException">Bad WAV header, or no TCP connection within the accept timeout.</exception>
    public static IAudioSource OpenInput(string input, PcmStreamOptions options, Func<Stream> openStdin)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(openStdin);

        if (input is "stdin" or "-")
        {
            return new PcmStreamSource(openStdin(), options, "stdin");
        }

        if (input.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
        {
            return TcpAudioSource.ListenAndAccept(input, options);
        }

        if (options.DetectWavHeader) return OpenFile(input);
        if (!File.Exists(input)) throw new FileNotFoundException($"No such file: {input}", input);
        var file = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        try
        {
            return new PcmStreamSource(file, options, input);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
