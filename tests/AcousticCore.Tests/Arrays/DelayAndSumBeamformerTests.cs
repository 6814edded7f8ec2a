using AcousticCore.Arrays;
using AcousticCore.Audio;
using Xunit;
using Xunit.Abstractions;
using static AcousticCore.Tests.Arrays.PlaneWaveSimulator;

namespace AcousticCore.Tests.Arrays;

public class DelayAndSumBeamformerTests(ITestOutputHelper output)
{
    private static float[] Beamform(ArrayGeometry g, int rate, float[] interleaved, BeamformedSourceOptions options, int block = 4096)
    {
        using var src = new BeamformedSource(new MemorySource(interleaved, new AudioFormat(rate, g.Count)), g, options);
        var result = new List<float>();
        var buf = new float[block];
        int got;
        while ((got = src.Read(buf)) > 0) result.AddRange(buf.AsSpan(0, got).ToArray());
        return result.ToArray();
    }

    private static double Power(ReadOnlySpan<float> x, int skip)
    {
        double p = 0;
        for (int i = skip; i < x.Length - skip; i++) p += (double)x[i] * x[i];
        return p / (x.Length - 2 * skip);
    }

    /// <summary>Must-show: SNR gain towards the source ≈ 10·log10(M) dB for uncorrelated sensor noise.</summary>
    [Theory]
    [InlineData("ula4", 16000, 60.0)]
    [InlineData("uca6", 48000, 135.0)]
    public void SnrGainIsTenLogMForUncorrelatedNoise(string array, int rate, double azimuth)
    {
        var g = array == "ula4" ? Linear4() : Circular6();
        int n = 1 << 14;
        var clean = Propagate(g, rate, Noise(n, 21), azimuth, 0);
        var noise = new double[g.Count][];
        for (int m = 0; m < g.Count; m++) noise[m] = Noise(n, 100 + m);
        var opts = new BeamformedSourceOptions { AzimuthDeg = azimuth };
        // Linearity: the beam of signal + noise is the sum of the beams, so measure each separately.
        var sOut = Beamform(g, rate, Interleave(clean), opts);
        var nOut = Beamform(g, rate, Interleave(noise), opts);
        double sIn = 0, nIn = 0;
        for (int m = 0; m < g.Count; m++)
        {
            sIn += Power(Interleave(new[] { clean[m] }), 0);
            nIn += Power(Interleave(new[] { noise[m] }), 0);
        }

        double gain = 10 * Math.Log10(Power(sOut, 1024) / Power(nOut, 1024)) - 10 * Math.Log10(sIn / nIn);
        double expected = 10 * Math.Log10(g.Count);
        output.WriteLine($"{array} @ {rate} Hz: SNR gain {gain:0.00} dB (10·log10 {g.Count} = {expected:0.00} dB)");
        Assert.InRange(gain, expected - 0.5, expected + 0.5);
    }

    [Fact]
    public void SignalFromTheSteeredDirectionPassesUnchangedAndAligned()
    {
        var g = Circular6();
        const int rate = 16000, n = 1 << 13;
        var s = Noise(n, 5);
        var x = Interleave(Propagate(g, rate, s, 200, 0));
        var y = Beamform(g, rate, x, new BeamformedSourceOptions { AzimuthDeg = 200 }, block: 333);
        Assert.Equal(n, y.Length);
        // The array origin receives s itself (scaled 0.1 by Interleave): the beam must reproduce it sample by sample.
        double err = 0, sig = 0;
        for (int i = 1024; i < n - 1024; i++)
        {
            double r = 0.1 * s[i];
            err += (y[i] - r) * (y[i] - r);
            sig += r * r;
        }

        double snr = 10 * Math.Log10(sig / err);
        output.WriteLine($"steered reconstruction SNR {snr:0.0} dB");
        Assert.True(snr > 30, $"reconstruction SNR {snr:0.0} dB");
    }

    [Fact]
    public void OffTargetBroadbandSourceIsAttenuated()
    {
        var g = Circular6();
        const int rate = 16000, n = 1 << 13;
        var x = Interleave(Propagate(g, rate, Noise(n, 6), 0, 0));
        double on = Power(Beamform(g, rate, x, new BeamformedSourceOptions { AzimuthDeg = 0 }), 1024);
        double off = Power(Beamform(g, rate, x, new BeamformedSourceOptions { AzimuthDeg = 180 }), 1024);
        Assert.True(10 * Math.Log10(on / off) > 3, $"on/off {10 * Math.Log10(on / off):0.0} dB");
    }

    [Fact]
    public void StreamingOutputDoesNotDependOnReadSizes()
    {
        var g = Linear4();
        var x = Simulate(g, 16000, 1 << 12, 30, 0, 10, 3);
        var a = Beamform(g, 16000, x, new BeamformedSourceOptions { AzimuthDeg = 30 }, block: 1 << 14);
        var b = Beamform(g, 16000, x, new BeamformedSourceOptions { AzimuthDeg = 30 }, block: 17);
        Assert.Equal(a, b);
    }

    [Fact]
    public void TrackedBeamTurnsToTheSource()
    {
        var g = Circular6();
        var x = Simulate(g, 16000, 1 << 14, 250, 0, 10, 8);
        using var src = new BeamformedSource(new MemorySource(x, new AudioFormat(16000, 6)), g,
            new BeamformedSourceOptions { AzimuthDeg = 0, Track = true, TrackingFrames = 4 });
        var buf = new float[1000];
        while (src.Read(buf) > 0)
        {
        }

        Assert.True(AngleDiff(src.Direction.AzimuthDeg, 250) <= 3, $"beam at {src.Direction.AzimuthDeg}");
    }

    [Fact]
    public void ChannelMismatchIsAGeometryError()
    {
        var e = Assert.Throws<ArrayGeometryException>(() =>
            new BeamformedSource(new MemorySource(new float[8], new AudioFormat(16000, 2)), Circular6()));
        Assert.Contains("has 2 channel(s)", e.Message, StringComparison.Ordinal);
    }
}
