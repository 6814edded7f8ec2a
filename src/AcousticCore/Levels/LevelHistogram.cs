namespace AcousticCore.Levels;

/// <summary>
/// Bounded-memory distribution of levels in 0.01 dB bins from −200 to +100 dB re full scale, for
/// the percentile levels LA10/LA50/LA90. Levels below −200 dB (including digital silence) are
/// counted in one underflow bin and read back as −∞; levels above +100 dB in the top bin.
/// </summary>
internal sealed class LevelHistogram
{
    public const double MinDb = -200;
    public const double MaxDb = 100;
    public const double BinDb = 0.01;
    private const int BinCount = (int)((MaxDb - MinDb) / BinDb);

    private readonly long[] _bins = new long[BinCount];
    private long _underflow;

    public long Count { get; private set; }

    public void Add(double levelDb)
    {
        Count++;
        if (!(levelDb >= MinDb))
        {
            _underflow++;
            return;
        }

        int bin = (int)((levelDb - MinDb) / BinDb);
        _bins[Math.Min(bin, BinCount - 1)]++;
    }

    /// <summary>Level exceeded by <paramref name="percentExceeded"/> % of the entries (bin centre), NaN when empty.</summary>
    public double Exceeded(double percentExceeded)
    {
        if (Count == 0) return double.NaN;
        double target = percentExceeded / 100 * Count;
        long cumulative = 0;
        for (int bin = BinCount - 1; bin >= 0; bin--)
        {
            cumulative += _bins[bin];
            if (cumulative > 0 && cumulative >= target)
            {
                return MinDb + ((bin + 0.5) * BinDb);
            }
        }

        return double.NegativeInfinity;
    }
}
