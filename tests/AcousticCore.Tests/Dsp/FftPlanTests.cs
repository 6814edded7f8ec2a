using System.Numerics;
using AcousticCore.Dsp;
using Xunit;

namespace AcousticCore.Tests.Dsp;

/// <summary>
/// FftPlan against FftSharp (double precision, independent implementation), analytic spectra and
/// transform invariants. Error norm used throughout: the largest absolute error over all bins (or
/// samples) divided by the largest magnitude of the reference (an L∞ relative error); the FftSharp
/// comparison also checks the L2 relative error ‖X − X_ref‖₂ / ‖X_ref‖₂.
/// </summary>
public class FftPlanTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<int> AllSizes()
    {
        var data = new TheoryData<int>();
        for (int n = FftPlan.MinSize; n <= FftPlan.MaxSize; n *= 2) data.Add(n);
        return data;
    }

    public static TheoryData<int, bool> AllSizesBothKernels()
    {
        var data = new TheoryData<int, bool>();
        for (int n = FftPlan.MinSize; n <= FftPlan.MaxSize; n *= 2)
        {
            data.Add(n, true);
            data.Add(n, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllSizesBothKernels))]
    public void ForwardMatchesFftSharp(int n, bool simd)
    {
        float[] x = RandomSignal(n, seed: n);
        var plan = new FftPlan(n, simd);
        var spectrum = new float[n + 2];
        plan.Forward(x, spectrum);

        var reference = new Complex[n];
        for (int i = 0; i < n; i++) reference[i] = new Complex(x[i], 0);
        FftSharp.FFT.Forward(reference);

        double maxRef = 0, maxErr = 0, sumRef = 0, sumErr = 0;
        for (int k = 0; k <= n / 2; k++)
        {
            double er = spectrum[2 * k] - reference[k].Real, ei = spectrum[2 * k + 1] - reference[k].Imaginary;
            double err2 = er * er + ei * ei, ref2 = reference[k].Magnitude * reference[k].Magnitude;
            maxRef = Math.Max(maxRef, reference[k].Magnitude);
            maxErr = Math.Max(maxErr, Math.Sqrt(err2));
            sumRef += ref2;
            sumErr += err2;
        }

        Assert.True(maxErr / maxRef < Tolerance, $"N={n}: L∞ relative error {maxErr / maxRef:E2}");
        Assert.True(Math.Sqrt(sumErr / sumRef) < Tolerance, $"N={n}: L2 relative error {Math.Sqrt(sumErr / sumRef):E2}");
        Assert.Equal(0f, spectrum[1]);
        Assert.Equal(0f, spectrum[n + 1]);
    }

    [Theory]
    [MemberData(nameof(AllSizesBothKernels))]
    public void InverseOfForwardRestoresSignal(int n, bool simd)
    {
        float[] x = RandomSignal(n, seed: 7 * n);
        var plan = new FftPlan(n, simd);
        var spectrum = new float[n + 2];
        var back = new float[n];
        plan.Forward(x, spectrum);
        plan.Inverse(spectrum, back);
        Assert.True(MaxAbsDiff(x, back) / MaxAbs(x) < Tolerance, $"N={n}: round trip error {MaxAbsDiff(x, back):E2}");
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void ParsevalHolds(int n)
    {
        float[] x = RandomSignal(n, seed: 3 * n);
        var spectrum = new float[n + 2];
        new FftPlan(n).Forward(x, spectrum);
        double timeEnergy = 0;
        foreach (float v in x) timeEnergy += (double)v * v;
        // Bins 1..N/2−1 stand for their mirrored negative-frequency twins too.
        double freqEnergy = 0;
        for (int k = 0; k <= n / 2; k++)
        {
            double p = (double)spectrum[2 * k] * spectrum[2 * k] + (double)spectrum[2 * k + 1] * spectrum[2 * k + 1];
            freqEnergy += k == 0 || k == n / 2 ? p : 2 * p;
        }

        freqEnergy /= n;
        Assert.True(Math.Abs(freqEnergy - timeEnergy) / timeEnergy < Tolerance, $"N={n}: {freqEnergy} vs {timeEnergy}");
    }

    [Theory]
    [InlineData(64)]
    [InlineData(1024)]
    [InlineData(8192)]
    public void ForwardIsLinear(int n)
    {
        float[] x = RandomSignal(n, 11), y = RandomSignal(n, 12);
        const float a = 0.75f, b = -1.5f;
        var combined = new float[n];
        for (int i = 0; i < n; i++) combined[i] = a * x[i] + b * y[i];
        var plan = new FftPlan(n);
        float[] sx = new float[n + 2], sy = new float[n + 2], sc = new float[n + 2];
        plan.Forward(x, sx);
        plan.Forward(y, sy);
        plan.Forward(combined, sc);
        var expected = new float[n + 2];
        for (int i = 0; i < n + 2; i++) expected[i] = a * sx[i] + b * sy[i];
        Assert.True(MaxAbsDiff(sc, expected) / MaxAbs(expected) < Tolerance);
    }

    [Theory]
    [InlineData(16, 0)]
    [InlineData(64, 5)]
    [InlineData(1024, 1)]
    [InlineData(1024, 333)]
    [InlineData(65536, 40000)]
    public void ImpulseGivesUnitMagnitudeLinearPhase(int n, int position)
    {
        var x = new float[n];
        x[position] = 1f;
        var spectrum = new float[n + 2];
        new FftPlan(n).Forward(x, spectrum);
        // X[k] = e^(−2πi·k·position/N)
        double maxErr = 0;
        for (int k = 0; k <= n / 2; k++)
        {
            double phase = -2 * Math.PI * ((long)k * position % n) / n;
            maxErr = Math.Max(maxErr, Math.Abs(spectrum[2 * k] - Math.Cos(phase)));
            maxErr = Math.Max(maxErr, Math.Abs(spectrum[2 * k + 1] - Math.Sin(phase)));
        }

        Assert.True(maxErr < Tolerance, $"impulse error {maxErr:E2}");
    }

    [Theory]
    [InlineData(16)]
    [InlineData(256)]
    [InlineData(4096)]
    public void ConstantGivesOnlyDc(int n)
    {
        var x = new float[n];
        Array.Fill(x, 0.25f);
        var spectrum = new float[n + 2];
        new FftPlan(n).Forward(x, spectrum);
        Assert.Equal(0.25 * n, spectrum[0], 1e-5 * n);
        for (int i = 1; i < n + 2; i++) Assert.True(Math.Abs(spectrum[i]) < Tolerance * 0.25 * n, $"float {i} = {spectrum[i]}");
    }

    [Theory]
    [InlineData(128, 3)]
    [InlineData(1024, 100)]
    [InlineData(4096, 2047)]
    public void CosineAtBinGivesHalfAmplitudePeakAndInverseRebuildsIt(int n, int bin)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)Math.Cos(2 * Math.PI * bin * i / n);
        var plan = new FftPlan(n);
        var spectrum = new float[n + 2];
        plan.Forward(x, spectrum);
        for (int k = 0; k <= n / 2; k++)
        {
            double expected = k == bin ? n / 2.0 : 0;
            Assert.True(Math.Abs(spectrum[2 * k] - expected) < Tolerance * n, $"bin {k} re {spectrum[2 * k]}");
            Assert.True(Math.Abs(spectrum[2 * k + 1]) < Tolerance * n, $"bin {k} im {spectrum[2 * k + 1]}");
        }

        // Inverse of the analytic spectrum (only that bin, value N/2) is the cosine again.
        var analytic = new float[n + 2];
        analytic[2 * bin] = n / 2f;
        var back = new float[n];
        plan.Inverse(analytic, back);
        Assert.True(MaxAbsDiff(x, back) < Tolerance, $"inverse error {MaxAbsDiff(x, back):E2}");
    }

    [Theory]
    [InlineData(64)]
    [InlineData(2048)]
    public void InverseIgnoresImaginaryPartsOfDcAndNyquist(int n)
    {
        float[] x = RandomSignal(n, 5);
        var plan = new FftPlan(n);
        var spectrum = new float[n + 2];
        plan.Forward(x, spectrum);
        spectrum[1] = 123f;
        spectrum[n + 1] = -45f;
        var back = new float[n];
        plan.Inverse(spectrum, back);
        Assert.True(MaxAbsDiff(x, back) < Tolerance);
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void ScalarKernelsMatchVectorKernels(int n)
    {
        var vector = new FftPlan(n);
        var scalar = new FftPlan(n, allowSimd: false);
        Assert.False(scalar.UsesSimd);
        // The vector path is used wherever the hardware has it (from N = 128 up).
        Assert.Equal(FftPlan.IsSimdSupported && n >= 128, vector.UsesSimd);

        float[] x = RandomSignal(n, 99);
        float[] sv = new float[n + 2], ss = new float[n + 2];
        vector.Forward(x, sv);
        scalar.Forward(x, ss);
        Assert.True(MaxAbsDiff(sv, ss) / MaxAbs(ss) < 1e-6, $"forward differs by {MaxAbsDiff(sv, ss) / MaxAbs(ss):E2}");

        float[] bv = new float[n], bs = new float[n];
        vector.Inverse(ss, bv);
        scalar.Inverse(ss, bs);
        Assert.True(MaxAbsDiff(bv, bs) / MaxAbs(bs) < 1e-6, $"inverse differs by {MaxAbsDiff(bv, bs) / MaxAbs(bs):E2}");
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(1024, true)]
    [InlineData(1024, false)]
    [InlineData(65536, true)]
    public void ForwardAndInverseAllocateNothing(int n, bool simd)
    {
        var plan = new FftPlan(n, simd);
        float[] x = RandomSignal(n, 1);
        var spectrum = new float[n + 2];
        var back = new float[n];
        long bytes = AcousticCore.Tests.TestSupport.AllocationProbe.SteadyStateBytes(() =>
        {
            plan.Forward(x, spectrum);
            plan.Inverse(spectrum, back);
        }, warmUp: n >= 16384 ? 60 : 100, iterations: n >= 16384 ? 20 : 200);
        Assert.Equal(0, bytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1024)]
    [InlineData(8)]
    [InlineData(15)]
    [InlineData(1000)]
    [InlineData(1025)]
    [InlineData(131072)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void ConstructorRejectsUnsupportedSizes(int n)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new FftPlan(n));
        Assert.Equal("size", e.ParamName);
    }

    [Fact]
    public void ShortSpansAreRejectedWithTheirName()
    {
        var plan = new FftPlan(64);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => plan.Forward(new float[63], new float[66])).ParamName);
        Assert.Equal("spectrum", Assert.Throws<ArgumentException>(() => plan.Forward(new float[64], new float[65])).ParamName);
        Assert.Equal("spectrum", Assert.Throws<ArgumentException>(() => plan.Inverse(new float[65], new float[64])).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => plan.Inverse(new float[66], new float[63])).ParamName);
    }

    [Fact]
    public void LongerSpansUseOnlyTheirFirstSizeElements()
    {
        const int n = 256;
        float[] x = RandomSignal(n, 4);
        var longInput = new float[n + 10];
        x.CopyTo(longInput, 0);
        Array.Fill(longInput, 9f, n, 10);
        var plan = new FftPlan(n);
        float[] exact = new float[n + 2], longer = new float[n + 6];
        plan.Forward(x, exact);
        plan.Forward(longInput, longer);
        Assert.Equal(exact, longer.AsSpan(0, n + 2).ToArray());
        Assert.Equal(new float[4], longer.AsSpan(n + 2).ToArray());
    }

    [Theory]
    [InlineData(64)]
    [InlineData(1024)]
    public void UnalignedAndOverlappingSpansGiveTheSameResult(int n)
    {
        float[] x = RandomSignal(n, 6);
        var plan = new FftPlan(n);
        var expected = new float[n + 2];
        plan.Forward(x, expected);

        // Spans that start at odd float offsets (not vector-aligned).
        var input = new float[n + 1];
        var output = new float[n + 5];
        x.CopyTo(input, 1);
        plan.Forward(input.AsSpan(1), output.AsSpan(3));
        Assert.Equal(expected, output.AsSpan(3, n + 2).ToArray());

        // In place: the samples sit in the first N floats of the spectrum buffer.
        var inPlace = new float[n + 2];
        x.CopyTo(inPlace, 0);
        plan.Forward(inPlace, inPlace);
        Assert.Equal(expected, inPlace);
        plan.Inverse(inPlace, inPlace);
        Assert.True(MaxAbsDiff(x, inPlace.AsSpan(0, n)) < Tolerance);
    }

    [Fact]
    public void SeparatePlansRunConcurrently()
    {
        const int n = 4096;
        float[] x = RandomSignal(n, 8);
        var expected = new float[n + 2];
        new FftPlan(n).Forward(x, expected);
        Parallel.For(0, 4, _ =>
        {
            var plan = new FftPlan(n);
            var spectrum = new float[n + 2];
            for (int i = 0; i < 50; i++)
            {
                plan.Forward(x, spectrum);
                Assert.Equal(expected, spectrum);
            }
        });
    }

    private static float[] RandomSignal(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    private static double MaxAbs(ReadOnlySpan<float> a)
    {
        double m = 0;
        foreach (float v in a) m = Math.Max(m, Math.Abs(v));
        return m;
    }

    private static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }
}
