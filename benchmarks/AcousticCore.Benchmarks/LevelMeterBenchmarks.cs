using AcousticCore.Dsp;
using AcousticCore.Levels;
using BenchmarkDotNet.Attributes;

namespace AcousticCore.Benchmarks;

/// <summary>
/// The sound level meter on one second of 48 kHz pink-ish noise, fed in 10 ms blocks (480 samples)
/// with one interval completed per second. Time per operation = time per second of audio, so the
/// real-time factor is 1 s / (mean). Zero bytes allocated per operation is expected.
/// </summary>
[MemoryDiagnoser]
public class LevelMeterBenchmarks
{
    private const int SampleRate = 48_000;
    private float[] _audio = [];
    private SoundLevelMeter _withBands = null!;
    private SoundLevelMeter _withoutBands = null!;
    private ThirdOctaveFilterBank _bank = null!;
    private LevelValues _bandValues = null!;
    private LevelValues _plainValues = null!;

    [Params(480)]
    public int BlockSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _audio = new float[SampleRate];
        double b0 = 0, b1 = 0, b2 = 0;
        for (int i = 0; i < _audio.Length; i++)
        {
            // Paul Kellet's economical pink filter on white noise: a realistic broadband test signal.
            double white = (rng.NextDouble() * 2) - 1;
            b0 = (0.99765 * b0) + (white * 0.0990460);
            b1 = (0.96300 * b1) + (white * 0.2965164);
            b2 = (0.57000 * b2) + (white * 1.0526913);
            _audio[i] = (float)(0.05 * (b0 + b1 + b2 + (white * 0.1848)));
        }

        _withBands = new SoundLevelMeter(SampleRate);
        _withoutBands = new SoundLevelMeter(SampleRate, new SoundLevelMeterOptions { IncludeBands = false });
        _bank = new ThirdOctaveFilterBank(SampleRate);
        _bandValues = new LevelValues(_withBands.Bands.Count);
        _plainValues = new LevelValues(0);

        // Variants must agree on the shared part of the answer.
        OneSecond(_withBands, _bandValues);
        OneSecond(_withoutBands, _plainValues);
        if (Math.Abs(_bandValues.LAeqDb - _plainValues.LAeqDb) > 1e-9)
        {
            throw new InvalidOperationException("Meter with and without bands disagree on LAeq.");
        }
    }

    private double OneSecond(SoundLevelMeter meter, LevelValues values)
    {
        for (int pos = 0; pos < _audio.Length; pos += BlockSize)
        {
            meter.Process(_audio.AsSpan(pos, Math.Min(BlockSize, _audio.Length - pos)));
        }

        meter.CompleteInterval(values);
        return values.LAeqDb;
    }

    [Benchmark(Baseline = true, Description = "meter, no bands, 1 s of 48 kHz")]
    public double MeterWithoutBands() => OneSecond(_withoutBands, _plainValues);

    [Benchmark(Description = "meter with 30 third-octave bands, 1 s of 48 kHz")]
    public double MeterWithBands() => OneSecond(_withBands, _bandValues);

    [Benchmark(Description = "third-octave bank alone, 1 s of 48 kHz")]
    public int FilterBankOnly()
    {
        for (int pos = 0; pos < _audio.Length; pos += BlockSize)
        {
            _bank.Process(_audio.AsSpan(pos, Math.Min(BlockSize, _audio.Length - pos)));
        }

        return _bank.Bands.Count;
    }
}
