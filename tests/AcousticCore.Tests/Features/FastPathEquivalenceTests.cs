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
            Assert.Equal(expected, SpectralDescriptorCalculator.RolloffBin(p, target));
        }

        Assert.Equal(3, SpectralDescriptorCalculator.RolloffBin([1f, 1f, 1f], 10));
    }
}
