using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static AcousticCore.Dsp.LaneMath;

namespace AcousticCore.Dsp;

/// <summary>
/// The filtering engine behind <see cref="ThirdOctaveFilterBank"/>, for one or many channels.
/// </summary>
/// <remarks>
/// Input arrives as rows of <see cref="RowStride"/> floats per sample frame (channel c in column c,
/// padding columns ignored). Filters run in single precision in transposed direct form II; each
/// band output is squared and summed in float over at most 512 input samples (fixed stream blocks),
/// then added to a double sum. Two lane layouts, chosen by channel count:
/// <list type="bullet">
/// <item>band lanes (few channels): per channel and stage, the stage's filters side by side in one
/// 8-lane vector, the input sample broadcast;</item>
/// <item>channel lanes (six channels or more): per filter, <see cref="Vector{T}"/>-wide groups of
/// channels side by side, the input row loaded as is — several times fewer vector operations per
/// channel than band lanes.</item>
/// </list>
/// Every lane computes the same roundings in the same order in both layouts (see the section kernels), so a channel's
/// energies are bit-identical whichever layout runs and however many channels share it.
/// Processing is cut into 512-sample chunks at fixed stream positions, where subnormal states are
/// flushed and the float block sums are added to the double sums, so results do not depend on how
/// the caller splits the stream.
/// </remarks>
internal sealed class ThirdOctaveBankCore
{
    /// <summary>Input samples per chunk; chunks end on multiples of this stream position.</summary>
    public const int MaxChunk = 512;

    /// <summary>Channels from which the channel-lane layout is used.</summary>
    public const int ChannelLaneThreshold = 6;

    private const int Sections = 4;
    private const int PerSection = 4;                             // b0 (±1), b1, −a1, −a2
    private const int Coefficients = 1 + (PerSection * Sections); // the gain, then the sections
    private const int BandLanes = 8;
    private const float FlushThreshold = 1e-30f; // about −600 dB: far below any signal, far above float's subnormal range

    private readonly ThirdOctaveStagePlan[] _plan;
    private readonly int _channels;
    private readonly bool _channelLanes;
    private readonly IStageRunner[] _stages;
    private readonly float[] _column = new float[MaxChunk];
    private long _position;

    /// <summary>
    /// Builds the engine for <paramref name="channels"/> channels; <paramref name="channelLanes"/> forces a layout (tests).
    /// Rows are at least <paramref name="minimumRowStride"/> floats apart, so a caller can share its own row layout.
    /// </summary>
    public ThirdOctaveBankCore(int sampleRate, int channels, bool? channelLanes = null, int minimumRowStride = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        _plan = ThirdOctaveStagePlan.For(sampleRate);
        Bands = ThirdOctaveBand.ForSampleRate(sampleRate);
        _channels = channels;
        _channelLanes = channelLanes ?? channels >= ChannelLaneThreshold;
        // Channel lanes load whole vectors from each row, so rows are padded; band lanes read columns.
        // 512-bit groups of 16 channels where the hardware runs them and the channels fill them.
        bool wide = _channelLanes && Vector512.IsHardwareAccelerated && channels > Vector<float>.Count && Vector<float>.Count < 16;
        int width = wide ? 16 : Vector<float>.Count;
        int stride = Math.Max(channels, minimumRowStride);
        RowStride = _channelLanes ? (stride + width - 1) / width * width : stride;
        _stages = new IStageRunner[_plan.Length];
        for (int k = 0; k < _plan.Length; k++)
        {
            int capacity = k == 0 ? MaxChunk : (MaxChunk >> k) + 2;
            _stages[k] = _channelLanes
                ? new ChannelLaneStage(_plan[k], RowStride, capacity, wide)
                : new BandLaneStage(_plan[k], channels, capacity);
        }
    }

    /// <summary>The bands, lowest first.</summary>
    public IReadOnlyList<ThirdOctaveBand> Bands { get; }

    /// <summary>The decimation stages and their filter designs.</summary>
    public IReadOnlyList<ThirdOctaveStagePlan> Plan => _plan;

    /// <summary>Floats per input row: the channel count, rounded up to whole vectors in the channel-lane layout.</summary>
    public int RowStride { get; }

    /// <summary>Whether channels run side by side in lanes (else each channel's bands do).</summary>
    public bool ChannelLanes => _channelLanes;

