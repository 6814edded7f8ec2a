using AcousticCore.Audio;
using BenchmarkDotNet.Attributes;

namespace AcousticCore.Benchmarks;

/// <summary>
/// Cost of raising a 10 s mono recording below 16 kHz to 16 kHz before classification (<see cref="UpsamplingSource"/>:
/// NWaves' windowed sinc, chunked), per 10 s of audio. Not a per-frame path: files only.
/// </summary>
[MemoryDiagnoser]
public class UpsamplingBenchmarks
{
    private float[] _input = null!;
    private readonly float[] _buffer = new float[8192];

    [Params(8000, 11025)]
    public int SampleRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _input = new float[SampleRate * 10];
        for (int i = 0; i < _input.Length; i++) _input[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
    }

    /// <summary>Reads 10 s of input through the upsampler to its end; returns the output frames.</summary>
    [Benchmark]
    public long UpsampleTenSeconds()
    {
        using var source = new UpsamplingSource(new MemoryAudioSource(_input, SampleRate), 16000);
        long frames = 0;
        int n;
        while ((n = source.Read(_buffer)) > 0) frames += n;
        return frames;
    }
}
