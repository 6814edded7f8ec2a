using AcousticCore.Audio;

namespace AcousticCore.Tests.Arrays;

/// <summary>An in-memory interleaved source that hands out at most <c>maxBlock</c> frames per read.</summary>
internal sealed class MemorySource(float[] samples, AudioFormat format, int maxBlockFrames = int.MaxValue) : IAudioSource
{
    private int _position;

    public AudioFormat Format { get; } = format;

    public string Name => "memory";

    public int Read(Span<float> destination)
    {
        int ch = Format.Channels;
        int frames = Math.Min(Math.Min(destination.Length / ch, (samples.Length - _position) / ch), maxBlockFrames);
        samples.AsSpan(_position, frames * ch).CopyTo(destination);
        _position += frames * ch;
        return frames * ch;
    }

    public void Dispose()
    {
    }
}