    /// <summary>Filters rows of <see cref="RowStride"/> floats (one per sample frame) and adds every band's squared output to its sums.</summary>
    public void Process(ReadOnlySpan<float> rows)
    {
        if (rows.Length % RowStride != 0) throw new ArgumentException("Input is not a whole number of rows.", nameof(rows));
        while (rows.Length > 0)
        {
            int n = Math.Min(rows.Length / RowStride, MaxChunk - (int)(_position % MaxChunk));
            ReadOnlySpan<float> chunk = rows[..(n * RowStride)];
            if (_channelLanes)
            {
                ReadOnlySpan<float> input = chunk;
                for (int k = 0; k < _stages.Length && input.Length > 0; k++)
                {
                    input = ((ChannelLaneStage)_stages[k]).Run(input);
                }
            }
            else
            {
                for (int ch = 0; ch < _channels; ch++)
                {
                    ReadOnlySpan<float> input = chunk;
                    if (RowStride > 1)
                    {
                        Span<float> column = _column.AsSpan(0, n);
                        for (int i = 0, j = ch; i < n; i++, j += RowStride) column[i] = chunk[j];
                        input = column;
                    }

                    for (int k = 0; k < _stages.Length && input.Length > 0; k++)
                    {
                        input = ((BandLaneStage)_stages[k]).Run(ch, input);
                    }
                }
            }

            foreach (var stage in _stages) stage.Advance();
            _position += n;
            if (_position % MaxChunk == 0)
            {
                foreach (var stage in _stages) stage.EndBlock();
            }

            rows = rows[(n * RowStride)..];
        }
    }

    /// <summary>Writes channel <paramref name="channel"/>'s per-band sums of squares and sample counts since its last collection, then clears them.</summary>
    public void CollectEnergy(int channel, Span<double> sumSquares, Span<long> sampleCounts)
    {
        if (sumSquares.Length < Bands.Count || sampleCounts.Length < Bands.Count)
        {
            throw new ArgumentException($"Destinations need room for {Bands.Count} bands.");
        }

        for (int k = 0; k < _stages.Length; k++) _stages[k].Collect(channel, sumSquares, sampleCounts);
    }

    /// <summary>Clears all filter state and accumulators.</summary>
    public void Reset()
    {
        _position = 0;
        foreach (var stage in _stages) stage.Reset();
    }

    /// <summary>
    /// One transposed-direct-form-II section with b2 = 1 and b0 = ±1 (every section of the bank has
    /// |b2| = |b0|; a filter's gain, where it has one, scales its input first): y = b0·x + s0;
    /// s0 = b1·x − a1·y + s1; s1 = x − a2·y, in fused multiply-adds. The band-lane layout runs this
    /// general form; the channel-lane kernels run its two special cases, which round identically
    /// (b0·x + s0 with b0 = ±1 is s0 ± x exactly; b1·x + s1 with b1 = 0 is s1 for finite x).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Section(Vector256<float> b0, Vector256<float> b1, Vector256<float> na1, Vector256<float> na2, Vector256<float> x, ref Vector256<float> s0, ref Vector256<float> s1)
    {
        var y = MulAdd(b0, x, s0);
        s0 = MulAdd(na1, y, MulAdd(b1, x, s1));
        s1 = MulAdd(na2, y, x);
        return y;
    }

    /// <summary>A band-pass section, numerator −1 + z⁻² (b0 = −1, b1 = 0): three operations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> BandSection(Vector<float> na1, Vector<float> na2, Vector<float> x, ref Vector<float> s0, ref Vector<float> s1)
    {
        var y = s0 - x;
        s0 = MulAdd(na1, y, s1);
        s1 = MulAdd(na2, y, x);
        return y;
    }

    /// <summary>The band-pass section on 512-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> BandSection(Vector512<float> na1, Vector512<float> na2, Vector512<float> x, ref Vector512<float> s0, ref Vector512<float> s1)
    {
        var y = s0 - x;
        s0 = MulAdd(na1, y, s1);
        s1 = MulAdd(na2, y, x);
        return y;
    }

    /// <summary>A low-pass section, numerator 1 + b1·z⁻¹ + z⁻² (b0 = 1): four operations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> LowPassSection(Vector<float> b1, Vector<float> na1, Vector<float> na2, Vector<float> x, ref Vector<float> s0, ref Vector<float> s1)
    {
        var y = x + s0;
        s0 = MulAdd(na1, y, MulAdd(b1, x, s1));
        s1 = MulAdd(na2, y, x);
        return y;
    }

    /// <summary>The low-pass section on 512-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> LowPassSection(Vector512<float> b1, Vector512<float> na1, Vector512<float> na2, Vector512<float> x, ref Vector512<float> s0, ref Vector512<float> s1)
    {
        var y = x + s0;
        s0 = MulAdd(na1, y, MulAdd(b1, x, s1));
        s1 = MulAdd(na2, y, x);
        return y;
    }

