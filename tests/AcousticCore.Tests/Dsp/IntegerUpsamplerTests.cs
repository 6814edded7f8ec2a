using AcousticCore.Dsp;
using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Dsp;

/// <summary>Interpolation by two checked against sines known at every instant.</summary>
public class IntegerUpsamplerTests
{
    private static float[] Run(float[] x, int block, int factor = 2)
    {
        var up = new IntegerUpsampler(factor);
        var output = new List<float>();
        var buffer = new float[block * factor];
        for (int i = 0; i < x.Length; i += block)
        {
            int n = up.Process(x.AsSpan(i, Math.Min(block, x.Length - i)), buffer);
            output.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        var tail = new float[up.Delay];
        output.AddRange(tail.AsSpan(0, up.Flush(tail)).ToArray());
        return output.ToArray();
    }

    [Theory]
    [InlineData(8000, 1100.0)]    // none of these is a whole number of periods in the filter's delay of 32 input samples,
    [InlineData(8000, 3100.0)]    // so a delay left in would show
    [InlineData(11025, 2500.0)]
    [InlineData(12000, 4470.0)]   // ~0.75 × the input's Nyquist frequency
    [InlineData(8000, 3600.0)]    // 0.9 × the input's Nyquist frequency: still in the passband
    public void InterpolatedSineIsTheSameSineAtTwiceTheRate(int rate, double frequency)
    {
        int n = rate * 2;
        float[] y = Run(Signals.Sine(frequency, 0.5, rate, n), 1000);
        Assert.Equal(2 * n, y.Length);
        double errorPower = 0, worst = 0;
        int counted = 0;
        for (int i = 200; i < y.Length - 200; i++)   // away from the start and end, where the filter sees zeros
        {
            double e = y[i] - 0.5 * Math.Sin(2 * Math.PI * frequency * i / (2.0 * rate));
            errorPower += e * e;
            worst = Math.Max(worst, Math.Abs(e));
            counted++;
        }

        // Blackman-windowed sinc of order 128: passband ripple ~1e-3 dB up to 0.9 × Nyquist, so the error stays ~−60 dB or
        // better; a delay wrong by one output sample alone would leave about −10 dB at 3 kHz.
        double db = 10 * Math.Log10(errorPower / counted / 0.125);
        Assert.True(db < -55, $"{rate} Hz, {frequency} Hz: error {db:F1} dB");
        Assert.True(worst < 0.005, $"{rate} Hz, {frequency} Hz: worst error {worst:E2}");
    }

    [Theory]
    [InlineData(3000.0)]
    [InlineData(3600.0)]   // 0.9 × Nyquist, the edge of the documented passband
    public void TheImageAboveTheOldNyquistFrequencyIsRemoved(double frequency)
    {
        // Zero insertion alone puts an image of a tone f (at 8 kHz) at 8 kHz − f with the tone's own level; the low-pass
        // must take it at least 70 dB down.
        const int rate = 8000;
        float[] y = Run(Signals.Sine(frequency, 0.5, rate, rate), 512);
        double tone = Magnitude(y, frequency, 2 * rate), image = Magnitude(y, rate - frequency, 2 * rate);
        Assert.True(20 * Math.Log10(image / tone) < -70, $"image at {20 * Math.Log10(image / tone):F1} dB");
    }

    [Theory]
    [InlineData(2, 1000)]
    [InlineData(2, 40)]    // shorter than the delay: every output comes from Flush
    [InlineData(3, 999)]
    public void EveryOutputIsTheZeroStuffedInputThroughTheKernelWithTheDelayRemoved(int factor, int n)
    {
        // The definition, in double precision: y[m] = Σ_j h[j]·u[m + D − j], u = input with L − 1 zeros after each
        // sample (zero outside), h = the same NWaves design scaled to sum L, D = order / 2. Every output is compared,
        // the tail that Flush supplies included; an impulse near the end makes the tail matter.
        var x = Signals.WhiteNoise(0.2, n, 7);
        x[n - 3] = 1;
        double[] h = NWaves.Filters.Fda.DesignFilter.FirWinLp(129, 0.5 / factor, NWaves.Windows.WindowType.Blackman);
        double sum = h.Sum();
        float[] y = Run(x, 97, factor);
        Assert.Equal(n * factor, y.Length);
        double worst = 0;
        for (int m = 0; m < y.Length; m++)
        {
            double expected = 0;
            for (int j = 0; j < h.Length; j++)
            {
                int u = m + 64 - j;
                if (u >= 0 && u % factor == 0 && u / factor < n) expected += h[j] * factor / sum * x[u / factor];
            }

            worst = Math.Max(worst, Math.Abs(expected - y[m]));
        }

        Assert.True(worst < 1e-5, $"largest difference {worst:E2}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void EveryLengthAndBlockSizeGivesLengthTimesTheFactor(int factor)
    {
        foreach (int n in new[] { 0, 1, 2, 31, 32, 33, 63, 64, 65, 1000 })
        {
            var x = Signals.WhiteNoise(0.1, Math.Max(n, 1), n)[..n];
            float[] whole = Run(x, Math.Max(n, 1), factor);
            Assert.Equal(n * factor, whole.Length);
            Assert.All(whole, v => Assert.True(float.IsFinite(v)));
            foreach (int block in new[] { 1, 7, 333 }) Assert.Equal(whole, Run(x, block, factor));
        }
    }

    [Fact]
    public void ProcessAllocatesNothingAndBadCallsAreRefused()
    {
        var up = new IntegerUpsampler(2);
        var x = Signals.WhiteNoise(0.1, 4096, 3);
        var y = new float[8192];
        up.Process(x, y);
        Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => up.Process(x, y), warmUp: 2, iterations: 3));

        Assert.Throws<ArgumentException>(() => up.Process(x, new float[8191]));
        Assert.Throws<ArgumentException>(() => up.Flush(new float[up.Delay - 1]));
        Assert.Equal(up.Delay, up.Flush(new float[up.Delay]));
        Assert.Equal(0, up.Flush(new float[up.Delay]));
        Assert.Throws<InvalidOperationException>(() => up.Process(x, y));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntegerUpsampler(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntegerUpsampler(2, 127));
    }

    /// <summary>Magnitude of the DFT of <paramref name="x"/> (Blackman-Harris tapered) at one frequency.</summary>
    private static double Magnitude(float[] x, double frequency, int rate)
    {
        double re = 0, im = 0;
        int n = x.Length;
        for (int i = 0; i < n; i++)
        {
            double t = 2 * Math.PI * i / (n - 1);
            double w = 0.35875 - 0.48829 * Math.Cos(t) + 0.14128 * Math.Cos(2 * t) - 0.01168 * Math.Cos(3 * t);
            double a = 2 * Math.PI * frequency * i / rate;
            re += w * x[i] * Math.Cos(a);
            im -= w * x[i] * Math.Sin(a);
        }

        return Math.Sqrt(re * re + im * im);
    }
}
