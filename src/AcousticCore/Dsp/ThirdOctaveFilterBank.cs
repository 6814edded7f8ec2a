using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AcousticCore.Dsp;

/// <summary>
/// A bank of IEC 61260-1 class-1 one-third-octave filters (25 Hz up to the highest band below
/// Nyquist) that accumulates the mean square of every band's output.
/// </summary>
/// <remarks>
/// Each band is a 4th-order Butterworth band-pass (8 poles, −3.01 dB at the band edges) designed by
/// NWaves with pre-warped edges. Order 3 would meet the class-1 limits for bands far below Nyquist,
/// but the bilinear transform flattens the lower skirt of bands near Nyquist (of the input or of a
/// decimated stage) below the G^−1…G^−4 limits; order 4 meets them for every band. To keep the cost about constant per input sample and the low
/// bands numerically well conditioned, the signal is decimated octave by octave: stage 0 runs at the
/// input rate and holds the bands whose upper edge is above fs/8; every further stage runs at half
/// the previous rate behind an 8th-order elliptic anti-alias low-pass (NWaves; passband to 0.13
/// of the faster rate, ripple 0.002 dB, 90 dB stop band) and holds the one octave of bands whose upper
/// edge lies between a sixteenth and an eighth of the faster rate, so aliases land at least an
/// octave above them. The filters of one stage (its bands and its anti-alias low-pass) run side by
/// side in the lanes of 256-bit vectors, with double-precision state. Not thread-safe: one instance
/// per channel. <see cref="Process(ReadOnlySpan{float})"/> allocates nothing.
/// </remarks>
public sealed class ThirdOctaveFilterBank
{
    private const int MaxChunk = 512;
    private const int Lanes = 4;
    private const int Sections = 4;
    private const int BandOrder = 4;
    private const double AntiAliasPassband = 0.13;

    private readonly Stage[] _stages;
    private readonly double[] _input = new double[MaxChunk];
    private readonly IReadOnlyList<ThirdOctaveBand> _bands;
    private long _position;

    /// <summary>Designs the bank for <paramref name="sampleRate"/> Hz (8000–192000).</summary>
    public ThirdOctaveFilterBank(int sampleRate) : this(sampleRate, allowWide: true)
    {
    }

    /// <summary>Designs the bank; <paramref name="allowWide"/> = false keeps 256-bit vectors even where 512-bit ones run (for tests).</summary>
    internal ThirdOctaveFilterBank(int sampleRate, bool allowWide)
    {
        _bands = ThirdOctaveBand.ForSampleRate(sampleRate);
        SampleRate = sampleRate;
        var stages = new List<Stage>();
        int assigned = 0;
        for (int k = 0; assigned < _bands.Count; k++)
        {
            double rate = sampleRate / Math.Pow(2, k);
            double top = k == 0 ? double.PositiveInfinity : rate / 4;
            double bottom = rate / 8;
            var members = new List<int>();
            for (int b = 0; b < _bands.Count; b++)
            {
                double upper = _bands[b].UpperEdgeHz;
                if (upper <= top && upper > bottom)
                {
                    members.Add(b);
                }
            }

            bool needsAntiAlias = false;
            for (int b = 0; b < _bands.Count; b++)
            {
                if (_bands[b].UpperEdgeHz <= bottom) needsAntiAlias = true;
            }

            stages.Add(new Stage(_bands, members.ToArray(), rate, needsAntiAlias, k == 0 ? MaxChunk : (MaxChunk >> k) + 2, allowWide));
            assigned += members.Count;
        }

        _stages = stages.ToArray();
    }

    /// <summary>Sample rate in Hz of the input.</summary>
    public int SampleRate { get; }

    /// <summary>The bands, lowest first; the order of every per-band output.</summary>
    public IReadOnlyList<ThirdOctaveBand> Bands => _bands;

    /// <summary>Number of decimation stages (diagnostics).</summary>
    internal int StageCount => _stages.Length;

    /// <summary>Filters <paramref name="samples"/> (full scale ±1) and adds each band's squared output to its accumulator.</summary>
    public void Process(ReadOnlySpan<float> samples)
    {
        while (samples.Length > 0)
        {
            int n = NextChunkLength(samples.Length);
            for (int i = 0; i < n; i++) _input[i] = samples[i];
            ProcessChunk(_input.AsSpan(0, n));
            samples = samples[n..];
        }
    }

