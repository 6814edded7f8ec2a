namespace AcousticCore.Tests.TestSupport;

/// <summary>
/// Measures bytes allocated on this thread by a steady-state loop. Warm-up lets tiered JIT promote
/// the hot methods first; the smallest of three windows is taken, because a one-time runtime event
/// (a tier-up or call-counting stub installed mid-loop) can be charged to the thread once.
/// A real per-call allocation shows in every window.
/// </summary>
internal static class AllocationProbe
{
    public static long SteadyStateBytes(Action body, int warmUp = 100, int iterations = 200)
    {
        for (int i = 0; i < warmUp; i++) body();
        long best = long.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < iterations; i++) body();
            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return best;
    }
}
