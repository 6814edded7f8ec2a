namespace AcousticCore.Audio;

/// <summary>
/// One small pull contract for audio: a source knows its format and fills a span with
/// interleaved float sample frames (full scale ±1.0). WAV files, PCM streams and live
/// capture are adapters to it.
/// </summary>
public interface IAudioSource : IDisposable
{
    /// <summary>Sample rate and channel count; known before the first read.</summary>
    AudioFormat Format { get; }

    /// <summary>Name used in messages and records (file path, <c>stdin</c>, <c>tcp://…</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Fills <paramref name="destination"/> with whole interleaved sample frames and returns the
    /// number of floats written (a multiple of <see cref="AudioFormat.Channels"/>); 0 only at end
    /// of stream. Blocks until at least one frame is available.
    /// </summary>
    /// <exception cref="AudioDataException">The data is malformed (names source and position).</exception>
    int Read(Span<float> destination);
}
