using AcousticCore.Arrays;
using Xunit;
using static AcousticCore.Tests.Arrays.PlaneWaveSimulator;

namespace AcousticCore.Tests.Arrays;

public class DoaWindowAnalyzerTests
{
    private sealed class Collect : IDoaWindowSink
    {
        public List<(DoaWindow Window, DoaEstimate[] Peaks)> Items { get; } = new();

        public void OnWindow(in DoaWindow window, ReadOnlySpan<DoaEstimate> peaks) => Items.Add((window, peaks.ToArray()));
    }

    private sealed class Count : IDoaWindowSink
    {
        public int N { get; private set; }

        public void OnWindow(in DoaWindow window, ReadOnlySpan<DoaEstimate> peaks) => N++;
    }

    [Fact]
    public void StreamingInRandomBlocksEqualsOnePush()
    {
        var g = Circular6();
        var x = Simulate(g, 16000, 1 << 14, 123, 0, 10, 4);
        var whole = new DoaWindowAnalyzer(g, 16000, 0.2, tracking: new DirectionTrackerOptions());
        var a = new Collect();
        whole.Push(x, a);
        whole.Finish(a);

        var blocks = new DoaWindowAnalyzer(g, 16000, 0.2, tracking: new DirectionTrackerOptions());
        var b = new Collect();
        var rng = new Random(3);
        int pos = 0;
        while (pos < x.Length)
        {
            int frames = Math.Min(rng.Next(1, 700), (x.Length - pos) / 6);
            blocks.Push(x.AsSpan(pos, frames * 6), b);
            pos += frames * 6;
        }

        blocks.Finish(b);
        Assert.Equal(a.Items.Count, b.Items.Count);
        Assert.Equal(5, a.Items.Count);  // the last frame starts at 15360, in window 4 (12800..16000)
        for (int i = 0; i < a.Items.Count; i++)
        {
            Assert.Equal(a.Items[i].Window, b.Items[i].Window);
            Assert.Equal(a.Items[i].Peaks, b.Items[i].Peaks);
            Assert.Equal(i * 3200L, a.Items[i].Window.StartSample);
            Assert.True(AngleDiff(a.Items[i].Peaks[0].AzimuthDeg, 123) <= 3);
        }

        Assert.Equal(3200, a.Items[^1].Window.LengthSamples);
        var dominant = whole.Dominant();
        Assert.NotNull(dominant);
        Assert.True(AngleDiff(dominant.Value.AzimuthDeg, 123) <= 2);
    }

    [Fact]
    public void SteadyStateAllocatesNothing()
    {
        var g = Linear4();
        var x = Simulate(g, 16000, 1 << 13, 50, 0, 10, 5);
        var analyzer = new DoaWindowAnalyzer(g, 16000, 0.1, tracking: new DirectionTrackerOptions());
        var sink = new Count();
        analyzer.Push(x, sink);
        Assert.Equal(0, AcousticCore.Tests.TestSupport.AllocationProbe.SteadyStateBytes(() => analyzer.Push(x, sink), warmUp: 3, iterations: 3));
        Assert.True(sink.N >= 15, $"{sink.N} windows");
    }
}

public class MultichannelStftTests
{
    [Fact]
    public void FramesAtHopAndSpectraMatchAWindowedFft()
    {
        var stft = new AcousticCore.Arrays.MultichannelStft(2, 64, 32);
        var x = new float[2 * 200];
        for (int i = 0; i < 200; i++)
        {
            x[2 * i] = MathF.Sin(0.3f * i);
            x[2 * i + 1] = i % 7;
        }

        var starts = new List<long>();
        ReadOnlySpan<float> rest = x;
        float[]? second = null;
        while (!rest.IsEmpty)
        {
            rest = rest[stft.Append(rest, out bool ready)..];
            if (!ready) continue;
            starts.Add(stft.FrameStartSample);
            if (stft.FrameCount == 2) second = stft.Spectra.ToArray();
        }

        Assert.Equal(new long[] { 0, 32, 64, 96, 128 }, starts);
        // Frame 2 of channel 1 starts at sample 32: compare with an independent windowed DFT (FftSharp).
        var w = new double[64];
        for (int i = 0; i < 64; i++) w[i] = x[2 * (32 + i) + 1] * (0.5 - 0.5 * Math.Cos(2 * Math.PI * i / 64));
        var reference = FftSharp.FFT.Forward(w);
        for (int k = 0; k <= 32; k++)
        {
            Assert.Equal(reference[k].Real, second![66 + 2 * k], 3);
            Assert.Equal(reference[k].Imaginary, second[66 + 2 * k + 1], 3);
        }
    }

    [Fact]
    public void RejectsPartialFrames()
    {
        var stft = new AcousticCore.Arrays.MultichannelStft(3, 64, 32);
        Assert.Throws<ArgumentException>(() => stft.Append(new float[4], out _));
    }
}
