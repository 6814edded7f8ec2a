using AcousticCore.Dsp;
using AcousticCore.Features;
using Xunit;

namespace AcousticCore.Tests.Features;

/// <summary>The vectorised per-frame helpers against their one-element-at-a-time definitions.</summary>
public class FastPathEquivalenceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(129)]
    [InlineData(513)]
    public void PowerSpectrumEqualsTheScalarFormulaExactly(int bins)
    {
        var rng = new Random(bins);
        var spectrum = new float[2 * bins];
        for (int i = 0; i < spectrum.Length; i++) spectrum[i] = (float)((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-6, 4)));
        var power = new float[bins];
        StftFramer.PowerSpectrum(spectrum, power, 0.37f);
        for (int k = 0; k < bins; k++)
        {
            float re = spectrum[2 * k], im = spectrum[(2 * k) + 1];
            Assert.Equal(((re * re) + (im * im)) * 0.37f, power[k]);
        }
    }

    [Theory]
    [InlineData(1024, 0)]
    [InlineData(1024, 1)]
    [InlineData(2048, 2)]
    [InlineData(30, 3)]
    public void FlatnessMatchesADoublePrecisionGeometricMean(int frameSize, int seed)
    {
        // The fast path sums exponents and multiplies mantissas instead of taking a log per bin.
        var rng = new Random(seed);
        int bins = (frameSize / 2) + 1;
        var power = new float[bins];
        for (int i = 0; i < bins; i++) power[i] = rng.Next(10) == 0 ? 0f : (float)(rng.NextDouble() * Math.Pow(10, rng.Next(-25, 6)));
        var calculator = new SpectralDescriptorCalculator(frameSize);
        calculator.Compute(new float[frameSize], power, 16000.0 / frameSize, out var d);
        double sumLog = 0, sum = 0;
        for (int i = 1; i < bins; i++)
        {
            sumLog += Math.Log((double)(power[i] + 1e-30f));
            sum += power[i];
        }

        double expected = Math.Min(1.0, Math.Exp(sumLog / (bins - 1)) / (sum / (bins - 1)));
        Assert.Equal(expected, d.Flatness, expected * 2e-4);
    }

    [Fact]
    public void RolloffBinIsTheFirstBinWhoseCumulativePowerReachesTheTarget()
    {
        var rng = new Random(9);
        for (int trial = 0; trial < 300; trial++)
        {
            int n = 1 + rng.Next(700);
            var p = new float[n];
            for (int i = 0; i < n; i++) p[i] = (float)(rng.NextDouble() * Math.Pow(10, rng.Next(-3, 3)));
            // Target midway between two cumulative sums, so rounding cannot move the answer.
            var cumulative = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) cumulative[i] = sum += p[i];
            int expected = 1 + rng.Next(n);
            double below = expected >= 2 ? cumulative[expected - 2] : 0;
            double target = (below + cumulative[expected - 1]) / 2;
            if (cumulative[expected - 1] - below < 1e-6 * cumulative[^1]) continue; // a near-zero bin: no clear answer
            var blocks = new double[(n / SpectralDescriptorCalculator.RolloffBlock) + 1];
            SpectralDescriptorCalculator.BlockSums(p, blocks);
            Assert.Equal(expected, SpectralDescriptorCalculator.RolloffBin(p, target, blocks));
        }

        Assert.Equal(3, SpectralDescriptorCalculator.RolloffBin([1f, 1f, 1f], 10, [0.0]));
    }
}