    /// <summary>
    /// A filter's sections as the kernels run them: the product of the numerators' b0 as one input
    /// gain, then per section b0 (±1), b1/|b0|, −a1, −a2. Every section of the bank's designs has
    /// b2 = b0 (checked here). The band-passes' zeros are z = 1 and z = −1, four of each, which NWaves
    /// pairs as (1 ∓ z⁻¹)²; they are re-paired here as −1 + z⁻² per section (the same product, so
    /// the same filter), which needs no b1·x term: three operations per section instead of four.
    /// <paramref name="bandForm"/> tells whether that was done (else b0 = 1 in every section).
    /// A band-pass's gain g is not applied to its input (one operation fewer): the filter is linear,
    /// so its energy is that of the unscaled output times g², <paramref name="energyScale"/>, applied
    /// in double when block sums are folded. The low-pass keeps its gain: it feeds the next stage.
    /// </summary>
    private static float[] RuntimeCoefficients(BiquadSection[] sections, out bool bandForm, out double energyScale)
    {
        var k = new float[Coefficients];
        double gain = 1;
        int plus = 0, minus = 0;
        for (int s = 0; s < Sections; s++)
        {
            var c = sections[s];
            if (Math.Abs(c.B2 - c.B0) > 1e-9 * Math.Abs(c.B0))
            {
                throw new InvalidOperationException("A third-octave bank section has an asymmetric numerator.");
            }

            gain *= c.B0;
            double b1 = c.B1 / c.B0;
            if (Math.Abs(b1 - 2) < 1e-9) plus++;
            if (Math.Abs(b1 + 2) < 1e-9) minus++;
        }

        // (1 + z⁻¹)²·(1 − z⁻¹)² = (−1 + z⁻²)² with no change of sign, so the gain stays Π b0.
        bandForm = plus == minus && plus + minus == Sections;
        for (int s = 0; s < Sections; s++)
        {
            var c = sections[s];
            int at = 1 + (PerSection * s);
            k[at] = bandForm ? -1f : 1f;
            k[at + 1] = bandForm ? 0f : (float)(c.B1 / c.B0);
            k[at + 2] = (float)-c.A1;
            k[at + 3] = (float)-c.A2;
        }

        k[0] = bandForm ? 1f : (float)gain;
        energyScale = bandForm ? gain * gain : 1;
        return k;
    }

    private static float[] PaddingCoefficients()
    {
        var k = new float[Coefficients];
        k[0] = 1;
        for (int s = 0; s < Sections; s++) k[1 + (PerSection * s)] = 1;
        return k;
    }

    private static void Flush(Span<float> state)
    {
        for (int i = 0; i < state.Length; i++)
        {
            if (Math.Abs(state[i]) < FlushThreshold) state[i] = 0;
        }
    }

    /// <summary>Adds each float block sum, times its band's g², to its double sum and clears it.</summary>
    private static void Fold(Span<float> blockSums, ReadOnlySpan<double> energyScale, Span<double> sums)
    {
        for (int i = 0; i < blockSums.Length; i++)
        {
            sums[i] += blockSums[i] * energyScale[i];
            blockSums[i] = 0;
        }
    }

    private interface IStageRunner
    {
        void Advance();

        /// <summary>At each multiple of <see cref="MaxChunk"/> stream samples: flushes tiny states and adds the float block sums to the double sums.</summary>
        void EndBlock();

        void Collect(int channel, Span<double> sumSquares, Span<long> sampleCounts);

        void Reset();
    }

    /// <summary>Keeps the stage-sample index and counts shared by both layouts.</summary>
    private abstract class StageBase(ThirdOctaveStagePlan plan, int channels) : IStageRunner
    {
        private readonly long[] _collectedCount = new long[channels]; // Count at each channel's last collection

        protected ThirdOctaveStagePlan Plan { get; } = plan;

        /// <summary>Index (at this stage's rate) of the next sample; its parity picks the decimation phase.</summary>
        protected long SampleIndex { get; private set; }

        /// <summary>Samples this stage ran per channel since construction.</summary>
        protected long Count { get; private set; }

        /// <summary>Called once per chunk after every channel ran, so all channels see the same decimation phase.</summary>
        public void Advance()
        {
            SampleIndex += PendingSamples;
            Count += PendingSamples;
            PendingSamples = 0;
        }

        /// <summary>Samples the stage ran (per channel) in the current chunk.</summary>
        protected int PendingSamples { get; set; }

