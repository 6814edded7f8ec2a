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

    [Theory]
    [InlineData(1024, false)]
    [InlineData(1024, true)]
    [InlineData(2048, true)]
    [InlineData(40, true)]
    [InlineData(40, false)]
    public void EveryDescriptorMatchesItsDefinitionOnBothVectorPaths(int frameSize, bool allowWide)
    {
        // 512-bit and Vector<T> paths (the wide one where the hardware has it) against the definitions in double.
        var rng = new Random(frameSize + (allowWide ? 1 : 0));
        int bins = frameSize / 2;
        double binHz = 48000.0 / frameSize;
        var calculator = new SpectralDescriptorCalculator(frameSize, allowWide);
        double[]? previous = null;
        for (int frame = 0; frame < 4; frame++)
        {
            var samples = new float[frameSize];
            for (int i = 0; i < frameSize; i++) samples[i] = (float)(rng.NextDouble() - 0.45);
            var power = new float[bins + 1];
            for (int i = 0; i <= bins; i++) power[i] = (float)(rng.NextDouble() * Math.Pow(10, rng.Next(-4, 2)));
            calculator.Compute(samples, power, binHz, out var d);

            double sp = 0, skp = 0, sa = 0, ska = 0, max = 0, sLog = 0, sk = 0, skk = 0;
            var magnitude = new double[bins];
            for (int i = 1; i <= bins; i++)
            {
                double p = power[i], a = Math.Sqrt(p);
                magnitude[i - 1] = a;
                sp += p; skp += i * p; sa += a; ska += i * a; sk += i; skk += (double)i * i;
                max = Math.Max(max, p);
                sLog += Math.Log(p + 1e-30);
            }

            double centroid = skp / sp, spread = 0;
            for (int i = 1; i <= bins; i++) spread += (i - centroid) * (i - centroid) * power[i];
            spread = Math.Sqrt(spread / sp);
            double cumulative = 0;
            int rolloff = bins;
            for (int i = 1; i <= bins; i++)
            {
                cumulative += power[i];
                if (cumulative >= 0.85 * sp) { rolloff = i; break; }
            }

            double slope = ((bins * ska) - (sk * sa)) / ((bins * skk) - (sk * sk)) / sa / binHz;
            for (int i = 0; i < bins; i++) magnitude[i] /= Math.Sqrt(sp);
            double flux = double.NaN;
            if (previous is not null)
            {
                flux = 0;
                for (int i = 0; i < bins; i++) flux += (magnitude[i] - previous[i]) * (magnitude[i] - previous[i]);
                flux = Math.Sqrt(flux);
            }

            previous = magnitude;
            int crossings = 0;
            double squares = 0;
            for (int i = 0; i < frameSize; i++)
            {
                squares += (double)samples[i] * samples[i];
                if (i > 0 && (samples[i] >= 0) != (samples[i - 1] >= 0)) crossings++;
            }

            Assert.Equal(centroid * binHz, d.CentroidHz, 1e-5 * centroid * binHz);
            Assert.Equal(spread * binHz, d.SpreadHz, 1e-4 * spread * binHz);
            Assert.Equal(Math.Exp(sLog / bins) / (sp / bins), d.Flatness, 1e-4 * d.Flatness);
            Assert.Equal(max / (sp / bins), d.Crest, 1e-5 * d.Crest);
            Assert.Equal(slope, d.Slope, 1e-4 * Math.Abs(slope));
            if (Math.Abs(cumulative - (0.85 * sp)) > 1e-4 * sp) Assert.Equal(rolloff * binHz, d.RolloffHz);
            if (frame > 0)
            {
                Assert.Equal(flux, d.Flux, 1e-4 * flux);
            }
            else
            {
                Assert.True(double.IsNaN(d.Flux));
            }

            Assert.Equal((double)crossings / (frameSize - 1), d.ZeroCrossingRate);
            Assert.Equal(squares / frameSize, d.MeanSquare, 1e-6 * squares / frameSize);
        }
    }
}
