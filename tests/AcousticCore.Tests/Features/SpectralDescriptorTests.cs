using AcousticCore.Dsp;
using AcousticCore.Features;
using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Features;

public class SpectralDescriptorTests
{
    private sealed class Collect(int frameSize) : IFrameAnalyser
    {
        private readonly SpectralDescriptorCalculator _calc = new(frameSize);
        public List<SpectralDescriptorValues> Values { get; } = new();
        public void OnFrame(in Frame frame)
        {
            _calc.Compute(frame.Samples, frame.Power, frame.BinHz, out var v);
            Values.Add(v);
        }
    }

    private static List<SpectralDescriptorValues> Run(float[] x, int rate, int n = 1024, int? hop = null)
    {
        var c = new Collect(n);
        new StftFramer(0, rate, new StftOptions { FrameSize = n, HopSize = hop ?? n / 2 }).Push(x, c);
        return c.Values;
    }

    [Theory]
    [InlineData(440.0)]
    [InlineData(1000.0)]
    [InlineData(5123.0)]
    public void SineCentroidIsItsFrequencyWithinOneBin(double f)
    {
        const int rate = 48000, n = 1024;
        var v = Run(Signals.Sine(f, 0.5, rate, rate), rate, n);
        double bin = (double)rate / n;
        foreach (var d in v)
        {
            Assert.InRange(d.CentroidHz, f - bin, f + bin);
            Assert.InRange(d.RolloffHz, f - bin, f + bin);
            Assert.True(d.Flatness < 0.01, $"flatness {d.Flatness}");
        }

        // A sine crosses zero twice per period; a frame can hold one crossing more or less.
        Assert.InRange(v[3].ZeroCrossingRate, 2 * f / rate - 1.5 / (n - 1), 2 * f / rate + 1.5 / (n - 1)); // ±1 crossing per frame
    }

    [Fact]
    public void WhiteNoiseFlatnessIsExpMinusEulerGamma()
    {
        // For a periodogram of white Gaussian noise each bin is exponentially distributed:
        // E[ln p] = ln E[p] − γ, so the geometric/arithmetic mean ratio tends to e^−γ ≈ 0.5615.
        const int rate = 48000;
        var v = Run(Signals.WhiteNoise(0.1, rate * 4, seed: 5), rate, 2048, 2048);
        double mean = v.Average(d => d.Flatness);
        Assert.InRange(mean, Math.Exp(-0.5772156649) - 0.02, Math.Exp(-0.5772156649) + 0.02);
        // White noise: centroid at Nyquist/2, rolloff at 85 % of Nyquist.
        Assert.InRange(v.Average(d => d.CentroidHz), 11_700, 12_300);
        Assert.InRange(v.Average(d => d.RolloffHz), 0.85 * 24000 - 300, 0.85 * 24000 + 300);
        // Zero-crossing rate of white Gaussian noise is 1/2.
        Assert.InRange(v.Average(d => d.ZeroCrossingRate), 0.48, 0.52);
        // Spread of a flat spectrum on [0, fs/2]: (fs/2)/√12.
        Assert.InRange(v.Average(d => d.SpreadHz), 24000 / Math.Sqrt(12) * 0.97, 24000 / Math.Sqrt(12) * 1.03);
    }

    [Fact]
    public void ChirpRolloffTracksTheSweep()
    {
        const int rate = 16000, n = 512;
        int length = rate * 2;
        var x = Signals.LinearChirp(500, 6500, 0.5, rate, length);
        var v = Run(x, rate, n, n);
        for (int f = 2; f < v.Count - 2; f++)
        {
            double tMid = (f * n + n / 2.0) / rate;
            double instantaneous = 500 + (6500 - 500) * tMid / 2.0;
            Assert.InRange(v[f].RolloffHz, instantaneous - 150, instantaneous + 250);
            Assert.InRange(v[f].CentroidHz, instantaneous - 120, instantaneous + 120);
        }
    }

    [Fact]
    public void FluxIsZeroForStationaryToneAndHighForAChange()
    {
        const int rate = 48000, n = 1024;
        var tone = Signals.Sine(1500, 0.5, rate, n * 4); // bin-aligned frames with hop = n: identical frames
        var v = Run(tone, rate, n, n);
        Assert.True(double.IsNaN(v[0].Flux));
        Assert.InRange(v[2].Flux, 0, 1e-3);

        var change = Signals.Sine(1500, 0.5, rate, n).Concat(Signals.Sine(6000, 0.5, rate, n)).ToArray();
        var w = Run(change, rate, n, n);
        Assert.InRange(w[1].Flux, 1.2, Math.Sqrt(2) + 1e-6);
    }

    [Fact]
    public void SlopeIsNegativeForLowpassAndPositiveForHighpassSpectra()
    {
        const int rate = 48000;
        var noise = Signals.WhiteNoise(0.1, rate, seed: 9);
        var low = new float[noise.Length];
        var high = new float[noise.Length];
        for (int i = 1; i < noise.Length; i++)
        {
            low[i] = 0.5f * (noise[i] + noise[i - 1]);   // zero at Nyquist
            high[i] = 0.5f * (noise[i] - noise[i - 1]);  // zero at DC
        }

        Assert.True(Run(low, rate).Average(d => d.Slope) < 0);
        Assert.True(Run(high, rate).Average(d => d.Slope) > 0);
        Assert.InRange(Math.Abs(Run(noise, rate).Average(d => d.Slope)), 0, 2e-6);
    }

    [Fact]
    public void SilenceGivesUndefinedDescriptorsNotGarbage()
    {
        var v = Run(new float[4096], 48000);
        Assert.True(double.IsNaN(v[0].CentroidHz));
        Assert.Equal(0, v[0].MeanSquare);
    }
}

public class SignChangeTests
{
    [Fact]
    public void VectorisedCountEqualsTheDefinitionForAnyLength()
    {
        var rng = new Random(12);
        for (int n = 0; n < 80; n++)
        {
            var x = new float[n];
            for (int i = 0; i < n; i++) x[i] = rng.Next(4) switch { 0 => 0f, 1 => -0f, 2 => 1f, _ => -(float)rng.NextDouble() };
            int expected = 0;
            for (int i = 1; i < n; i++) if ((x[i] >= 0) != (x[i - 1] >= 0)) expected++;
            Assert.Equal(expected, SpectralDescriptorCalculator.CountSignChanges(x));
            Assert.Equal(expected, SpectralDescriptorCalculator.CountSignChanges(x, wide: false));
        }
    }
}
