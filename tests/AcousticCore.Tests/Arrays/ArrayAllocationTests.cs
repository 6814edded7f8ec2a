using AcousticCore.Tests.TestSupport;
using AcousticCore.Arrays;
using AcousticCore.Audio;
using Xunit;
using static AcousticCore.Tests.Arrays.PlaneWaveSimulator;

namespace AcousticCore.Tests.Arrays;

/// <summary>Steady state allocates nothing per frame (framer, locator, tracker, beamformer).</summary>
public class ArrayAllocationTests
{
    [Fact]
    public void LocatorAndTrackerAllocateNothingPerFrame()
    {
        var g = Circular6();
        var x = Simulate(g, 16000, 1 << 13, 45, 0, 10, 1);
        var locator = new SrpPhatLocator(g, 16000, new SrpPhatOptions { MaxSources = 2 });
        var stft = new MultichannelStft(g.Count, 1024, 512);
        var tracker = new DirectionTracker();
        var peaks = new DoaEstimate[2];
        void Run()
        {
            ReadOnlySpan<float> rest = x;
            while (!rest.IsEmpty)
            {
                rest = rest[stft.Append(rest, out bool ready)..];
                if (!ready) continue;
                locator.AddFrame(stft.Spectra);
                if (locator.PendingFrames == 4 && locator.Locate(peaks) > 0) tracker.Update(peaks[0]);
            }
        }

        Run();
        Assert.Equal(0, AcousticCore.Tests.TestSupport.AllocationProbe.SteadyStateBytes(() => Run(), warmUp: 3, iterations: 3));
    }

    [Fact]
    public void BeamformedSourceAllocatesNothingPerRead()
    {
        var g = Linear4();
        var x = Simulate(g, 16000, 1 << 15, 45, 0, 10, 1);
        using var src = new BeamformedSource(new MemorySource(x, new AudioFormat(16000, 4)), g,
            new BeamformedSourceOptions { Track = true, TrackingFrames = 4 });
        var buf = new float[480];
        src.Read(buf);
        int total = 0;
        Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => total += src.Read(buf), warmUp: 5, iterations: 15));
        Assert.Equal(50 * 480, total);
    }
}
