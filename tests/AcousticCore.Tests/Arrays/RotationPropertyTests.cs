using AcousticCore.Arrays;
using Xunit;
using static AcousticCore.Tests.Arrays.PlaneWaveSimulator;

namespace AcousticCore.Tests.Arrays;

/// <summary>
/// Invariant: rotating the array and the source together about z leaves every microphone signal
/// unchanged, so the estimated azimuth must rotate by exactly the same angle (up to grid refinement).
/// Cases are drawn from a seeded generator over irregular arrays, rotations and source directions.
/// </summary>
public class RotationPropertyTests
{
    public static IEnumerable<object[]> Cases()
    {
        var rng = new Random(20261127);
        for (int i = 0; i < 8; i++)
        {
            yield return new object[] { rng.Next(1000), rng.NextDouble() * 360, rng.NextDouble() * 360 };
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DoaRotatesWithTheArray(int geometrySeed, double rotationDeg, double sourceDeg)
    {
        var g = IrregularPlanar(geometrySeed);
        var rotated = g.RotatedAboutZ(rotationDeg);
        const int rate = 16000;
        var x0 = Simulate(g, rate, 1 << 13, sourceDeg, 0, 10, geometrySeed);
        var x1 = Simulate(rotated, rate, 1 << 13, sourceDeg + rotationDeg, 0, 10, geometrySeed);
        var e0 = Locate(g, rate, x0, 15);
        var e1 = Locate(rotated, rate, x1, 15);
        Assert.Equal(e0.Count, e1.Count);
        for (int w = 0; w < e0.Count; w++)
        {
            Assert.True(AngleDiff(e0[w].AzimuthDeg, sourceDeg) <= 3, $"unrotated estimate {e0[w].AzimuthDeg} for {sourceDeg}");
            double relative = AngleDiff(e1[w].AzimuthDeg, e0[w].AzimuthDeg + rotationDeg);
            Assert.True(relative <= 1.0, $"rotated by {rotationDeg:0.0}°: {e0[w].AzimuthDeg:0.00}° became {e1[w].AzimuthDeg:0.00}° (off by {relative:0.00}°)");
        }
    }

    [Fact]
    public void ElevationIsUnchangedWhenAThreeDimensionalArrayRotatesAboutZ()
    {
        var g = Cube8();
        var rotated = g.RotatedAboutZ(37);
        var x0 = Simulate(g, 16000, 1 << 13, 100, 35, 10, 9);
        var x1 = Simulate(rotated, 16000, 1 << 13, 137, 35, 10, 9);
        var e0 = Locate(g, 16000, x0, 15)[0];
        var e1 = Locate(rotated, 16000, x1, 15)[0];
        Assert.True(AngleDiff(e1.AzimuthDeg, e0.AzimuthDeg + 37) <= 1.5, $"{e0} vs {e1}");
        Assert.True(Math.Abs(e1.ElevationDeg - e0.ElevationDeg) <= 1.5, $"{e0} vs {e1}");
    }

    /// <summary>Five microphones at random points within 6 cm of the origin, at least 2 cm apart.</summary>
    private static ArrayGeometry IrregularPlanar(int seed)
    {
        var rng = new Random(seed);
        var mics = new List<Microphone>();
        while (mics.Count < 5)
        {
            double r = 0.06 * Math.Sqrt(rng.NextDouble()), a = rng.NextDouble() * 2 * Math.PI;
            double x = r * Math.Cos(a), y = r * Math.Sin(a);
            if (mics.All(m => Math.Sqrt((m.X - x) * (m.X - x) + (m.Y - y) * (m.Y - y)) >= 0.02))
            {
                mics.Add(new Microphone($"m{mics.Count + 1}", x, y, 0));
            }
        }

        return new ArrayGeometry("irregular", mics);
    }
}
