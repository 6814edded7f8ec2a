using AcousticCore.Dsp;
using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Dsp;

/// <summary>The delay-free streaming low-pass, against its definition and sines.</summary>
public class LinearPhaseLowPassTests
{
    private static float[] Run(LinearPhaseLowPass filter, float[] x, int block)
    {
        var output = new List<float>();
        var buffer = new float[block];
        for (int i = 0; i < x.Length; i += block)
        {
            int n = filter.Process(x.AsSpan(i, Math.Min(block, x.Length - i)), buffer);
            output.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        var tail = new float[filter.Delay];
        output.AddRange(tail.AsSpan(0, filter.Flush(tail)).ToArray());
        return output.ToArray();
    }

    [Theory]
    [InlineData(0.1, 256, 1000)]
    [InlineData(0.0833, 384, 500)]   // the 8 kHz copy of a 48 kHz recording
    [InlineData(0.3, 64, 40)]        // shorter than the delay
    public void EveryOutputIsTheInputThroughTheKernelAtZeroDelay(double cutoff, int order, int n)
    {
        var x = Signals.WhiteNoise(0.2, n, 5);
        x[n - 2] = 1;
        double[] h = NWaves.Filters.Fda.DesignFilter.FirWinLp(order + 1, cutoff, NWaves.Windows.WindowType.Blackman);
        double sum = h.Sum();
        float[] y = Run(new LinearPhaseLowPass(cutoff, order), x, 77);
        Assert.Equal(n, y.Length);
        double worst = 0;
        for (int m = 0; m < n; m++)
        {
            double expected = 0;
            for (int j = 0; j < h.Length; j++)
            {
                int u = m + order / 2 - j;
                if (u >= 0 && u < n) expected += h[j] / sum * x[u];
            }

            worst = Math.Max(worst, Math.Abs(expected - y[m]));
        }

        Assert.True(worst < 1e-5, $"largest difference {worst:E2}");
    }

    [Fact]
    public void PassesBelowTheCutoffAndStopsAbove()
    {
        // 48 kHz, cutoff 4 kHz, order 384 (transition ≈ 5.5/384 × 48 kHz ≈ 690 Hz wide): 3 kHz passes unchanged, 5 kHz
        // is ≥ 70 dB down, and output n lines up with input n (no delay).
        const int fs = 48000;
        var pass = Run(new LinearPhaseLowPass(4000.0 / fs, 384), Signals.Sine(3000, 0.5, fs, fs), 1000);
        double error = 0;
        for (int i = 400; i < fs - 400; i++) error = Math.Max(error, Math.Abs(pass[i] - 0.5 * Math.Sin(2 * Math.PI * 3000 * i / fs)));
        Assert.True(error < 1e-3, $"passband error {error:E2}");
        var stop = Run(new LinearPhaseLowPass(4000.0 / fs, 384), Signals.Sine(5000, 0.5, fs, fs), 1000);
        double rms = Math.Sqrt(stop.Skip(400).Take(fs - 800).Average(v => (double)v * v));
        Assert.True(20 * Math.Log10(rms / (0.5 / Math.Sqrt(2))) < -70, $"stopband {20 * Math.Log10(rms / (0.5 / Math.Sqrt(2))):F1} dB");
    }

    [Fact]
    public void BadSettingsAndCallsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearPhaseLowPass(0, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearPhaseLowPass(0.5, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearPhaseLowPass(0.2, 63));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearPhaseLowPass(0.2, 64, 0));
        var filter = new LinearPhaseLowPass(0.2, 64);
        var x = new float[100];
        Assert.Throws<ArgumentException>(() => filter.Process(x, new float[99]));
        Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => filter.Process(x, x), warmUp: 2, iterations: 3));
        filter.Flush(new float[filter.Delay]);
        Assert.True(filter.Flushed);
        Assert.Throws<InvalidOperationException>(() => filter.Process([], []));

        // The upsampler keeps its own limits and also refuses an empty block after the end.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new IntegerUpsampler(2, 2048));
        Assert.Contains("16–1024", e.Message, StringComparison.Ordinal);
        var up = new IntegerUpsampler(2);
        up.Flush(new float[up.Delay]);
        Assert.Throws<InvalidOperationException>(() => up.Process([], []));
    }
}
