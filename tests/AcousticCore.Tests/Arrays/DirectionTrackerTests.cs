using AcousticCore.Arrays;
using Xunit;

namespace AcousticCore.Tests.Arrays;

public class DirectionTrackerTests
{
    private static DoaEstimate At(double az, double power = 0.5) => new(az, double.NaN, power);

    [Fact]
    public void SmoothsAcrossTheZeroDegreeSeam()
    {
        var t = new DirectionTracker(new DirectionTrackerOptions { Smoothing = 0.5 });
        t.Update(At(355));
        var e = t.Update(At(5));
        // Halfway between 355° and 5° on the circle is 0°, not 180°.
        Assert.True(PlaneWaveSimulator.AngleDiff(e.AzimuthDeg, 0) < 0.01, $"{e.AzimuthDeg}");
    }

    [Fact]
    public void IgnoresASingleOutlierButFollowsAPersistentJump()
    {
        var t = new DirectionTracker(new DirectionTrackerOptions { Smoothing = 1, GateDeg = 20, ConfirmWindows = 2 });
        t.Update(At(90));
        Assert.Equal(90, t.Update(At(250)).AzimuthDeg, 6);   // one window: held
        Assert.Equal(92, t.Update(At(92)).AzimuthDeg, 6);    // back inside the gate
        Assert.Equal(92, t.Update(At(250)).AzimuthDeg, 6);
        Assert.Equal(251, t.Update(At(251)).AzimuthDeg, 6);  // second window near 250°: jump
    }

    [Fact]
    public void HoldsThroughWeakWindows()
    {
        var t = new DirectionTracker(new DirectionTrackerOptions { MinPower = 0.1 });
        Assert.False(t.HasTrack);
        Assert.True(double.IsNaN(t.Update(At(40, 0.01)).AzimuthDeg));
        t.Update(At(40));
        Assert.Equal(40, t.Update(At(200, 0.02)).AzimuthDeg, 6);
    }

    [Fact]
    public void OptionsAreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DirectionTrackerOptions { Smoothing = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new DirectionTrackerOptions { GateDeg = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SrpPhatOptions { FrameSize = 1000 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SrpPhatOptions { MaxSources = 0 });
    }
}
