using System.Runtime.CompilerServices;
using AcousticCore.Dsp;

namespace AcousticCore.Levels;

/// <summary>
/// A one-channel sound level meter in the manner of IEC 61672-1: A, C and Z weighted Leq, the
/// A-weighted Fast level's maximum, minimum and percentiles, the C-weighted peak, and Z-weighted
/// one-third-octave band levels (IEC 61260-1), per interval and over the whole stream.
/// </summary>
/// <remarks>
/// Levels are dB re full scale in the AES17 convention — the reference mean square is 0.5, that of a
/// full-scale sine, so such a sine reads 0 dB — plus <see cref="SoundLevelMeterOptions.CalibrationOffsetDb"/>.
/// The Fast level is computed at every sample; LAFmax and LAFmin are taken over every sample, except
/// that LAFmin ignores the first 5 Fast time constants (0.625 s) of the stream, while the detector
/// rises from zero. LA10/LA50/LA90 come from the Fast level sampled every 10 ms of stream time (at
/// sample ⌈k·fs/100⌉) after the same warm-up, kept in a 0.01 dB histogram (fixed 240 KB).
/// Non-finite samples (NaN, ±∞) are counted in <see cref="NonFiniteSampleCount"/> and measured as 0
/// so one bad sample cannot poison the filters. Results do not depend on how the stream is split
/// into <see cref="Process"/> calls. Not thread-safe: one meter per channel. Process,
/// CompleteInterval and GetSummary allocate nothing.
/// </remarks>
public sealed class SoundLevelMeter
{
    private const int Chunk = 512;
    private const double ReferenceMeanSquare = 0.5;
    private const double WarmUpTimeConstants = 5;

    private readonly double[] _chunk = new double[Chunk];
    private readonly ThirdOctaveFilterBank? _bank;
    private readonly double _offsetDb;
    private readonly double _fastAlpha;
    private readonly long _warmUpSamples;

    // Weighting filter: C = sections c0, c1; A = C followed by section a2 (gain-adjusted).
    private readonly BiquadSection _c0, _c1, _a2;
    private readonly double[] _state = new double[8]; // direct form I histories: x, C stage 1, C output, A output (two each)
    private double _fast;

    private readonly LevelHistogram _histogram = new();
    private long _nextTickIndex;
    private long _nextTickSample;

    private readonly Accumulator _interval = new();
    private readonly Accumulator _total = new();
    private readonly Accumulator _summary = new();
    private readonly double[] _bandSums;          // open interval
    private readonly long[] _bandCounts;
    private readonly double[] _totalBandSums;     // closed intervals
    private readonly long[] _totalBandCounts;
    private readonly double[] _collectedSums;     // scratch
    private readonly long[] _collectedCounts;
    private readonly double[] _summaryBandSums;   // scratch
    private readonly long[] _summaryBandCounts;
    private long _position;

    /// <summary>Creates a meter for a stream at <paramref name="sampleRate"/> Hz (8000–192000).</summary>
    public SoundLevelMeter(int sampleRate, SoundLevelMeterOptions? options = null)
    {
        SampleRates.Validate(sampleRate, nameof(sampleRate));
        options ??= new SoundLevelMeterOptions();
        SampleRate = sampleRate;
        _offsetDb = options.CalibrationOffsetDb;

        var c = WeightingFilterDesign.Design(FrequencyWeighting.C, sampleRate);
        var a = WeightingFilterDesign.Design(FrequencyWeighting.A, sampleRate);
        _c0 = c[0];
        _c1 = c[1];
        _a2 = a[2].Scaled(a[0].B0 / c[0].B0); // A differs from C·a2 only in the 1 kHz normalisation

        _fastAlpha = TimeWeightingDetector.CoefficientFor(TimeWeightingDetector.FastSeconds, sampleRate);
        _warmUpSamples = (long)Math.Ceiling(WarmUpTimeConstants * TimeWeightingDetector.FastSeconds * sampleRate);

        if (options.IncludeBands)
        {
            _bank = new ThirdOctaveFilterBank(sampleRate);
            Bands = _bank.Bands;
        }
        else
        {
            Bands = [];
        }

        _bandSums = new double[Bands.Count];
        _bandCounts = new long[Bands.Count];
        _totalBandSums = new double[Bands.Count];
        _totalBandCounts = new long[Bands.Count];
        _collectedSums = new double[Bands.Count];
        _collectedCounts = new long[Bands.Count];
        _summaryBandSums = new double[Bands.Count];
        _summaryBandCounts = new long[Bands.Count];
        _interval.Reset();
        _total.Reset();
    }

    /// <summary>Sample rate in Hz of the stream.</summary>
    public int SampleRate { get; }

