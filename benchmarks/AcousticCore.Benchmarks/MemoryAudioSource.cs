using AcousticCore.Audio;

namespace AcousticCore.Benchmarks;

/// <summary>Mono samples held in memory, served as an audio source (benchmark input without file I/O).</summary>
internal sealed class MemoryAudioSource(float[] samples, int sampleRate = 16000) : IAudioSource
{
    private int _position;

    public AudioFormat Format { get; } = new(sampleRate, 1);

    public string Name => "memory";

    public int Read(Span<float> destination)
    {
        int n = Math.Min(destination.Length, samples.Length - _position);
        samples.AsSpan(_position, n).CopyTo(destination);
        _position += n;
        return n;
    }

    public void Dispose()
    {
    }
}