    /// <summary>Same as <see cref="Process(ReadOnlySpan{float})"/> for samples already converted to double.</summary>
    internal void Process(ReadOnlySpan<double> samples)
    {
        while (samples.Length > 0)
        {
            int n = NextChunkLength(samples.Length);
            ProcessChunk(samples[..n]);
            samples = samples[n..];
        }
    }

    /// <summary>Chunks end on multiples of <see cref="MaxChunk"/> input samples, wherever the caller's blocks end.</summary>
    private int NextChunkLength(int available) => Math.Min(available, MaxChunk - (int)(_position % MaxChunk));

    private void ProcessChunk(ReadOnlySpan<double> chunk)
    {
        ReadOnlySpan<double> input = chunk;
        for (int k = 0; k < _stages.Length && input.Length > 0; k++)
        {
            input = _stages[k].Run(input);
        }

        _position += chunk.Length;
        if (_position % MaxChunk == 0)
        {
            // Flush at fixed stream positions (every 512 input samples, often enough that no state
            // decays from the threshold into the subnormal range in between), so results do not
            // depend on how the caller splits the stream.
            foreach (var stage in _stages) stage.FlushDenormals();
        }
    }

    /// <summary>
    /// Writes each band's sum of squared outputs and its number of (decimated) samples since the
    /// last call, then clears the accumulators. Mean square = sum / count.
    /// </summary>
    public void CollectEnergy(Span<double> sumSquares, Span<long> sampleCounts)
    {
        if (sumSquares.Length < _bands.Count || sampleCounts.Length < _bands.Count)
        {
            throw new ArgumentException($"Destinations need room for {_bands.Count} bands.");
        }

        foreach (var stage in _stages)
        {
            stage.Collect(sumSquares, sampleCounts);
        }
    }

    /// <summary>Clears all filter state and accumulators.</summary>
    public void Reset()
    {
        _position = 0;
        foreach (var stage in _stages) stage.Reset();
    }

    /// <summary>
    /// Designed magnitude response in dB of band <paramref name="band"/> at <paramref name="frequencyHz"/>,
    /// including the anti-alias filters in front of its stage (aliasing itself not included).
    /// </summary>
    public double ResponseDb(int band, double frequencyHz)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(band);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(band, _bands.Count);
        double db = 0;
        foreach (var stage in _stages)
        {
            int lane = Array.IndexOf(stage.BandIndices, band);
            if (lane >= 0)
            {
                return db + BiquadSection.CascadeResponseDb(stage.Design[lane], frequencyHz, stage.Rate);
            }

            db += BiquadSection.CascadeResponseDb(stage.Design[stage.AntiAliasLane], frequencyHz, stage.Rate);
        }