    /// <summary>The one-third-octave bands measured (empty when bands are off), the order of <see cref="LevelValues.BandLeqDb"/>.</summary>
    public IReadOnlyList<ThirdOctaveBand> Bands { get; }

    /// <summary>Samples that were NaN or infinite and were measured as 0.</summary>
    public long NonFiniteSampleCount { get; private set; }

    /// <summary>Samples processed since construction.</summary>
    public long SampleCount => _position;

    /// <summary>Measures the next samples of the channel (full scale ±1); any length, including 0.</summary>
    public void Process(ReadOnlySpan<float> samples)
    {
        while (samples.Length > 0)
        {
            // Chunks end on multiples of Chunk stream samples, so the denormal flushes below happen at
            // the same stream positions however the caller splits the stream (streaming == batch, bit for bit).
            int n = Math.Min(samples.Length, Chunk - (int)(_position % Chunk));
            Span<double> chunk = _chunk.AsSpan(0, n);
            for (int i = 0; i < n; i++)
            {
                float s = samples[i];
                if (!float.IsFinite(s))
                {
                    NonFiniteSampleCount++;
                    s = 0;
                }

                chunk[i] = s;
            }

            _bank?.Process((ReadOnlySpan<double>)chunk);
            Measure(chunk);
            samples = samples[n..];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Measure(ReadOnlySpan<double> chunk)
    {
        BiquadSection c0 = _c0, c1 = _c1, a2 = _a2;
        double x1 = _state[0], x2 = _state[1], u1 = _state[2], u2 = _state[3], c1h = _state[4], c2h = _state[5], a1h = _state[6], a2h = _state[7];
        // Accumulate straight into the interval sums (not per-chunk partial sums) so the result is
        // bit-identical whatever block sizes the stream arrives in.
        double sumZ = _interval.SumZ, sumC = _interval.SumC, sumA = _interval.SumA;
        double peak = _interval.PeakC, fastMax = _interval.FastMax, fastMin = _interval.FastMin;
        double fast = _fast, alpha = _fastAlpha;
        long position = _position;

        double keep = 1 - alpha;
        long warmUp = _warmUpSamples;
        for (int i = 0; i < chunk.Length; i++)
        {
            double x = chunk[i];
            double u = Section(c0, x, x1, x2, u1, u2);
            double yc = Section(c1, u, u1, u2, c1h, c2h);
            double ya = Section(a2, yc, c1h, c2h, a1h, a2h);
            x2 = x1; x1 = x;
            u2 = u1; u1 = u;
            c2h = c1h; c1h = yc;
            a2h = a1h; a1h = ya;

            sumZ = MulAdd(x, x, sumZ);
            sumC = MulAdd(yc, yc, sumC);
            double ya2 = ya * ya;
            sumA += ya2;
            peak = double.MaxNative(peak, Math.Abs(yc));
            fast = MulAdd(fast, keep, alpha * ya2); // y += α(x² − y), arranged so the recursion is one FMA
            fastMax = double.MaxNative(fastMax, fast);
            long n = position + i;
            if (n >= warmUp)
            {
                fastMin = double.MinNative(fastMin, fast);
            }

            if (n == _nextTickSample)
            {
                if (n >= warmUp)
                {
                    _histogram.Add(ToDb(fast));
                }

                _nextTickIndex++;
                _nextTickSample = ((_nextTickIndex * SampleRate) + 99) / 100; // ⌈k·fs/100⌉: every 10 ms of stream time
            }
        }

        _state[0] = x1; _state[1] = x2; _state[2] = u1; _state[3] = u2; _state[4] = c1h; _state[5] = c2h; _state[6] = a1h; _state[7] = a2h;
        _position = position + chunk.Length;
        _fast = fast;
        if (_position % Chunk == 0)
        {
            Denormals.Flush(_state);
            if (_fast < Denormals.Threshold) _fast = 0;
        }
        _interval.SumZ = sumZ;
        _interval.SumC = sumC;
        _interval.SumA = sumA;
        _interval.PeakC = peak;
        _interval.FastMax = fastMax;
        _interval.FastMin = fastMin;
        _interval.Samples += chunk.Length;
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with the levels of the samples since the previous call
    /// (or since construction), then starts a new interval. Percentile levels are NaN.
    /// </summary>
    public void CompleteInterval(LevelValues destination)
    {
        CheckDestination(destination);
        CollectBands();
        Fill(destination, _interval, _bandSums, _bandCounts);
        destination.LA10Db = destination.LA50Db = destination.LA90Db = double.NaN;
        _total.Add(_interval);
        _interval.Reset();
        for (int b = 0; b < _bandSums.Length; b++)
        {
            _totalBandSums[b] += _bandSums[b];
            _totalBandCounts[b] += _bandCounts[b];
        }

        Array.Clear(_bandSums);
        Array.Clear(_bandCounts);
    }

    /// <summary>Fills <paramref name="destination"/> with the levels of the whole stream so far, including LA10/LA50/LA90.</summary>
    /// <remarks>Does not close the current interval.</remarks>
    public void GetSummary(LevelValues destination)
    {
        CheckDestination(destination);
        CollectBands();
        _summary.Reset();
        _summary.Add(_total);
        _summary.Add(_interval);
        for (int b = 0; b < _bandSums.Length; b++)
        {
            _summaryBandSums[b] = _totalBandSums[b] + _bandSums[b];
            _summaryBandCounts[b] = _totalBandCounts[b] + _bandCounts[b];
        }

        Fill(destination, _summary, _summaryBandSums, _summaryBandCounts);
        destination.LA10Db = _histogram.Exceeded(10) + _offsetDb;
        destination.LA50Db = _histogram.Exceeded(50) + _offsetDb;
        destination.LA90Db = _histogram.Exceeded(90) + _offsetDb;
    }

    /// <summary>Moves the bank's energy since its last collection into the open interval's band sums.</summary>
    private void CollectBands()
    {
        if (_bank is null) return;
        _bank.CollectEnergy(_collectedSums, _collectedCounts);
        for (int b = 0; b < _bandSums.Length; b++)
        {
            _bandSums[b] += _collectedSums[b];
            _bandCounts[b] += _collectedCounts[b];
        }
    }

    private void CheckDestination(LevelValues destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.BandLeqDb.Length != Bands.Count)
        {
            throw new ArgumentException(
                $"Destination has room for {destination.BandLeqDb.Length} bands; this meter measures {Bands.Count} (use new LevelValues(meter.Bands.Count)).",
                nameof(destination));
        }
    }

    private void Fill(LevelValues d, Accumulator acc, double[] bandSums, long[] bandCounts)
    {
        d.DurationS = (double)acc.Samples / SampleRate;
        if (acc.Samples == 0)
        {
            d.Clear();
            return;
        }

        d.LAeqDb = ToDb(acc.SumA / acc.Samples) + _offsetDb;
        d.LCeqDb = ToDb(acc.SumC / acc.Samples) + _offsetDb;
        d.LZeqDb = ToDb(acc.SumZ / acc.Samples) + _offsetDb;
        d.LAFmaxDb = ToDb(acc.FastMax) + _offsetDb;
        d.LAFminDb = double.IsPositiveInfinity(acc.FastMin) ? double.NaN : ToDb(acc.FastMin) + _offsetDb;
        d.LCpeakDb = ToDb(acc.PeakC * acc.PeakC) + _offsetDb;
        for (int b = 0; b < bandSums.Length; b++)
        {
            d.BandLeqDb[b] = bandCounts[b] == 0 ? double.NaN : ToDb(bandSums[b] / bandCounts[b]) + _offsetDb;
        }
    }

    /// <summary>
    /// Direct-form-I section y = b0·x + b1·x1 + b2·x2 − a1·y1 − a2·y2, ordered so that the
    /// loop-carried recursion (y1 → y) is a single FMA; everything else overlaps across samples.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Section(in BiquadSection c, double x, double x1, double x2, double y1, double y2)
    {
        double t = MulAdd(c.B1, x1, c.B2 * x2);
        t = MulAdd(-c.A2, y2, t);
        t = MulAdd(c.B0, x, t);
        return MulAdd(-c.A1, y1, t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double MulAdd(double a, double b, double c) =>
        System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported
            ? Math.FusedMultiplyAdd(a, b, c)
            : (a * b) + c;

    private static double ToDb(double meanSquare) => 10 * Math.Log10(meanSquare / ReferenceMeanSquare);

    /// <summary>Running sums and extremes of one span of the stream.</summary>
    private sealed class Accumulator
    {
        public double SumZ, SumC, SumA, PeakC, FastMax, FastMin;
        public long Samples;

        public void Reset()
        {
            SumZ = SumC = SumA = PeakC = 0;
            FastMax = 0;
            FastMin = double.PositiveInfinity;
            Samples = 0;
        }

        public void Add(Accumulator other)
        {
            SumZ += other.SumZ;
            SumC += other.SumC;
            SumA += other.SumA;
            PeakC = Math.Max(PeakC, other.PeakC);
            FastMax = Math.Max(FastMax, other.FastMax);
            FastMin = Math.Min(FastMin, other.FastMin);
            Samples += other.Samples;
        }
    }
}