        public abstract void EndBlock();

        public abstract void Collect(int channel, Span<double> sumSquares, Span<long> sampleCounts);

        public virtual void Reset()
        {
            SampleIndex = 0;
            Count = 0;
            Array.Clear(_collectedCount);
        }

        /// <summary>Samples run since <paramref name="channel"/>'s previous collection.</summary>
        protected long TakeCount(int channel)
        {
            long since = Count - _collectedCount[channel];
            _collectedCount[channel] = Count;
            return since;
        }
    }

    /// <summary>Band lanes: per channel, the stage's filters in one 8-lane vector.</summary>
    private sealed class BandLaneStage : StageBase
    {
        private readonly float[] _coefficients; // [gain, then per section b0 b1 −a1 −a2][8 lanes]
        private readonly float[] _state;        // [channel][section][s0 s1][8 lanes]
        private readonly float[] _blockSums;    // [channel][8 lanes], Σy² since the last fold
        private readonly double[] _sums;        // [channel][8 lanes]
        private readonly double[] _energyScale; // [channel][8 lanes]: g² of each lane's band
        private readonly float[] _antiAliasOut;
        private readonly float[] _decimated;

        public BandLaneStage(ThirdOctaveStagePlan plan, int channels, int capacity) : base(plan, channels)
        {
            if (plan.Filters.Count > BandLanes) throw new InvalidOperationException("A decimation stage holds at most 8 filters.");
            _coefficients = new float[Coefficients * BandLanes];
            _energyScale = new double[channels * BandLanes];
            for (int lane = 0; lane < BandLanes; lane++)
            {
                // Padding lanes run a harmless FIR (gain 1, no poles); their output is never read.
                double scale = 1;
                float[] k = lane < plan.Filters.Count ? RuntimeCoefficients(plan.Filters[lane], out _, out scale) : PaddingCoefficients();
                for (int j = 0; j < Coefficients; j++) _coefficients[(j * BandLanes) + lane] = k[j];
                for (int ch = 0; ch < channels; ch++) _energyScale[(ch * BandLanes) + lane] = scale;
            }

            _state = new float[channels * Sections * 2 * BandLanes];
            _blockSums = new float[channels * BandLanes];
            _sums = new double[channels * BandLanes];
            _antiAliasOut = new float[MaxChunk];
            _decimated = new float[capacity];
        }

        /// <summary>Runs one channel's chunk; returns the decimated anti-alias output for the next stage.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public ReadOnlySpan<float> Run(int channel, ReadOnlySpan<float> input)
        {
            ref Vector256<float> c = ref Unsafe.As<float, Vector256<float>>(ref MemoryMarshal.GetArrayDataReference(_coefficients));
            // Coefficients in registers (not memory operands): the JIT then needs no copies around the FMAs.
            Vector256<float> gain = c;
            Vector256<float> b00 = Unsafe.Add(ref c, 1), b01 = Unsafe.Add(ref c, 2), a01 = Unsafe.Add(ref c, 3), a02 = Unsafe.Add(ref c, 4);
            Vector256<float> b10 = Unsafe.Add(ref c, 5), b11 = Unsafe.Add(ref c, 6), a11 = Unsafe.Add(ref c, 7), a12 = Unsafe.Add(ref c, 8);
            Vector256<float> b20 = Unsafe.Add(ref c, 9), b21 = Unsafe.Add(ref c, 10), a21 = Unsafe.Add(ref c, 11), a22 = Unsafe.Add(ref c, 12);
            Vector256<float> b30 = Unsafe.Add(ref c, 13), b31 = Unsafe.Add(ref c, 14), a31 = Unsafe.Add(ref c, 15), a32 = Unsafe.Add(ref c, 16);
            ref Vector256<float> st = ref Unsafe.As<float, Vector256<float>>(ref _state[channel * Sections * 2 * BandLanes]);
            var s00 = st; var s01 = Unsafe.Add(ref st, 1);
            var s10 = Unsafe.Add(ref st, 2); var s11 = Unsafe.Add(ref st, 3);
            var s20 = Unsafe.Add(ref st, 4); var s21 = Unsafe.Add(ref st, 5);
            var s30 = Unsafe.Add(ref st, 6); var s31 = Unsafe.Add(ref st, 7);
            ref float sums = ref _blockSums[channel * BandLanes];
            var acc = Vector256.LoadUnsafe(ref sums);
            int aaLane = Plan.AntiAliasFilter;
            Span<float> aaOut = _antiAliasOut;

            for (int i = 0; i < input.Length; i++)
            {
                var y = gain * Vector256.Create(input[i]);
                y = Section(b00, b01, a01, a02, y, ref s00, ref s01);
                y = Section(b10, b11, a11, a12, y, ref s10, ref s11);
                y = Section(b20, b21, a21, a22, y, ref s20, ref s21);
                y = Section(b30, b31, a31, a32, y, ref s30, ref s31);
                acc = MulAdd(y, y, acc);
                if (aaLane >= 0)
                {
                    aaOut[i] = y.GetElement(aaLane);
                }
            }

            st = s00; Unsafe.Add(ref st, 1) = s01;
            Unsafe.Add(ref st, 2) = s10; Unsafe.Add(ref st, 3) = s11;
            Unsafe.Add(ref st, 4) = s20; Unsafe.Add(ref st, 5) = s21;
            Unsafe.Add(ref st, 6) = s30; Unsafe.Add(ref st, 7) = s31;
            acc.StoreUnsafe(ref sums);
            PendingSamples = input.Length;
            if (aaLane < 0) return default;

            // Keep the samples with even stage-sample index: the phase follows the stream, not the call.
            int w = 0;
            for (int i = (int)(SampleIndex & 1); i < input.Length; i += 2) _decimated[w++] = _antiAliasOut[i];
            return _decimated.AsSpan(0, w);
        }

