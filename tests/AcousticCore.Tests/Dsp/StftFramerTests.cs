using AcousticCore.Dsp;
using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Dsp;

public class StftFramerTests
{
    private sealed class Capture : IFrameAnalyser
    {
        public List<long> Starts { get; } = new();
        public List<float[]> Samples { get; } = new();
        public List<float[]> Power { get; } = new();
        public void OnFrame(in Frame frame)
        {
            Starts.Add(frame.StartSample);
            Samples.Add(frame.Samples.ToArray());
            Power.Add(frame.Power.ToArray());
        }
    }

    [Theory]
    [InlineData(WindowKind.Hann)]
    [InlineData(WindowKind.Hamming)]
    [InlineData(WindowKind.BlackmanHarris)]
    [InlineData(WindowKind.Rectangular)]
    public void PowerSumsToWindowWeightedMeanSquare_Parseval(WindowKind kind)
    {
        const int n = 1024;
        var x = Signals.WhiteNoise(0.3, n, seed: 7);
        var framer = new StftFramer(0, 48000, new StftOptions { FrameSize = n, HopSize = n, Window = kind });
        var cap = new Capture();
        framer.Push(x, cap);
        Assert.Single(cap.Power);
        var w = WindowDesign.Create(kind, n);
        double num = 0, den = 0;
        for (int i = 0; i < n; i++)
        {
            num += (double)w[i] * w[i] * x[i] * x[i];
            den += (double)w[i] * w[i];
        }

        double expected = num / den;
        double sum = cap.Power[0].Sum(p => (double)p);
        Assert.InRange(sum / expected, 1 - 1e-4, 1 + 1e-4);
    }

    [Fact]
    public void SineOfAmplitudeA_HasTotalPowerAOver2_ForAnyWindow()
    {
        // A bin-centred sine: the window-power normalisation makes the summed power A²/2.
        const int n = 2048, rate = 48000;
        var x = Signals.Sine(64 * (double)rate / n, 0.5, rate, n);
        foreach (WindowKind kind in Enum.GetValues<WindowKind>())
        {
            var framer = new StftFramer(0, rate, new StftOptions { FrameSize = n, HopSize = n, Window = kind });
            var cap = new Capture();
            framer.Push(x, cap);
            Assert.InRange(cap.Power[0].Sum(p => (double)p), 0.125 * 0.999, 0.125 * 1.001);
        }
    }

    [Fact]
    public void PeriodicHannWindowIsDftEven()
    {
        var w = WindowDesign.Create(WindowKind.Hann, 8);
        Assert.Equal(0f, w[0], 6);
        Assert.Equal(1f, w[4], 6);
        Assert.Equal(w[1], w[7], 6);
    }

    [Fact]
    public void FramesStartEveryHop_AndBlockSizeDoesNotMatter()
    {
        var x = Signals.WhiteNoise(0.1, 10_000, seed: 3);
        var options = new StftOptions { FrameSize = 256, HopSize = 100 };
        var whole = new Capture();
        new StftFramer(0, 16000, options).Push(x, whole);

        var rng = new Random(11);
        var pieces = new Capture();
        var framer = new StftFramer(0, 16000, options);
        int pos = 0;
        while (pos < x.Length)
        {
            int len = Math.Min(rng.Next(1, 700), x.Length - pos);
            framer.Push(x.AsSpan(pos, len), pieces);
            pos += len;
        }

        Assert.Equal((10_000 - 256) / 100 + 1, whole.Starts.Count);
        Assert.Equal(whole.Starts, pieces.Starts);
        for (int f = 0; f < whole.Starts.Count; f++)
        {
            Assert.Equal(f * 100L, whole.Starts[f]);
            Assert.Equal(x.AsSpan(f * 100, 256).ToArray(), whole.Samples[f]);
            Assert.Equal(whole.Power[f], pieces.Power[f]);
        }
    }

    [Fact]
    public void OptionsRejectBadValues()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StftOptions { FrameSize = 1000 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new StftOptions { FrameSize = 32 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new StftOptions { HopSize = 0 });
        Assert.Throws<ArgumentException>(() => new StftOptions { FrameSize = 256, HopSize = 512 }.Validate());
    }

    private sealed class NoOp : IFrameAnalyser
    {
        public int Count;
        public void OnFrame(in Frame frame) => Count++;
    }

    [Fact]
    public void PushAllocatesNothingInSteadyState()
    {
        var framer = new StftFramer(0, 48000, new StftOptions { FrameSize = 1024, HopSize = 512 });
        var x = Signals.WhiteNoise(0.1, 480, seed: 1);
        var sink = new NoOp();
        long bytes = AllocationProbe.SteadyStateBytes(() => framer.Push(x, sink), warmUp: 200, iterations: 700);
        Assert.True(sink.Count > 1500);
        Assert.Equal(0, bytes);
    }
}
