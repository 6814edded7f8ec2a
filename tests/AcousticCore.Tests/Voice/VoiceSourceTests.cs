using AcousticCore.Audio;
using AcousticCore.Voice;
using Xunit;

namespace AcousticCore.Tests.Voice;

public class VoiceSourceTests
{
    /// <summary>A source that hands out its interleaved frames in random-sized reads.</summary>
    private sealed class ChunkedSource(float[] interleaved, int sampleRate, int channels, int seed) : IAudioSource
    {
        private readonly Random _rng = new(seed);
        private int _pos;

        public AudioFormat Format { get; } = new(sampleRate, channels);
        public string Name => "chunked";

        public int Read(Span<float> destination)
        {
            int frames = Math.Min(_rng.Next(1, 700), (interleaved.Length - _pos) / channels);
            frames = Math.Min(frames, destination.Length / channels);
            int n = frames * channels;
            interleaved.AsSpan(_pos, n).CopyTo(destination);
            _pos += n;
            return n;
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public void SourceReadInRandomBlocksEqualsBatch()
    {
        var (x, fs) = VoiceReferenceData.ReadWav("espeak_vowel_a_16k");
        var stereo = new float[x.Length * 2];
        for (int i = 0; i < x.Length; i++)
        {
            stereo[2 * i] = 2 * x[i];
            stereo[2 * i + 1] = 0; // average of (2x, 0) is x
        }

        var fromSource = VoiceAnalyzer.Analyze(new ChunkedSource(stereo, fs, 2, 7)).Summary;
        var batch = VoiceReferenceData.Analysis("espeak_vowel_a_16k").Summary;
        Assert.Equal(batch.F0MeanHz, fromSource.F0MeanHz, 9);
        Assert.Equal(batch.Jitter!.Local, fromSource.Jitter!.Local, 12);
        Assert.Equal(batch.Shimmer!.LocalDb, fromSource.Shimmer!.LocalDb, 9);
        Assert.Equal(batch.HnrDb, fromSource.HnrDb, 9);
        Assert.Equal(batch.VoicedDurationSeconds, fromSource.VoicedDurationSeconds, 12);
    }

    [Fact]
    public void TooLongSourceIsRefusedWithItsName()
    {
        var e = Assert.Throws<AudioDataException>(() => VoiceAnalyzer.Analyze(new ChunkedSource(new float[16000 * 3], 16000, 1, 1), maxSeconds: 2));
        Assert.Contains("chunked", e.Message, StringComparison.Ordinal);
        Assert.Contains("longer than 2 s", e.Message, StringComparison.Ordinal);
    }
}