        public override void EndBlock()
        {
            Flush(_state);
            Fold(_blockSums, _energyScale, _sums);
        }

        public override void Collect(int channel, Span<double> sumSquares, Span<long> sampleCounts)
        {
            long count = TakeCount(channel);
            int at = channel * BandLanes;
            Fold(_blockSums.AsSpan(at, BandLanes), _energyScale.AsSpan(at, BandLanes), _sums.AsSpan(at, BandLanes));
            for (int i = 0; i < Plan.BandIndices.Count; i++)
            {
                sumSquares[Plan.BandIndices[i]] = _sums[at + i];
                sampleCounts[Plan.BandIndices[i]] = count;
            }

            Array.Clear(_sums, at, BandLanes);
        }

        public override void Reset()
        {
            base.Reset();
            Array.Clear(_state);
            Array.Clear(_blockSums);
            Array.Clear(_sums);
        }
    }

    /// <summary>Channel lanes: per filter, groups of channels side by side; rows in, decimated rows out.</summary>
    private sealed class ChannelLaneStage : StageBase
    {
        private readonly int _width;
        private readonly bool _wide;
        private readonly int _stride;
        private readonly float[][] _coefficients; // [filter][gain, then per section b0 b1 −a1 −a2]
        private readonly float[] _state;           // [filter][group][section][s0 s1][Width]
        private readonly float[] _blockSums;       // [band][stride], Σy² since the last fold
        private readonly double[] _sums;           // [band][stride]
        private readonly double[] _energyScale;    // [band][stride]: the band's g²
        private readonly float[] _antiAliasOut;    // [sample][stride]
        private readonly float[] _decimated;       // [sample][stride]

        public ChannelLaneStage(ThirdOctaveStagePlan plan, int stride, int capacity, bool wide) : base(plan, stride)
        {
            _stride = stride;
            _wide = wide;
            _width = wide ? 16 : Vector<float>.Count;
            int filters = plan.Filters.Count;
            _coefficients = new float[filters][];
            _energyScale = new double[plan.BandIndices.Count * stride];
            for (int f = 0; f < filters; f++)
            {
                _coefficients[f] = RuntimeCoefficients(plan.Filters[f], out bool bandForm, out double scale);
                // The kernels below assume the band-passes in band form and the low-pass not.
                if (bandForm != (f != plan.AntiAliasFilter)) throw new InvalidOperationException("Unexpected third-octave bank filter form.");
                if (bandForm) _energyScale.AsSpan(f * stride, stride).Fill(scale);
            }

            _state = new float[filters * stride * Sections * 2];
            _blockSums = new float[plan.BandIndices.Count * stride];
            _sums = new double[plan.BandIndices.Count * stride];
            _antiAliasOut = plan.AntiAliasFilter >= 0 ? new float[MaxChunk * stride] : [];
            _decimated = plan.AntiAliasFilter >= 0 ? new float[capacity * stride] : [];
        }

