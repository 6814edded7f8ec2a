using AcousticCore.Tests.TestSupport;
using AcousticCore.Features;
using Xunit;

namespace AcousticCore.Tests.Features;

/// <summary>Known-answer and invariant checks of MfccExtractor and MfccDeltas.</summary>
public class MfccExtractorTests
{
    [Fact]
    public void FlatLogSpectrumGivesOnlyC0()
    {
        // If every filter energy is the same E, the log-energies are constant and the orthonormal
        // DCT-II puts all of it in c0 = √M · ln E; the other coefficients are 0.
        const int fs = 16000, n = 512;
        var ex = new MfccExtractor(fs, n, new MfccOptions { Normalization = MelFilterNormalization.UnitArea, Lifter = 0 });
        // Unit-area filters on a flat power density P give E ≈ P (sum of weights·binHz ≈ 1): use a fine FFT to make it exact enough.
        var power = new float[n / 2 + 1];
        var bank = ex.FilterBank;
        var e = new float[26];
        Array.Fill(power, 2f);
        bank.Apply(power, e);
        var c = new float[13];
        ex.Compute(power, c);
        double meanLog = 0;
        foreach (float v in e) meanLog += Math.Log(v);
        meanLog /= 26;
        Assert.Equal(Math.Sqrt(26) * meanLog, c[0], 3);

        // Exactly constant log-energies: a power spectrum that is zero everywhere hits the floor in every filter.
        Array.Clear(power);
        ex.Compute(power, c);
        Assert.Equal(Math.Sqrt(26) * Math.Log(1e-10), c[0], 2);
        for (int i = 1; i < 13; i++) Assert.Equal(0, c[i], 3);
    }

    [Fact]
    public void ScalingThePowerShiftsOnlyC0()
    {
        // ln(g·E) = ln g + ln E: a gain changes c0 by √M · ln g and leaves c1.. unchanged (no floor hit).
        const int fs = 16000, n = 512;
        var ex = new MfccExtractor(fs, n, new MfccOptions { Lifter = 22 });
        var rng = new Random(7);
        var p = new float[n / 2 + 1];
        for (int k = 0; k < p.Length; k++) p[k] = (float)(0.01 + rng.NextDouble());
        var p4 = p.Select(v => v * 4f).ToArray();
        var a = new float[13];
        var b = new float[13];
        ex.Compute(p, a);
        ex.Compute(p4, b);
        Assert.Equal(Math.Sqrt(26) * Math.Log(4), b[0] - a[0], 3);
        for (int i = 1; i < 13; i++) Assert.Equal(a[i], b[i], 3);
    }

    [Fact]
    public void ComputeAllocatesNothing()
    {
        var ex = new MfccExtractor(16000, 512, new MfccOptions());
        var p = new float[257];
        for (int k = 0; k < p.Length; k++) p[k] = k % 7 + 1;
        var c = new float[13];
        Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => ex.Compute(p, c)));
    }

    [Fact]
    public void DeltasOfALinearRampAreItsSlopeAwayFromTheEdges()
    {
        // c_t = 3t + 1 in dim 0 and −0.5t in dim 1: the regression slope is exact (3, −0.5) for frames
        // with Θ neighbours on each side.
        const int frames = 10, dim = 2;
        var f = new float[frames * dim];
        for (int t = 0; t < frames; t++)
        {
            f[t * dim] = 3 * t + 1;
            f[t * dim + 1] = -0.5f * t;
        }

        var d = new float[frames * dim];
        MfccDeltas.Compute(f, frames, dim, 2, d);
        for (int t = 2; t < frames - 2; t++)
        {
            Assert.Equal(3, d[t * dim], 5);
            Assert.Equal(-0.5, d[t * dim + 1], 5);
        }

        // Frame 0 with edge replication: (1·(c1 − c0) + 2·(c2 − c0)) / 10 = (3 + 12) / 10 = 1.5.
        Assert.Equal(1.5, d[0], 5);
    }

    [Fact]
    public void OptionsValidateWhenSet()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MfccOptions { FilterCount = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MfccOptions { CoefficientCount = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MfccOptions { LowFrequencyHz = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MfccOptions { HighFrequencyHz = double.PositiveInfinity });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MfccOptions { Lifter = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MfccOptions { LogFloor = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MfccExtractor(16000, 512, new MfccOptions { FilterCount = 10, CoefficientCount = 13 }));
        Assert.Throws<ArgumentException>(() => new MfccExtractor(16000, 512, new MfccOptions()).Compute(new float[257], new float[5]));
    }
}
