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