        /// <summary>Runs a chunk of rows; returns the decimated anti-alias rows for the next stage.</summary>
        public ReadOnlySpan<float> Run(ReadOnlySpan<float> rows)
        {
            int n = rows.Length / _stride;
            for (int f = 0; f < Plan.Filters.Count; f++)
            {
                bool antiAlias = f == Plan.AntiAliasFilter;
                for (int group = 0; group < _stride; group += _width)
                {
                    if (_wide)
                    {
                        if (antiAlias) RunLowPassWide(f, group, rows, n); else RunBandWide(f, group, rows, n);
                    }
                    else
                    {
                        if (antiAlias) RunLowPass(f, group, rows, n); else RunBand(f, group, rows, n);
                    }
                }
            }

            PendingSamples = n;
            if (Plan.AntiAliasFilter < 0) return default;
            int w = 0;
            for (int i = (int)(SampleIndex & 1); i < n; i += 2, w++)
            {
                _antiAliasOut.AsSpan(i * _stride, _stride).CopyTo(_decimated.AsSpan(w * _stride));
            }

            return _decimated.AsSpan(0, w * _stride);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunBand(int f, int group, ReadOnlySpan<float> rows, int n)
        {
            float[] k = _coefficients[f];
            Vector<float> a01 = new(k[3]), a02 = new(k[4]), a11 = new(k[7]), a12 = new(k[8]);
            Vector<float> a21 = new(k[11]), a22 = new(k[12]), a31 = new(k[15]), a32 = new(k[16]);
            ref Vector<float> st = ref Unsafe.As<float, Vector<float>>(ref _state[((f * _stride) + group) * Sections * 2]);
            var s00 = st; var s01 = Unsafe.Add(ref st, 1);
            var s10 = Unsafe.Add(ref st, 2); var s11 = Unsafe.Add(ref st, 3);
            var s20 = Unsafe.Add(ref st, 4); var s21 = Unsafe.Add(ref st, 5);
            var s30 = Unsafe.Add(ref st, 6); var s31 = Unsafe.Add(ref st, 7);
            ref Vector<float> sums = ref Unsafe.As<float, Vector<float>>(ref _blockSums[(f * _stride) + group]);
            var acc = sums;
            ref float input = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), group);
            int stride = _stride;

