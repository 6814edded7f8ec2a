using AcousticCore.Arrays;
using AcousticCore.Dsp;
using Xunit;

namespace AcousticCore.Tests.Arrays;

public class GccPhatDelayEstimatorTests
{
    private const int Rate = 16000;

    /// <summary>Signals a and b where b is a delayed by <paramref name="delaySamples"/> (by construction), plus sensor noise.</summary>
    private static (float[] A, float[] B) Pair(double delaySamples, int n, double snrDb, int seed)
    {
        var g = new ArrayGeometry("pair", new[] { new Microphone("a", 0, 0, 0), new Microphone("b", 1, 0, 0) });
        double seconds = delaySamples / Rate;
        var s = PlaneWaveSimulator.Noise(n, seed);
        var a = PlaneWaveSimulator.Propagate(g, Rate, s, 90, 0);   // broadside: no geometric delay
        var b = PlaneWaveSimulator.Propagate(g, Rate, s, 90, 0, extraDelaySeconds: seconds);
        var noisy = PlaneWaveSimulator.AddSensorNoise(new[] { a[0], b[1] }, snrDb, seed + 1);
        return (noisy[0].Select(v => (float)v).ToArray(), noisy[1].Select(v => (float)v).ToArray());
    }

    private static float[] Spectrum(float[] x, int start, int n)
    {
        var plan = new FftPlan(n);
        var w = new float[n];
        for (int i = 0; i < n; i++) w[i] = x[start + i] * (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * i / n));
        var spec = new float[n + 2];
        plan.Forward(w, spec);
        return spec;
    }

    [Theory]
    [InlineData(2.37)]
    [InlineData(-4.81)]
    [InlineData(0.5)]
    [InlineData(7.02)]
    public void RecoversAKnownFractionalDelay(double delay)
    {
        var (a, b) = Pair(delay, 1 << 14, double.PositiveInfinity, 3);
        var gcc = new GccPhatDelayEstimator(1024, Rate, maxDelaySeconds: 10.0 / Rate, maxFrequencyHz: 7800);
        var est = gcc.Estimate(Spectrum(a, 4096, 1024), Spectrum(b, 4096, 1024));
        Assert.InRange(est.DelaySamples, delay - 0.05, delay + 0.05);
        Assert.Equal(delay / Rate, est.DelaySeconds, 6);
        Assert.True(est.Peak > 0.7, $"peak {est.Peak}");
    }

    [Fact]
    public void AveragingFramesRecoversTheDelayAt0DbSnr()
    {
        var (a, b) = Pair(3.3, 1 << 15, 0, 5);
        var gcc = new GccPhatDelayEstimator(1024, Rate, 10.0 / Rate);
        var acc = new float[1026];
        int frames = 0;
        for (int start = 0; start + 1024 <= a.Length; start += 512, frames++)
        {
            gcc.AccumulatePhat(Spectrum(a, start, 1024), Spectrum(b, start, 1024), acc);
        }

        var est = gcc.EstimateFromCrossSpectrum(acc, frames);
        Assert.InRange(est.DelaySamples, 3.3 - 0.15, 3.3 + 0.15);
        Assert.InRange(est.Peak, 0.2, 0.8);
    }

    [Fact]
    public void SearchStaysWithinThePhysicallyPossibleLag()
    {
        // True delay 9 samples, but the array allows at most 4: the estimate must not leave ±4.
        var (a, b) = Pair(9, 1 << 13, 20, 7);
        var gcc = new GccPhatDelayEstimator(1024, Rate, 4.0 / Rate);
        var est = gcc.Estimate(Spectrum(a, 2048, 1024), Spectrum(b, 2048, 1024));
        Assert.InRange(est.DelaySamples, -4.0, 4.0);
        Assert.True(est.Peak < 0.5, $"no coherent peak expected inside ±4, got {est.Peak}");
    }

    [Fact]
    public void RejectsFramesTooShortForTheDelay()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GccPhatDelayEstimator(64, Rate, 40.0 / Rate));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GccPhatDelayEstimator(1024, Rate, 1e-3, interpolation: 3));
    }
}
