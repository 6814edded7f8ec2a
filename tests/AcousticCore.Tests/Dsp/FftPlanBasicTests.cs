using AcousticCore.Dsp;
using Xunit;

namespace AcousticCore.Tests.Dsp;

public class FftPlanBasicTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(1024)]
    public void ForwardMatchesFftSharpAndInverseRoundTrips(int n)
    {
        var rng = new Random(1);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        var plan = new FftPlan(n);
        var spec = new float[n + 2];
        plan.Forward(x, spec);
        var reference = FftSharp.FFT.Forward(x.Select(v => (double)v).ToArray());
        for (int k = 0; k <= n / 2; k++)
        {
            Assert.True(Math.Abs(reference[k].Real - spec[2 * k]) < 1e-3);
            Assert.True(Math.Abs(reference[k].Imaginary - spec[2 * k + 1]) < 1e-3);
        }
        var back = new float[n];
        plan.Inverse(spec, back);
        for (int i = 0; i < n; i++) Assert.Equal(x[i], back[i], 4);
    }
}