            for (int i = 0; i < n; i++)
            {
                var y = Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref input, i * stride));
                y = BandSection(a01, a02, y, ref s00, ref s01);
                y = BandSection(a11, a12, y, ref s10, ref s11);
                y = BandSection(a21, a22, y, ref s20, ref s21);
                y = BandSection(a31, a32, y, ref s30, ref s31);
                acc = MulAdd(y, y, acc);
            }

            st = s00; Unsafe.Add(ref st, 1) = s01;
            Unsafe.Add(ref st, 2) = s10; Unsafe.Add(ref st, 3) = s11;
            Unsafe.Add(ref st, 4) = s20; Unsafe.Add(ref st, 5) = s21;
            Unsafe.Add(ref st, 6) = s30; Unsafe.Add(ref st, 7) = s31;
            sums = acc;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunLowPass(int f, int group, ReadOnlySpan<float> rows, int n)
        {
            float[] k = _coefficients[f];
            Vector<float> gain = new(k[0]);
            Vector<float> b01 = new(k[2]), a01 = new(k[3]), a02 = new(k[4]);
            Vector<float> b11 = new(k[6]), a11 = new(k[7]), a12 = new(k[8]);
            Vector<float> b21 = new(k[10]), a21 = new(k[11]), a22 = new(k[12]);
            Vector<float> b31 = new(k[14]), a31 = new(k[15]), a32 = new(k[16]);
            ref Vector<float> st = ref Unsafe.As<float, Vector<float>>(ref _state[((f * _stride) + group) * Sections * 2]);
            var s00 = st; var s01 = Unsafe.Add(ref st, 1);
            var s10 = Unsafe.Add(ref st, 2); var s11 = Unsafe.Add(ref st, 3);
            var s20 = Unsafe.Add(ref st, 4); var s21 = Unsafe.Add(ref st, 5);
            var s30 = Unsafe.Add(ref st, 6); var s31 = Unsafe.Add(ref st, 7);
            ref float input = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), group);
            ref float output = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_antiAliasOut), group);
            int stride = _stride;

            for (int i = 0; i < n; i++)
            {
                var y = Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref input, i * stride));
                y = LowPassSection(b01, a01, a02, gain * y, ref s00, ref s01);
                y = LowPassSection(b11, a11, a12, y, ref s10, ref s11);
                y = LowPassSection(b21, a21, a22, y, ref s20, ref s21);
                y = LowPassSection(b31, a31, a32, y, ref s30, ref s31);
                Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref output, i * stride)) = y;
            }

            st = s00; Unsafe.Add(ref st, 1) = s01;
            Unsafe.Add(ref st, 2) = s10; Unsafe.Add(ref st, 3) = s11;
            Unsafe.Add(ref st, 4) = s20; Unsafe.Add(ref st, 5) = s21;
            Unsafe.Add(ref st, 6) = s30; Unsafe.Add(ref st, 7) = s31;
        }

        /// <summary><see cref="RunBand"/> on 16 channels per 512-bit vector (same operations per lane).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunBandWide(int f, int group, ReadOnlySpan<float> rows, int n)
        {
            float[] k = _coefficients[f];
            Vector512<float> a01 = Vector512.Create(k[3]), a02 = Vector512.Create(k[4]), a11 = Vector512.Create(k[7]), a12 = Vector512.Create(k[8]);
            Vector512<float> a21 = Vector512.Create(k[11]), a22 = Vector512.Create(k[12]), a31 = Vector512.Create(k[15]), a32 = Vector512.Create(k[16]);
            ref Vector512<float> st = ref Unsafe.As<float, Vector512<float>>(ref _state[((f * _stride) + group) * Sections * 2]);
            var s00 = st; var s01 = Unsafe.Add(ref st, 1);
            var s10 = Unsafe.Add(ref st, 2); var s11 = Unsafe.Add(ref st, 3);
            var s20 = Unsafe.Add(ref st, 4); var s21 = Unsafe.Add(ref st, 5);
            var s30 = Unsafe.Add(ref st, 6); var s31 = Unsafe.Add(ref st, 7);
            ref float sums = ref _blockSums[(f * _stride) + group];
            var acc = Vector512.LoadUnsafe(ref sums);
            ref float input = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), group);
            int stride = _stride;

            for (int i = 0; i < n; i++)
            {
                var y = Vector512.LoadUnsafe(ref input, (nuint)(i * stride));
                y = BandSection(a01, a02, y, ref s00, ref s01);
                y = BandSection(a11, a12, y, ref s10, ref s11);
                y = BandSection(a21, a22, y, ref s20, ref s21);
                y = BandSection(a31, a32, y, ref s30, ref s31);
                acc = MulAdd(y, y, acc);
            }

            st = s00; Unsafe.Add(ref st, 1) = s01;
            Unsafe.Add(ref st, 2) = s10; Unsafe.Add(ref st, 3) = s11;
            Unsafe.Add(ref st, 4) = s20; Unsafe.Add(ref st, 5) = s21;
            Unsafe.Add(ref st, 6) = s30; Unsafe.Add(ref st, 7) = s31;
            acc.StoreUnsafe(ref sums);
        }

        /// <summary><see cref="RunLowPass"/> on 16 channels per 512-bit vector.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunLowPassWide(int f, int group, ReadOnlySpan<float> rows, int n)
        {
            float[] k = _coefficients[f];
            var gain = Vector512.Create(k[0]);
            Vector512<float> b01 = Vector512.Create(k[2]), a01 = Vector512.Create(k[3]), a02 = Vector512.Create(k[4]);
            Vector512<float> b11 = Vector512.Create(k[6]), a11 = Vector512.Create(k[7]), a12 = Vector512.Create(k[8]);
            Vector512<float> b21 = Vector512.Create(k[10]), a21 = Vector512.Create(k[11]), a22 = Vector512.Create(k[12]);
            Vector512<float> b31 = Vector512.Create(k[14]), a31 = Vector512.Create(k[15]), a32 = Vector512.Create(k[16]);
            ref Vector512<float> st = ref Unsafe.As<float, Vector512<float>>(ref _state[((f * _stride) + group) * Sections * 2]);
            var s00 = st; var s01 = Unsafe.Add(ref st, 1);
            var s10 = Unsafe.Add(ref st, 2); var s11 = Unsafe.Add(ref st, 3);
            var s20 = Unsafe.Add(ref st, 4); var s21 = Unsafe.Add(ref st, 5);
            var s30 = Unsafe.Add(ref st, 6); var s31 = Unsafe.Add(ref st, 7);
            ref float input = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), group);
            ref float output = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_antiAliasOut), group);
            int stride = _stride;

            for (int i = 0; i < n; i++)
            {
                var y = Vector512.LoadUnsafe(ref input, (nuint)(i * stride));
                y = LowPassSection(b01, a01, a02, gain * y, ref s00, ref s01);
                y = LowPassSection(b11, a11, a12, y, ref s10, ref s11);
                y = LowPassSection(b21, a21, a22, y, ref s20, ref s21);
                y = LowPassSection(b31, a31, a32, y, ref s30, ref s31);
                y.StoreUnsafe(ref output, (nuint)(i * stride));
            }

            st = s00; Unsafe.Add(ref st, 1) = s01;
            Unsafe.Add(ref st, 2) = s10; Unsafe.Add(ref st, 3) = s11;
            Unsafe.Add(ref st, 4) = s20; Unsafe.Add(ref st, 5) = s21;
            Unsafe.Add(ref st, 6) = s30; Unsafe.Add(ref st, 7) = s31;
        }

        public override void EndBlock()
        {
            Flush(_state);
            Fold(_blockSums, _energyScale, _sums);
        }

        public override void Collect(int channel, Span<double> sumSquares, Span<long> sampleCounts)
        {
            long count = TakeCount(channel);
            for (int i = 0; i < Plan.BandIndices.Count; i++)
            {
                int at = (i * _stride) + channel;
                sumSquares[Plan.BandIndices[i]] = _sums[at] + (_blockSums[at] * _energyScale[at]);
                sampleCounts[Plan.BandIndices[i]] = count;
                _sums[at] = 0;
                _blockSums[at] = 0;
            }
        }

        public override void Reset()
        {
            base.Reset();
            Array.Clear(_state);
            Array.Clear(_blockSums);
            Array.Clear(_sums);
        }
    }
}

