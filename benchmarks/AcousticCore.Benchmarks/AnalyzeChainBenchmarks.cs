using AcousticCore.Audio;
using AcousticCore.Dsp;
using AcousticCore.Pipeline;
using BenchmarkDotNet.Attributes;

namespace AcousticCore.Benchmarks;

/// <summary>
/// The whole analyse chain (A/C/Z meter with time weighting, third-octave bands, STFT and the
/// spectral set) on one second of 48 kHz audio, fed in 10 ms blocks as a sensor delivers it.
/// Real-time factor = 1 s / mean time; channel-seconds per second = channels × that. Median and
/// minimum are shown too: on a shared VM the mean carries the neighbours' noise.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
public class AnalyzeChainBenchmarks
{
    private const int Rate = 48_000;
    private const int Block = 480; // 10 ms
    private float[] _second = [];
    private StreamAnalyzer _analyzer = null!;
    private readonly NullSink _sink = new();

    [Params(1, 16)]
    public int Channels { get; set; }

    [Params(true, false)]
    public bool Bands { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _second = new float[Rate * Channels];
        for (int i = 0; i < _second.Length; i++) _second[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
        // An interval far longer than the run: records are made once per interval, not per frame.
        _analyzer = new StreamAnalyzer(new AudioFormat(Rate, Channels),
            new AnalysisOptions { IntervalSeconds = 3600, IncludeBands = Bands, Stft = new StftOptions { FrameSize = 1024 } }, "bench");
        Run();
    }

    /// <summary>One second of audio through the chain.</summary>
    [Benchmark]
    public long OneSecond() => Run();

    private long Run()
    {
        int step = Block * Channels;
        for (int offset = 0; offset < _second.Length; offset += step)
        {
            _analyzer.Process(_second.AsSpan(offset, step), 0, _sink);
        }

        return _analyzer.SamplesProcessed;
    }

    private sealed class NullSink : IAnalysisSink
    {
        public void OnInterval(ResultRecord record, long lastSampleTimestamp)
        {
        }

        public void OnSummary(ResultRecord record)
        {
        }
    }
}

/// <summary>STFT per frame: copy out of the ring, window, FFT, power spectrum.</summary>
[MemoryDiagnoser]
public class StftFrameBenchmarks
{
    private StftFramer _framer = null!;
    private float[] _hop = [];
    private readonly Counter _counter = new();

    [Params(1024, 2048)]
    public int FrameSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _framer = new StftFramer(0, 48_000, new StftOptions { FrameSize = FrameSize, HopSize = FrameSize / 2 });
        var rng = new Random(1);
        _hop = new float[FrameSize / 2];
        for (int i = 0; i < _hop.Length; i++) _hop[i] = (float)rng.NextDouble() - 0.5f;
        for (int i = 0; i < 4; i++) _framer.Push(_hop, _counter);
    }

    /// <summary>One hop of samples = exactly one frame emitted.</summary>
    [Benchmark]
    public int OneFrame()
    {
        _framer.Push(_hop, _counter);
        return _counter.Frames;
    }

    private sealed class Counter : IFrameAnalyser
    {
        public int Frames;

        public void OnFrame(in Frame frame) => Frames++;
    }
}
