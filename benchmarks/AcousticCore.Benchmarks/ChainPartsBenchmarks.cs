using AcousticCore.Dsp;
using AcousticCore.Features;
using AcousticCore.Levels;
using BenchmarkDotNet.Attributes;

namespace AcousticCore.Benchmarks;

/// <summary>
/// The analyse chain split into its parts, each on one second of one 48 kHz channel in 10 ms blocks,
/// so a tuner sees where the time of <see cref="AnalyzeChainBenchmarks"/> goes.
/// </summary>
[MemoryDiagnoser]
public class ChainPartsBenchmarks
{
    private const int Rate = 48_000;
    private const int Block = 480;
    private float[] _second = [];
    private SoundLevelMeter _meter = null!;
    private ThirdOctaveFilterBank _bank = null!;
    private StftFramer _framer = null!;
    private StftFramer _framerWithDescriptors = null!;
    private readonly CountingAnalyser _counter = new();
    private DescriptorAnalyser _descriptors = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _second = new float[Rate];
        for (int i = 0; i < _second.Length; i++) _second[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
        _meter = new SoundLevelMeter(Rate, new SoundLevelMeterOptions { IncludeBands = false });
        _bank = new ThirdOctaveFilterBank(Rate);
        var stft = new StftOptions { FrameSize = 1024 };
        _framer = new StftFramer(0, Rate, stft);
        _framerWithDescriptors = new StftFramer(0, Rate, stft);
        _descriptors = new DescriptorAnalyser(stft.FrameSize);
    }

    /// <summary>A/C/Z weighting, Fast detector, peak and percentile ticks (no bands).</summary>
    [Benchmark]
    public long Meter()
    {
        for (int o = 0; o < _second.Length; o += Block) _meter.Process(_second.AsSpan(o, Block));
        return _meter.SampleCount;
    }

    /// <summary>Class-1 third-octave bank alone.</summary>
    [Benchmark]
    public int Bands()
    {
        for (int o = 0; o < _second.Length; o += Block) _bank.Process(_second.AsSpan(o, Block));
        return _bank.Bands.Count;
    }

    /// <summary>STFT 1024/512 Hann: ring, window, FFT, power spectrum.</summary>
    [Benchmark]
    public int Frames()
    {
        for (int o = 0; o < _second.Length; o += Block) _framer.Push(_second.AsSpan(o, Block), _counter);
        return _counter.Frames;
    }

    /// <summary>STFT plus the spectral descriptor set per frame.</summary>
    [Benchmark]
    public double FramesAndDescriptors()
    {
        for (int o = 0; o < _second.Length; o += Block) _framerWithDescriptors.Push(_second.AsSpan(o, Block), _descriptors);
        return _descriptors.Last;
    }

    private sealed class CountingAnalyser : IFrameAnalyser
    {
        public int Frames;

        public void OnFrame(in Frame frame) => Frames++;
    }

    private sealed class DescriptorAnalyser(int frameSize) : IFrameAnalyser
    {
        private readonly SpectralDescriptorCalculator _calculator = new(frameSize);

        public double Last;

        public void OnFrame(in Frame frame)
        {
            _calculator.Compute(frame.Samples, frame.Power, frame.BinHz, out var d);
            Last = d.CentroidHz;
        }
    }
}
