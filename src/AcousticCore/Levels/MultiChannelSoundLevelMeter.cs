using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AcousticCore.Dsp;
using static AcousticCore.Dsp.LaneMath;

namespace AcousticCore.Levels;

/// <summary>
/// The <see cref="SoundLevelMeter"/> for every channel of an interleaved stream at once: the
/// channels run side by side in the lanes of SIMD vectors (weighting, detector and sums in double;
/// from six channels on also the single-precision third-octave filters), so a many-microphone
/// array costs a fraction of one meter per channel.
/// </summary>
/// <remarks>
/// Every channel's numbers are bit-identical to those of a one-channel meter fed that channel
/// alone (each lane computes the same roundings in the same order), and do not depend on how the
/// stream is split into <see cref="Process"/> calls. Levels, warm-up and percentile rules are
/// those of <see cref="SoundLevelMeter"/>. Memory: about 240 KB per channel for the percentile
/// histogram plus the band filters. Not thread-safe. Process, CompleteInterval and GetSummary
/// allocate nothing.
/// </remarks>
public sealed class MultiChannelSoundLevelMeter
{
    private const int Chunk = 512;
    private const double ReferenceMeanSquare = 0.5;
    private const double WarmUpTimeConstants = 5;

    // Lane layout: channel c sits in lane c of a row of _lanes doubles (padded to whole vectors).
    private readonly int _channels;
    private readonly int _width;          // lanes per vector group: Vector<double>.Count, or 8 with AVX-512 for more channels
    private readonly bool _wide;
    private readonly int _lanes;
    private readonly double _offsetDb;
    private readonly double _fastAlpha;
    private readonly long _warmUpSamples;
    private readonly BiquadSection _c0, _c1, _a2;

    private readonly int _stride;         // floats per row of input as the kernels read it: ≥ _lanes, and the bank's row stride
    private readonly float[] _rows;       // [sample][_stride]: a chunk with non-finite samples zeroed, or channels padded to whole vectors
    private readonly double[] _state;     // [8][lane]: x1 x2 u1 u2 c1 c2 a1 a2 (direct form I histories)
    private readonly double[] _fast;      // [lane] Fast mean square
    private readonly double[] _sums;      // [6][lane]: open interval sumZ sumC sumA peakC fastMax fastMin
    private readonly long[] _nonFinite;
    private readonly long[] _intervalStart;
    private readonly LevelHistogram[] _histograms;
    private readonly Accumulator[] _total;
    private readonly Accumulator _scratch = new();
    private readonly Accumulator _scratch2 = new();
    private readonly ThirdOctaveBankCore? _bank;
    private readonly double[][] _bandSums;          // [channel][band] open interval
    private readonly long[][] _bandCounts;
    private readonly double[][] _totalBandSums;     // [channel][band] closed intervals
    private readonly long[][] _totalBandCounts;
    private readonly double[] _collectedSums;
    private readonly long[] _collectedCounts;
    private readonly double[] _summaryBandSums;
    private readonly long[] _summaryBandCounts;
    private long _position;
    private long _nextTickIndex;
    private long _nextTickSample;

    /// <summary>Creates a meter for <paramref name="channels"/> channels (1–64) at <paramref name="sampleRate"/> Hz (8000–192000).</summary>
    public MultiChannelSoundLevelMeter(int sampleRate, int channels, SoundLevelMeterOptions? options = null)
    {
        SampleRates.Validate(sampleRate, nameof(sampleRate));
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 64);
        options ??= new SoundLevelMeterOptions();
        SampleRate = sampleRate;
        _channels = channels;
        _wide = Vector512.IsHardwareAccelerated && channels > Vector<double>.Count && Vector<double>.Count < 8;
        _width = _wide ? 8 : Vector<double>.Count;
        _lanes = (channels + _width - 1) / _width * _width;
        _offsetDb = options.CalibrationOffsetDb;

        var c = WeightingFilterDesign.Design(FrequencyWeighting.C, sampleRate);
        var a = WeightingFilterDesign.Design(FrequencyWeighting.A, sampleRate);
        _c0 = c[0];
        _c1 = c[1];
        _a2 = a[2].Scaled(a[0].B0 / c[0].B0); // A differs from C·a2 only in the 1 kHz normalisation

        _fastAlpha = TimeWeightingDetector.CoefficientFor(TimeWeightingDetector.FastSeconds, sampleRate);
        _warmUpSamples = (long)Math.Ceiling(WarmUpTimeConstants * TimeWeightingDetector.FastSeconds * sampleRate);