/// <summary>One decimation stage of the third-octave bank: its rate, its bands and the designs of its filters.</summary>
internal sealed class ThirdOctaveStagePlan
{
    private const int BandOrder = 4;
    private const double AntiAliasPassband = 0.13;

    private ThirdOctaveStagePlan(double rate, int[] bandIndices, BiquadSection[][] filters, int antiAliasFilter)
    {
        Rate = rate;
        BandIndices = bandIndices;
        Filters = filters;
        AntiAliasFilter = antiAliasFilter;
    }

    /// <summary>Sample rate of this stage in Hz.</summary>
    public double Rate { get; }

    /// <summary>Indices (into the bank's band list) of the bands of this stage; filter i is band BandIndices[i].</summary>
    public IReadOnlyList<int> BandIndices { get; }

    /// <summary>Four sections per filter: the bands first, then the anti-alias low-pass (if any).</summary>
    public IReadOnlyList<BiquadSection[]> Filters { get; }

    /// <summary>Index in <see cref="Filters"/> of the anti-alias low-pass feeding the next stage, −1 for the last stage.</summary>
    public int AntiAliasFilter { get; }

    /// <summary>
    /// Plans the stages for <paramref name="sampleRate"/>: stage 0 runs at the input rate and holds the
    /// bands whose upper edge is above fs/8; each further stage runs at half the previous rate behind an
    /// 8th-order elliptic anti-alias low-pass and holds the octave of bands whose upper edge lies between
    /// a sixteenth and an eighth of the faster rate.
    /// </summary>
    public static ThirdOctaveStagePlan[] For(int sampleRate)
    {
        var bands = ThirdOctaveBand.ForSampleRate(sampleRate);
        var stages = new List<ThirdOctaveStagePlan>();
        int assigned = 0;
        for (int k = 0; assigned < bands.Count; k++)
        {
            double rate = sampleRate / Math.Pow(2, k);
            double top = k == 0 ? double.PositiveInfinity : rate / 4;
            double bottom = rate / 8;
            var members = new List<int>();
            bool needsAntiAlias = false;
            for (int b = 0; b < bands.Count; b++)
            {
                double upper = bands[b].UpperEdgeHz;
                if (upper <= top && upper > bottom) members.Add(b);
                if (upper <= bottom) needsAntiAlias = true;
            }

            var filters = new List<BiquadSection[]>();
            foreach (int b in members)
            {
                var tf = new NWaves.Filters.Butterworth.BandPassFilter(bands[b].LowerEdgeHz / rate, bands[b].UpperEdgeHz / rate, BandOrder).Tf;
                filters.Add(BiquadSection.FromHighOrder(tf));
            }

            if (needsAntiAlias)
            {
                filters.Add(BiquadSection.FromHighOrder(new NWaves.Filters.Elliptic.LowPassFilter(AntiAliasPassband, 8, 0.002, 90).Tf));
            }

            foreach (var sections in filters)
            {
                if (sections.Length != 4) throw new InvalidOperationException("Every filter of the bank must have four sections.");
            }

            stages.Add(new ThirdOctaveStagePlan(rate, members.ToArray(), filters.ToArray(), needsAntiAlias ? members.Count : -1));
            assigned += members.Count;
        }

        return stages.ToArray();
    }
}