        throw new InvalidOperationException("Band not assigned to a stage.");
    }

    /// <summary>One decimation stage: its bands and its anti-alias low-pass, side by side in vector lanes.</summary>
    private sealed class Stage
    {
        private readonly int _groups;
        private readonly int _laneCount;
        private readonly double[] _coefficients; // [group][section][b0 b1 b2 a1 a2][lane]
        private readonly double[] _state;        // [group][section][s1 s2][lane]; [section][s1 s2][8 lanes] when wide
        private readonly double[]? _wide;        // 512-bit layout of the coefficients, when two groups fit one vector
        private readonly double[] _sums;         // [group][lane]
        private readonly double[] _antiAliasOut;
        private readonly double[] _decimated;
        private long _sampleIndex;
        private long _count;

        public Stage(IReadOnlyList<ThirdOctaveBand> bands, int[] members, double rate, bool needsAntiAlias, int capacity, bool allowWide)
        {
            Rate = rate;
            BandIndices = members;
            _laneCount = members.Length + (needsAntiAlias ? 1 : 0);
            _groups = (_laneCount + Lanes - 1) / Lanes;
            if (_groups > 2)
            {
                throw new InvalidOperationException("A decimation stage holds at most 8 filters.");
            }

            Design = new BiquadSection[_groups * Lanes][];
            for (int lane = 0; lane < Design.Length; lane++)
            {
                Design[lane] = [BiquadSection.Identity, BiquadSection.Identity, BiquadSection.Identity, BiquadSection.Identity];
            }

            for (int i = 0; i < members.Length; i++)
            {
                var band = bands[members[i]];
                var tf = new NWaves.Filters.Butterworth.BandPassFilter(band.LowerEdgeHz / rate, band.UpperEdgeHz / rate, BandOrder).Tf;
                Design[i] = BiquadSection.FromHighOrder(tf);
            }

            AntiAliasLane = needsAntiAlias ? members.Length : -1;
            if (needsAntiAlias)
            {
                var lowPass = new NWaves.Filters.Elliptic.LowPassFilter(AntiAliasPassband, 8, 0.002, 90).Tf;
                Design[AntiAliasLane] = BiquadSection.FromHighOrder(lowPass);
            }

            foreach (var sections in Design)
            {
                if (sections.Length != Sections)
                {
                    throw new InvalidOperationException("Every filter of the bank must have four sections.");
                }
            }

            _coefficients = new double[_groups * Sections * 5 * Lanes];
            for (int lane = 0; lane < _groups * Lanes; lane++)
            {
                int g = lane / Lanes, l = lane % Lanes;
                for (int s = 0; s < Sections; s++)
                {
                    var c = Design[lane][s];
                    int baseIndex = ((g * Sections) + s) * 5 * Lanes;
                    _coefficients[baseIndex + (0 * Lanes) + l] = c.B0;
                    _coefficients[baseIndex + (1 * Lanes) + l] = c.B1;
                    _coefficients[baseIndex + (2 * Lanes) + l] = c.B2;
                    _coefficients[baseIndex + (3 * Lanes) + l] = -c.A1;
                    _coefficients[baseIndex + (4 * Lanes) + l] = -c.A2;
                }
            }

            _state = new double[_groups * Sections * 2 * Lanes];
            if (_groups == 2 && allowWide && Vector512.IsHardwareAccelerated)
            {
                // Eight lanes fit one 512-bit vector: same coefficients, laid out [section][coef][8 lanes].
                _wide = new double[Sections * 5 * 2 * Lanes];
                for (int sec = 0; sec < Sections; sec++)
                {
                    for (int k = 0; k < 5; k++)
                    {
                        for (int lane = 0; lane < 2 * Lanes; lane++)
                        {
                            int g = lane / Lanes, l = lane % Lanes;
                            _wide[(((sec * 5) + k) * 2 * Lanes) + lane] = _coefficients[(((g * Sections) + sec) * 5 * Lanes) + (k * Lanes) + l];
                        }
                    }
                }
            }

            _sums = new double[_groups * Lanes];
            _antiAliasOut = new double[MaxChunk];
            _decimated = new double[capacity];
        }

        public double Rate { get; }

        public int[] BandIndices { get; }

        public int AntiAliasLane { get; }

        /// <summary>Sections per lane (bands first, then the anti-alias filter, then identity padding).</summary>
        public BiquadSection[][] Design { get; }

        /// <summary>Runs the stage; returns the decimated anti-alias output for the next stage.</summary>
        public ReadOnlySpan<double> Run(ReadOnlySpan<double> input)
        {
            if (_groups == 1)
            {
                RunOneGroup(input);
            }
            else if (_wide is not null)
            {
                RunWide(input);
            }
            else
            {
                RunTwoGroups(input);
            }

            _count += input.Length;
            if (AntiAliasLane < 0)
            {
                _sampleIndex += input.Length;
                return default;
            }

            // Keep the samples with even stage-sample index: the phase follows the stream, not the call.
            int w = 0;
            int first = (int)(_sampleIndex & 1);
            for (int i = first; i < input.Length; i += 2)
            {
                _decimated[w++] = _antiAliasOut[i];
            }

            _sampleIndex += input.Length;
            return _decimated.AsSpan(0, w);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunOneGroup(ReadOnlySpan<double> input)
        {
            ref Vector256<double> c = ref Unsafe.As<double, Vector256<double>>(ref MemoryMarshal.GetArrayDataReference(_coefficients));
            ref Vector256<double> st = ref Unsafe.As<double, Vector256<double>>(ref MemoryMarshal.GetArrayDataReference(_state));
            var s00 = st; var s01 = Unsafe.Add(ref st, 1);
            var s10 = Unsafe.Add(ref st, 2); var s11 = Unsafe.Add(ref st, 3);
            var s20 = Unsafe.Add(ref st, 4); var s21 = Unsafe.Add(ref st, 5);
            var s30 = Unsafe.Add(ref st, 6); var s31 = Unsafe.Add(ref st, 7);
            var acc = Vector256.LoadUnsafe(ref _sums[0]);
            int aaLane = AntiAliasLane;
            Span<double> aaOut = _antiAliasOut;

            for (int i = 0; i < input.Length; i++)
            {
                var y = Vector256.Create(input[i]);
                y = Section(ref c, 0, y, ref s00, ref s01);
                y = Section(ref c, 1, y, ref s10, ref s11);
                y = Section(ref c, 2, y, ref s20, ref s21);
                y = Section(ref c, 3, y, ref s30, ref s31);
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
            acc.StoreUnsafe(ref _sums[0]);
        }

        /// <summary>Both vector groups in one loop, so their independent recursions overlap in the pipeline.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunTwoGroups(ReadOnlySpan<double> input)
        {
            ref Vector256<double> c = ref Unsafe.As<double, Vector256<double>>(ref MemoryMarshal.GetArrayDataReference(_coefficients));
            ref Vector256<double> d = ref Unsafe.Add(ref c, Sections * 5);
            ref Vector256<double> st = ref Unsafe.As<double, Vector256<double>>(ref MemoryMarshal.GetArrayDataReference(_state));
            var s00 = st; var s01 = Unsafe.Add(ref st, 1);
            var s10 = Unsafe.Add(ref st, 2); var s11 = Unsafe.Add(ref st, 3);
            var s20 = Unsafe.Add(ref st, 4); var s21 = Unsafe.Add(ref st, 5);
            var s30 = Unsafe.Add(ref st, 6); var s31 = Unsafe.Add(ref st, 7);
            var t00 = Unsafe.Add(ref st, 8); var t01 = Unsafe.Add(ref st, 9);
            var t10 = Unsafe.Add(ref st, 10); var t11 = Unsafe.Add(ref st, 11);
            var t20 = Unsafe.Add(ref st, 12); var t21 = Unsafe.Add(ref st, 13);
            var t30 = Unsafe.Add(ref st, 14); var t31 = Unsafe.Add(ref st, 15);
            var accA = Vector256.LoadUnsafe(ref _sums[0]);
            var accB = Vector256.LoadUnsafe(ref _sums[Lanes]);
            int aaLane = AntiAliasLane - Lanes; // the anti-alias filter sits in the second group
            Span<double> aaOut = _antiAliasOut;

            for (int i = 0; i < input.Length; i++)
            {
                var x = Vector256.Create(input[i]);
                var y = Section(ref c, 0, x, ref s00, ref s01);
                var z = Section(ref d, 0, x, ref t00, ref t01);
                y = Section(ref c, 1, y, ref s10, ref s11);
                z = Section(ref d, 1, z, ref t10, ref t11);
                y = Section(ref c, 2, y, ref s20, ref s21);
                z = Section(ref d, 2, z, ref t20, ref t21);
                y = Section(ref c, 3, y, ref s30, ref s31);
                z = Section(ref d, 3, z, ref t30, ref t31);
                accA = MulAdd(y, y, accA);
                accB = MulAdd(z, z, accB);
                if (aaLane >= 0)
                {
                    aaOut[i] = z.GetElement(aaLane);
                }
            }

            st = s00; Unsafe.Add(ref st, 1) = s01;
            Unsafe.Add(ref st, 2) = s10; Unsafe.Add(ref st, 3) = s11;
            Unsafe.Add(ref st, 4) = s20; Unsafe.Add(ref st, 5) = s21;
            Unsafe.Add(ref st, 6) = s30; Unsafe.Add(ref st, 7) = s31;
            Unsafe.Add(ref st, 8) = t00; Unsafe.Add(ref st, 9) = t01;
            Unsafe.Add(ref st, 10) = t10; Unsafe.Add(ref st, 11) = t11;
            Unsafe.Add(ref st, 12) = t20; Unsafe.Add(ref st, 13) = t21;
            Unsafe.Add(ref st, 14) = t30; Unsafe.Add(ref st, 15) = t31;
            accA.StoreUnsafe(ref _sums[0]);
            accB.StoreUnsafe(ref _sums[Lanes]);
        }

        /// <summary>All eight lanes in 512-bit vectors (AVX-512): half the instructions of two 256-bit groups.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RunWide(ReadOnlySpan<double> input)
        {
            ref Vector512<double> c = ref Unsafe.As<double, Vector512<double>>(ref MemoryMarshal.GetArrayDataReference(_wide!));
            ref Vector512<double> st = ref Unsafe.As<double, Vector512<double>>(ref MemoryMarshal.GetArrayDataReference(_state));
            var s00 = st; var s01 = Unsafe.Add(ref st, 1);
            var s10 = Unsafe.Add(ref st, 2); var s11 = Unsafe.Add(ref st, 3);
            var s20 = Unsafe.Add(ref st, 4); var s21 = Unsafe.Add(ref st, 5);
            var s30 = Unsafe.Add(ref st, 6); var s31 = Unsafe.Add(ref st, 7);
            var acc = Vector512.LoadUnsafe(ref _sums[0]);
            int aaLane = AntiAliasLane;
            Span<double> aaOut = _antiAliasOut;

            for (int i = 0; i < input.Length; i++)
            {
                var y = Vector512.Create(input[i]);
                y = SectionWide(ref c, 0, y, ref s00, ref s01);
                y = SectionWide(ref c, 1, y, ref s10, ref s11);
                y = SectionWide(ref c, 2, y, ref s20, ref s21);
                y = SectionWide(ref c, 3, y, ref s30, ref s31);
                acc = Vector512.FusedMultiplyAdd(y, y, acc);
                if (aaLane >= 0)
                {
                    aaOut[i] = y.GetElement(aaLane);
                }
            }

            st = s00; Unsafe.Add(ref st, 1) = s01;
            Unsafe.Add(ref st, 2) = s10; Unsafe.Add(ref st, 3) = s11;
            Unsafe.Add(ref st, 4) = s20; Unsafe.Add(ref st, 5) = s21;
            Unsafe.Add(ref st, 6) = s30; Unsafe.Add(ref st, 7) = s31;
            acc.StoreUnsafe(ref _sums[0]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<double> SectionWide(ref Vector512<double> c, int section, Vector512<double> x,
            ref Vector512<double> s0, ref Vector512<double> s1)
        {
            ref Vector512<double> k = ref Unsafe.Add(ref c, section * 5);
            var y = Vector512.FusedMultiplyAdd(k, x, s0);
            s0 = Vector512.FusedMultiplyAdd(Unsafe.Add(ref k, 3), y, Vector512.FusedMultiplyAdd(Unsafe.Add(ref k, 1), x, s1));
            s1 = Vector512.FusedMultiplyAdd(Unsafe.Add(ref k, 4), y, Unsafe.Add(ref k, 2) * x);
            return y;
        }

        /// <summary>
        /// One transposed-direct-form-II section on four lanes. Coefficients per section: b0, b1, b2,
        /// −a1, −a2; written as fused multiply-adds so the recursion through s0 is two FMAs long.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> Section(ref Vector256<double> c, int section, Vector256<double> x,
            ref Vector256<double> s0, ref Vector256<double> s1)
        {
            ref Vector256<double> k = ref Unsafe.Add(ref c, section * 5);
            var y = MulAdd(k, x, s0);
            s0 = MulAdd(Unsafe.Add(ref k, 3), y, MulAdd(Unsafe.Add(ref k, 1), x, s1));
            s1 = MulAdd(Unsafe.Add(ref k, 4), y, Unsafe.Add(ref k, 2) * x);
            return y;
        }

        public void FlushDenormals() => Denormals.Flush(_state);

        public void Collect(Span<double> sumSquares, Span<long> sampleCounts)
        {
            for (int i = 0; i < BandIndices.Length; i++)
            {
                sumSquares[BandIndices[i]] = _sums[i];
                sampleCounts[BandIndices[i]] = _count;
            }

            Array.Clear(_sums);
            _count = 0;
        }

        public void Reset()
        {
            Array.Clear(_state);
            Array.Clear(_sums);
            _count = 0;
            _sampleIndex = 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<double> MulAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
            Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;
    }
}