        _state = new double[8 * _lanes];
        _fast = new double[_lanes];
        _sums = new double[6 * _lanes];
        _nonFinite = new long[channels];
        _intervalStart = new long[channels];
        _histograms = new LevelHistogram[channels];
        _total = new Accumulator[channels];
        for (int ch = 0; ch < channels; ch++)
        {
            _histograms[ch] = new LevelHistogram();
            _total[ch] = new Accumulator();
            _total[ch].Reset();
            ResetInterval(ch);
        }

        // The weighting kernels and the band filters read the same rows; a block of whole vectors of
        // finite samples is read where the caller put it.
        _stride = _lanes;
        if (options.IncludeBands)
        {
            _bank = new ThirdOctaveBankCore(sampleRate, channels, minimumRowStride: _lanes);
            Bands = _bank.Bands;
            _stride = _bank.RowStride;
        }
        else
        {
            Bands = [];
        }

        _rows = new float[Chunk * _stride];

        int bands = Bands.Count;
        _bandSums = NewJagged<double>(channels, bands);
        _bandCounts = NewJagged<long>(channels, bands);
        _totalBandSums = NewJagged<double>(channels, bands);
        _totalBandCounts = NewJagged<long>(channels, bands);
        _collectedSums = new double[bands];
        _collectedCounts = new long[bands];
        _summaryBandSums = new double[bands];
        _summaryBandCounts = new long[bands];
    }

    /// <summary>Sample rate in Hz of the stream.</summary>
    public int SampleRate { get; }

    /// <summary>Number of channels measured.</summary>
    public int Channels => _channels;

    /// <summary>The one-third-octave bands measured (empty when bands are off), the order of <see cref="LevelValues.BandLeqDb"/>.</summary>
    public IReadOnlyList<ThirdOctaveBand> Bands { get; }

    /// <summary>Sample frames (samples per channel) processed since construction.</summary>
    public long SampleCount => _position;

    /// <summary>Samples of <paramref name="channel"/> that were NaN or infinite and were measured as 0.</summary>
    public long NonFiniteSampleCount(int channel)
    {
        CheckChannel(channel);
        return _nonFinite[channel];
    }

    /// <summary>Measures the next sample frames (channel-interleaved, full scale ±1); any whole number of frames, including 0.</summary>
    public void Process(ReadOnlySpan<float> interleaved)
    {
        if (interleaved.Length % _channels != 0)
        {
            throw new ArgumentException($"Block length {interleaved.Length} is not a whole number of {_channels}-channel frames.", nameof(interleaved));
        }

        while (interleaved.Length > 0)
        {
            // Chunks end on multiples of Chunk stream samples, so the denormal flushes happen at the
            // same stream positions however the caller splits the stream (streaming == batch, bit for bit).
            int n = Math.Min(interleaved.Length / _channels, Chunk - (int)(_position % Chunk));
            ReadOnlySpan<float> rows = Rows(interleaved[..(n * _channels)], n);
            _bank?.Process(rows);
            ref float first = ref MemoryMarshal.GetReference(rows);
            for (int group = 0; group < _lanes; group += _width)
            {
                Measure(group, n, ref first);
            }

            AdvanceTicks(n);
            _position += n;
            if (_position % Chunk == 0)
            {
                Denormals.Flush(_state);
                for (int lane = 0; lane < _lanes; lane++)
                {
                    if (_fast[lane] < Denormals.Threshold) _fast[lane] = 0;
                }
            }

            interleaved = interleaved[(n * _channels)..];
        }
    }

    /// <summary>The chunk as rows of <see cref="_stride"/> floats: the block itself when it already has that layout and no bad sample, else a copy with non-finite samples counted and read as 0.</summary>
    private ReadOnlySpan<float> Rows(ReadOnlySpan<float> interleaved, int n)
    {
        int channels = _channels, stride = _stride;
        if (channels == stride && AllFinite(interleaved)) return interleaved;

        Span<float> rows = _rows.AsSpan(0, n * stride);
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> frame = interleaved.Slice(i * channels, channels);
            Span<float> row = rows.Slice(i * stride, channels);
            for (int ch = 0; ch < channels; ch++)
            {
                float s = frame[ch];
                if (!float.IsFinite(s))
                {
                    _nonFinite[ch]++;
                    s = 0;
                }

                row[ch] = s;
            }
        }

        return rows;
    }

    /// <summary>True when no sample is NaN or infinite (x − x is 0 exactly for finite x, NaN otherwise).</summary>
    private static bool AllFinite(ReadOnlySpan<float> samples)
    {
        // Four independent sums: one sum would make every step wait for the previous addition.
        int width = Vector<float>.Count, i = 0;
        ref float x = ref MemoryMarshal.GetReference(samples);
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i + 64 <= samples.Length; i += 64)
            {
                var v0 = Vector512.LoadUnsafe(ref x, (nuint)i);
                var v1 = Vector512.LoadUnsafe(ref x, (nuint)(i + 16));
                var v2 = Vector512.LoadUnsafe(ref x, (nuint)(i + 32));
                var v3 = Vector512.LoadUnsafe(ref x, (nuint)(i + 48));
                a0 += v0 - v0;
                a1 += v1 - v1;
                a2 += v2 - v2;
                a3 += v3 - v3;
            }

            if (!Vector512.EqualsAll((a0 + a1) + (a2 + a3), Vector512<float>.Zero)) return false;
        }

        Vector<float> b0 = default, b1 = default, b2 = default, b3 = default;
        for (; i + (4 * width) <= samples.Length; i += 4 * width)
        {
            var v0 = Vector.LoadUnsafe(ref x, (nuint)i);
            var v1 = Vector.LoadUnsafe(ref x, (nuint)(i + width));
            var v2 = Vector.LoadUnsafe(ref x, (nuint)(i + (2 * width)));
            var v3 = Vector.LoadUnsafe(ref x, (nuint)(i + (3 * width)));
            b0 += v0 - v0;
            b1 += v1 - v1;
            b2 += v2 - v2;
            b3 += v3 - v3;
        }

        if (!Vector.EqualsAll((b0 + b1) + (b2 + b3), Vector<float>.Zero)) return false;
        for (; i < samples.Length; i++)
        {
            if (!float.IsFinite(samples[i])) return false;
        }

        return true;
    }

    /// <summary>A/C weighting, sums, C peak and the Fast detector for the lanes of one vector group.</summary>
    private void Measure(int group, int n, ref float rows)
    {
        long tickIndex = _nextTickIndex, tickSample = _nextTickSample;
        // The kernels run call-free between percentile ticks (a call inside the loop would force
        // every vector onto the stack); the histograms are fed at each tick in between.
        for (int from = 0; from < n;)
        {
            long untilTick = tickSample - _position;
            int to = untilTick < n ? (int)untilTick + 1 : n;
            if (_wide)
            {
                RunWide(group, from, to, ref rows);
            }
            else
            {
                Run(group, from, to, ref rows);
            }

            if (to - 1 == untilTick)
            {
                if (tickSample >= _warmUpSamples) AddTicks(group);
                tickIndex++;
                tickSample = NextTick(tickIndex);
            }

            from = to;
        }
    }

    /// <summary>Samples [from, to) of the chunk for the lanes of one 256-bit (or Vector-wide) group; no calls, so the state stays in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run(int group, int from, int to, ref float rows)
    {
        int lanes = _lanes;
        ref double st = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_state), group);
        ref double sums = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_sums), group);
        ref double fastRef = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_fast), group);
        ref float input = ref Unsafe.Add(ref rows, group);
        int stride = _stride;
        var x1 = Load(ref st, 0); var x2 = Load(ref st, lanes);
        var u1 = Load(ref st, 2 * lanes); var u2 = Load(ref st, 3 * lanes);
        var c1h = Load(ref st, 4 * lanes); var c2h = Load(ref st, 5 * lanes);
        var a1h = Load(ref st, 6 * lanes); var a2h = Load(ref st, 7 * lanes);
        var sumZ = Load(ref sums, 0); var sumC = Load(ref sums, lanes);
        var sumA = Load(ref sums, 2 * lanes); var peak = Load(ref sums, 3 * lanes);
        var fastMax = Load(ref sums, 4 * lanes); var fastMin = Load(ref sums, 5 * lanes);
        var fast = Load(ref fastRef, 0);
        BiquadSection p = _c0, q = _c1, r = _a2;
        Vector<double> p0 = new Vector<double>(p.B0), p1 = new Vector<double>(p.B1), p2 = new Vector<double>(p.B2), pa1 = new Vector<double>(-p.A1), pa2 = new Vector<double>(-p.A2);
        Vector<double> q0 = new Vector<double>(q.B0), q1 = new Vector<double>(q.B1), q2 = new Vector<double>(q.B2), qa1 = new Vector<double>(-q.A1), qa2 = new Vector<double>(-q.A2);
        Vector<double> r0 = new Vector<double>(r.B0), r1 = new Vector<double>(r.B1), r2 = new Vector<double>(r.B2), ra1 = new Vector<double>(-r.A1), ra2 = new Vector<double>(-r.A2);
        Vector<double> alpha = new Vector<double>(_fastAlpha), keep = new Vector<double>(1 - _fastAlpha);
        long position = _position, warmUp = _warmUpSamples;
        for (int i = from; i < to; i++)
        {
            var x = LoadWidened(ref input, i * stride);
            // Direct form I, y = b0·x + b1·x1 + b2·x2 − a1·y1 − a2·y2, ordered so the loop-carried
            // recursion (y1 → y) is a single FMA; everything else overlaps across samples.
            var u = MulAdd(pa1, u1, MulAdd(p0, x, MulAdd(pa2, u2, MulAdd(p1, x1, p2 * x2))));
            var yc = MulAdd(qa1, c1h, MulAdd(q0, u, MulAdd(qa2, c2h, MulAdd(q1, u1, q2 * u2))));
            var ya = MulAdd(ra1, a1h, MulAdd(r0, yc, MulAdd(ra2, a2h, MulAdd(r1, c1h, r2 * c2h))));
            x2 = x1; x1 = x;
            u2 = u1; u1 = u;
            c2h = c1h; c1h = yc;
            a2h = a1h; a1h = ya;

            sumZ = MulAdd(x, x, sumZ);
            sumC = MulAdd(yc, yc, sumC);
            var ya2 = ya * ya;
            sumA += ya2;
            peak = Vector.Max(peak, Vector.Abs(yc));
            fast = MulAdd(fast, keep, alpha * ya2); // y += α(x² − y), arranged so the recursion is one FMA
            fastMax = Vector.Max(fastMax, fast);
            if (position + i >= warmUp)
            {
                fastMin = Vector.Min(fastMin, fast);
            }
        }

        Store(x1, ref st, 0); Store(x2, ref st, lanes);
        Store(u1, ref st, 2 * lanes); Store(u2, ref st, 3 * lanes);
        Store(c1h, ref st, 4 * lanes); Store(c2h, ref st, 5 * lanes);
        Store(a1h, ref st, 6 * lanes); Store(a2h, ref st, 7 * lanes);
        Store(sumZ, ref sums, 0); Store(sumC, ref sums, lanes);
        Store(sumA, ref sums, 2 * lanes); Store(peak, ref sums, 3 * lanes);
        Store(fastMax, ref sums, 4 * lanes); Store(fastMin, ref sums, 5 * lanes);
        Store(fast, ref fastRef, 0);
    }

    /// <summary>Samples [from, to) of the chunk for the lanes of one 512-bit group (same operations per lane); no calls, so the state stays in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunWide(int group, int from, int to, ref float rows)
    {
        int lanes = _lanes;
        ref double st = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_state), group);
        ref double sums = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_sums), group);
        ref double fastRef = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_fast), group);
        ref float input = ref Unsafe.Add(ref rows, group);
        int stride = _stride;
        var x1 = Load512(ref st, 0); var x2 = Load512(ref st, lanes);
        var u1 = Load512(ref st, 2 * lanes); var u2 = Load512(ref st, 3 * lanes);
        var c1h = Load512(ref st, 4 * lanes); var c2h = Load512(ref st, 5 * lanes);
        var a1h = Load512(ref st, 6 * lanes); var a2h = Load512(ref st, 7 * lanes);
        var sumZ = Load512(ref sums, 0); var sumC = Load512(ref sums, lanes);
        var sumA = Load512(ref sums, 2 * lanes); var peak = Load512(ref sums, 3 * lanes);
        var fastMax = Load512(ref sums, 4 * lanes); var fastMin = Load512(ref sums, 5 * lanes);
        var fast = Load512(ref fastRef, 0);
        BiquadSection p = _c0, q = _c1, r = _a2;
        Vector512<double> p0 = Vector512.Create(p.B0), p1 = Vector512.Create(p.B1), p2 = Vector512.Create(p.B2), pa1 = Vector512.Create(-p.A1), pa2 = Vector512.Create(-p.A2);
        Vector512<double> q0 = Vector512.Create(q.B0), q1 = Vector512.Create(q.B1), q2 = Vector512.Create(q.B2), qa1 = Vector512.Create(-q.A1), qa2 = Vector512.Create(-q.A2);
        Vector512<double> r0 = Vector512.Create(r.B0), r1 = Vector512.Create(r.B1), r2 = Vector512.Create(r.B2), ra1 = Vector512.Create(-r.A1), ra2 = Vector512.Create(-r.A2);
        Vector512<double> alpha = Vector512.Create(_fastAlpha), keep = Vector512.Create(1 - _fastAlpha);
        long position = _position, warmUp = _warmUpSamples;
        for (int i = from; i < to; i++)
        {
            var x = Vector512.WidenLower(Vector256.LoadUnsafe(ref input, (nuint)(i * stride)).ToVector512Unsafe());
            // Direct form I, y = b0·x + b1·x1 + b2·x2 − a1·y1 − a2·y2, ordered so the loop-carried
            // recursion (y1 → y) is a single FMA; everything else overlaps across samples.
            var u = MulAdd(pa1, u1, MulAdd(p0, x, MulAdd(pa2, u2, MulAdd(p1, x1, p2 * x2))));
            var yc = MulAdd(qa1, c1h, MulAdd(q0, u, MulAdd(qa2, c2h, MulAdd(q1, u1, q2 * u2))));
            var ya = MulAdd(ra1, a1h, MulAdd(r0, yc, MulAdd(ra2, a2h, MulAdd(r1, c1h, r2 * c2h))));
            x2 = x1; x1 = x;
            u2 = u1; u1 = u;
            c2h = c1h; c1h = yc;
            a2h = a1h; a1h = ya;

            sumZ = MulAdd(x, x, sumZ);
            sumC = MulAdd(yc, yc, sumC);
            var ya2 = ya * ya;
            sumA += ya2;
            peak = Vector512.Max(peak, Vector512.Abs(yc));
            fast = MulAdd(fast, keep, alpha * ya2); // y += α(x² − y), arranged so the recursion is one FMA
            fastMax = Vector512.Max(fastMax, fast);
            if (position + i >= warmUp)
            {
                fastMin = Vector512.Min(fastMin, fast);
            }
        }

        Store512(x1, ref st, 0); Store512(x2, ref st, lanes);
        Store512(u1, ref st, 2 * lanes); Store512(u2, ref st, 3 * lanes);
        Store512(c1h, ref st, 4 * lanes); Store512(c2h, ref st, 5 * lanes);
        Store512(a1h, ref st, 6 * lanes); Store512(a2h, ref st, 7 * lanes);
        Store512(sumZ, ref sums, 0); Store512(sumC, ref sums, lanes);
        Store512(sumA, ref sums, 2 * lanes); Store512(peak, ref sums, 3 * lanes);
        Store512(fastMax, ref sums, 4 * lanes); Store512(fastMin, ref sums, 5 * lanes);
        Store512(fast, ref fastRef, 0);
    }

    /// <summary>LA10/50/90 sample the Fast level every 10 ms of stream time, at sample ⌈k·fs/100⌉.</summary>
    private long NextTick(long tickIndex) => ((tickIndex * SampleRate) + 99) / 100;

    /// <summary>Moves the shared tick counter past the chunk every lane group has just measured.</summary>
    private void AdvanceTicks(int n)
    {
        long end = _position + n;
        while (_nextTickSample < end)
        {
            _nextTickIndex++;
            _nextTickSample = NextTick(_nextTickIndex);
        }
    }

    private void AddTicks(int group)
    {
        int last = Math.Min(_width, _channels - group);
        for (int lane = 0; lane < last; lane++) _histograms[group + lane].Add(ToDb(_fast[group + lane]));
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with the levels of <paramref name="channel"/> since its
    /// previous call (or since construction), then starts a new interval for that channel. Percentile levels are NaN.
    /// </summary>
    public void CompleteInterval(int channel, LevelValues destination)
    {
        CheckChannel(channel);
        CheckDestination(destination);
        CollectBands(channel);
        OpenInterval(channel, _scratch);
        Fill(destination, _scratch, _bandSums[channel], _bandCounts[channel]);
        destination.LA10Db = destination.LA50Db = destination.LA90Db = double.NaN;
        _total[channel].Add(_scratch);
        ResetInterval(channel);
        double[] sums = _bandSums[channel], totalSums = _totalBandSums[channel];
        long[] counts = _bandCounts[channel], totalCounts = _totalBandCounts[channel];
        for (int b = 0; b < sums.Length; b++)
        {
            totalSums[b] += sums[b];
            totalCounts[b] += counts[b];
        }

        Array.Clear(sums);
        Array.Clear(counts);
    }

    /// <summary>Fills <paramref name="destination"/> with the levels of <paramref name="channel"/> over the whole stream so far, including LA10/LA50/LA90.</summary>
    /// <remarks>Does not close the current interval.</remarks>
    public void GetSummary(int channel, LevelValues destination)
    {
        CheckChannel(channel);
        CheckDestination(destination);
        CollectBands(channel);
        OpenInterval(channel, _scratch2);
        _scratch.Reset();
        _scratch.Add(_total[channel]);
        _scratch.Add(_scratch2);
        double[] sums = _bandSums[channel], totalSums = _totalBandSums[channel];
        long[] counts = _bandCounts[channel], totalCounts = _totalBandCounts[channel];
        for (int b = 0; b < sums.Length; b++)
        {
            _summaryBandSums[b] = totalSums[b] + sums[b];
            _summaryBandCounts[b] = totalCounts[b] + counts[b];
        }

        Fill(destination, _scratch, _summaryBandSums, _summaryBandCounts);
        var histogram = _histograms[channel];
        destination.LA10Db = histogram.Exceeded(10) + _offsetDb;
        destination.LA50Db = histogram.Exceeded(50) + _offsetDb;
        destination.LA90Db = histogram.Exceeded(90) + _offsetDb;
    }

    private void OpenInterval(int channel, Accumulator into)
    {
        int lanes = _lanes;
        into.SumZ = _sums[(0 * lanes) + channel];
        into.SumC = _sums[(1 * lanes) + channel];
        into.SumA = _sums[(2 * lanes) + channel];
        into.PeakC = _sums[(3 * lanes) + channel];
        into.FastMax = _sums[(4 * lanes) + channel];
        into.FastMin = _sums[(5 * lanes) + channel];
        into.Samples = _position - _intervalStart[channel];
    }

    private void ResetInterval(int channel)
    {
        int lanes = _lanes;
        for (int k = 0; k < 5; k++) _sums[(k * lanes) + channel] = 0;
        _sums[(5 * lanes) + channel] = double.PositiveInfinity;
        _intervalStart[channel] = _position;
    }

    /// <summary>Moves the bank's energy since its last collection into the channel's open-interval band sums.</summary>
    private void CollectBands(int channel)
    {
        if (_bank is null) return;
        _bank.CollectEnergy(channel, _collectedSums, _collectedCounts);
        double[] sums = _bandSums[channel];
        long[] counts = _bandCounts[channel];
        for (int b = 0; b < sums.Length; b++)
        {
            sums[b] += _collectedSums[b];
            counts[b] += _collectedCounts[b];
        }
    }

    private void CheckChannel(int channel)
    {
        if ((uint)channel >= (uint)_channels)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), channel, $"This meter measures channels 0..{_channels - 1}.");
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Load512(ref double origin, int offset) => Vector512.LoadUnsafe(ref origin, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(Vector512<double> value, ref double origin, int offset) => value.StoreUnsafe(ref origin, (nuint)offset);

    /// <summary>Vector&lt;double&gt;.Count floats from <paramref name="origin"/> + <paramref name="offset"/>, widened (exactly) to doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> LoadWidened(ref float origin, int offset)
    {
        if (Vector<double>.Count == 4) return Vector256.WidenLower(Vector128.LoadUnsafe(ref origin, (nuint)offset).ToVector256Unsafe()).AsVector();
        if (Vector<double>.Count == 2) return Vector128.WidenLower(Vector64.LoadUnsafe(ref origin, (nuint)offset).ToVector128Unsafe()).AsVector();
        return Vector512.WidenLower(Vector256.LoadUnsafe(ref origin, (nuint)offset).ToVector512Unsafe()).AsVector();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> Load(ref double origin, int offset) =>
        Unsafe.ReadUnaligned<Vector<double>>(ref Unsafe.As<double, byte>(ref Unsafe.Add(ref origin, offset)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector<double> value, ref double origin, int offset) =>
        Unsafe.WriteUnaligned(ref Unsafe.As<double, byte>(ref Unsafe.Add(ref origin, offset)), value);

    private static double ToDb(double meanSquare) => 10 * Math.Log10(meanSquare / ReferenceMeanSquare);

    private static T[][] NewJagged<T>(int rows, int columns)
    {
        var result = new T[rows][];
        for (int r = 0; r < rows; r++) result[r] = new T[columns];
        return result;
    }

    /// <summary>Running sums and extremes of one span of one channel's stream.</summary>
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
