using AcousticCore.Voice;
using Xunit;

namespace AcousticCore.Tests.Voice;

public class PeakInterpolationTests
{
    [Fact]
    public void VectorisedSincEqualsTheTermByTermDefinition()
    {
        // the fast sinc (lanes, Chebyshev taper recurrence) against the definition with one sine and cosine per term, over
        // depths with every remainder mod 4, positions near both ends (depth clipped) and in the middle
        var rng = new Random(5);
        var y = new double[421];
        for (int i = 0; i < y.Length; i++) y[i] = Math.Cos(0.07 * i) * Math.Exp(-i / 300.0) + 0.1 * (rng.NextDouble() - 0.5);
        double worst = 0;
        foreach (int depth in new[] { 2, 3, 5, 8, 9, 10, 11, 30, 70, 700 })
        {
            for (int t = 0; t < 300; t++)
            {
                double x = t < 20 ? t * 0.37 : t < 40 ? y.Length - 1 - (t - 20) * 0.41 : rng.NextDouble() * (y.Length - 1);
                double fast = PeakInterpolation.Sinc(y, x, depth), reference = PeakInterpolation.SincReference(y, x, depth);
                worst = Math.Max(worst, Math.Abs(fast - reference));
            }
        }

        Assert.InRange(worst, 0, 1e-12);
        Assert.Equal(y[7], PeakInterpolation.Sinc(y, 7.0, 70));
    }
}

public class UnvoicedSkipTests
{
    [Theory]
    [InlineData("espeak_en_m_16k")]
    [InlineData("flite_rms_m_16k")]
    [InlineData("espeak_en_m_tel_8k")]
    public void SkippingProvablyUnvoicedFramesChangesNothing(string file)
    {
        // pitch (voice-report costs) and harmonicity (no costs): contours with and without the skip are identical, bit for bit
        var (x, fs) = VoiceReferenceData.ReadWav(file);
        var z = Array.ConvertAll(x, v => (double)v);
        // quiet noise on top so that frames fall between silence and the skip bound
        var rng = new Random(1);
        for (int i = 0; i < z.Length; i++) z[i] += 0.004 * (rng.NextDouble() - 0.5);
        var o = PitchOptions.VoiceReport;
        double dt = 0.25 / o.FloorHz;
        foreach (var (silence, voicing, vu, octave, jump, ceiling, margin) in new[]
        {
            (o.SilenceThreshold, o.VoicingThreshold, o.VoicedUnvoicedCost, o.OctaveCost, o.OctaveJumpCost, o.CeilingHz, double.PositiveInfinity),
            (0.1, 0.0, 0.0, 0.0, 0.0, 0.5 * fs, 0.02),
        })
        {
            double bound = PitchAnalyzer.ProvablyUnvoicedBelow(silence, voicing, vu * 0.01 / dt);
            Assert.True(bound > 0);
            var full = PitchAnalyzer.ComputeCandidates(z, fs, 0, o.FloorHz, 1.0, 15, true, margin < 1, voicing, octave, ceiling, margin);
            var skip = PitchAnalyzer.ComputeCandidates(z, fs, 0, o.FloorHz, 1.0, 15, true, margin < 1, voicing, octave, ceiling, margin, bound);
            int skipped = 0;
            for (int f = 0; f < full.FrameCount; f++) if (skip.Count[f] == 1 && full.Count[f] > 1) skipped++;
            Assert.True(skipped > 0, "the test signal must exercise the skip");
            var a = PitchAnalyzer.FindPath(full, silence, voicing, octave, jump, vu);
            var b = PitchAnalyzer.FindPath(skip, silence, voicing, octave, jump, vu);
            Assert.Equal(a.FrequenciesHz.ToArray(), b.FrequenciesHz.ToArray());
            Assert.Equal(a.Strengths.ToArray(), b.Strengths.ToArray());
        }
    }
}

public class SlidingProductTests
{
    [Fact]
    public void SlidingProductsEqualTheDirectSums()
    {
        // every lag count through the 32-, 16-, 4-lane and scalar paths
        var rng = new Random(4);
        var x = new double[213];
        var z = new double[213 + 300];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble() - 0.5;
        for (int i = 0; i < z.Length; i++) z[i] = rng.NextDouble() - 0.5;
        foreach (int lags in new[] { 0, 1, 3, 4, 15, 16, 31, 32, 33, 50, 210, 300 })
        {
            var result = new double[lags];
            PeakInterpolation.SlidingProducts(x, z.AsSpan(0, lags == 0 ? x.Length : lags - 1 + x.Length), result);
            for (int i = 0; i < lags; i++)
            {
                double direct = 0;
                for (int j = 0; j < x.Length; j++) direct += x[j] * z[i + j];
                Assert.Equal(direct, result[i], 12);
            }
        }
    }
}
