using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector256<float>;

namespace AcousticCore.Dsp;

/// <summary>
/// A real-input FFT of one power-of-two size with all tables computed at construction.
/// </summary>
/// <remarks>
/// <para>Forward is unnormalised, X[k] = Σ x[n]·e^(−2πi·kn/N), written as interleaved (re, im) pairs for
/// bins 0..N/2 (N + 2 floats); the imaginary parts of bins 0 and N/2 are exactly 0. Inverse scales by 1/N
/// so Inverse(Forward(x)) = x, and ignores the imaginary parts of bins 0 and N/2. No call allocates.
/// One instance keeps scratch state: use one plan per thread; separate plans run concurrently.</para>
/// <para>Algorithm. The N real samples are packed as M = N/2 complex points z[n] = x[2n] + i·x[2n+1].
/// Their M-point complex FFT runs on separate real and imaginary arrays (split format: 8 points fill a
/// Vector256). Decimation-in-frequency radix-8 stages (one or two radix-4 stages first when log2(M) − 3
/// is not a multiple of 3; a radix-2 stage for N = 32) work in place, each with its twiddles laid out
/// contiguously, until independent 8-point blocks remain. The last pass loads 8 such blocks, transposes them 8×8 in registers and runs
/// eight 8-point DFTs side by side; picking the blocks of one batch by bit-reversed index makes it write
/// the result in natural order, so there is no bit-reversal pass. A final pass unpacks Z into the real
/// signal's bins, X[k] = (Z[k] + conj Z[M−k])/2 − i·W^k·(Z[k] − conj Z[M−k])/2 with W = e^(−2πi/N).
/// Inverse runs the passes backwards: rebuild conj(Z)/M, run the same forward complex FFT
/// (FFT(conj Z) = M·conj(IFFT Z)), and let the last pass write the interleaved samples.</para>
/// <para>Inside each aligned group of 8, the work arrays store point n at position n with bits 1 and 2
/// swapped (0,1,4,5,2,3,6,7). That is the order in which one in-lane shuffle splits 16 interleaved floats
/// into re and im vectors, so reading the caller's interleaved samples costs no lane-crossing shuffles;
/// the stage twiddles are stored in the same order and the last pass just renames its inputs.</para>
/// <para>AVX2 + FMA hardware uses Vector256 kernels; elsewhere (and for N below 128) the same passes run
/// in scalar code, which agrees with the vector path to float rounding.</para>
/// </remarks>
public sealed unsafe class FftPlan
{
    /// <summary>Smallest supported transform size.</summary>
    public const int MinSize = 16;
    /// <summary>Largest supported transform size.</summary>
    public const int MaxSize = 65_536;

    private const int Lanes = 8;
    private const float Sqrt1_2 = 0.707106781186547524f;

    private readonly int _m;         // complex points of the half-size FFT (N/2)
    private readonly int _groups;    // 8-point blocks left for the last pass (M/8)
    private readonly bool _simd;
    private readonly Stage[] _stages;

    // All tables and scratch live in pinned arrays (kept alive by these fields) so the hot loops use
    // 64-byte-aligned raw pointers without bounds checks.
    private readonly float[] _floatStorage;
    private readonly int[] _intStorage;
    private readonly float* _re;          // in-place work array of the stages (real parts, permuted within 8)
    private readonly float* _im;
    private readonly float* _zRe;         // natural-order Z from the last pass (forward), plus Z[M] = Z[0]
    private readonly float* _zIm;
    private readonly float* _unpackCos;   // 0.5·cos(2πk/N), k < M
    private readonly float* _unpackSin;   // −0.5·sin(2πk/N), k < M
    private readonly int* _blockOffset;   // offset of the block whose bit-reversed index is i
    private readonly int* _blockOffsetPermuted; // same, lanes in the bits-1-and-2-swapped order

    private readonly struct Stage(int length, int radix, nint twiddles)
    {
        public int Length { get; } = length;
        public int Radix { get; } = radix;
        public float* Twiddles => (float*)twiddles;
    }

    /// <summary>Builds the plan for transforms of <paramref name="size"/> real samples.</summary>
    /// <param name="size">Number of real samples; a power of two from <see cref="MinSize"/> to <see cref="MaxSize"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">Size is not a power of two in [16, 65536].</exception>
    public FftPlan(int size) : this(size, allowSimd: true)
    {
    }

    /// <summary>Builds the plan; <paramref name="allowSimd"/> = false forces the scalar kernels (for tests).</summary>
    internal FftPlan(int size, bool allowSimd)
    {
        if (size < MinSize || size > MaxSize || !BitOperations.IsPow2(size))
        {
            throw new ArgumentOutOfRangeException(nameof(size), size,
                $"FFT size must be a power of two from {MinSize} to {MaxSize}.");
        }

        Size = size;
        int m = size / 2;
        _m = m;
        _groups = m / Lanes;
        _simd = allowSimd && IsSimdSupported && _groups >= Lanes;

        int[] radices = StageRadices(BitOperations.Log2((uint)m) - 3);
        int twiddleFloats = 0;
        int length = m;
        foreach (int radix in radices)
        {
            twiddleFloats += Pad((radix - 1) * 2 * (length / radix));
            length /= radix;
        }

        const int AlignFloats = 16;
        _floatStorage = GC.AllocateArray<float>(6 * Pad(m + 1) + twiddleFloats + AlignFloats, pinned: true);
        float* cursor = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_floatStorage));
        cursor += (AlignFloats - (int)((nint)cursor / sizeof(float) % AlignFloats)) % AlignFloats;
        _re = Take(ref cursor, m);
        _im = Take(ref cursor, m);
        _zRe = Take(ref cursor, m + 1);
        _zIm = Take(ref cursor, m + 1);
        _unpackCos = Take(ref cursor, m);
        _unpackSin = Take(ref cursor, m);
        for (int k = 0; k < m; k++)
        {
            double a = 2.0 * Math.PI * k / size;
            _unpackCos[k] = (float)(0.5 * Math.Cos(a));
            _unpackSin[k] = (float)(-0.5 * Math.Sin(a));
        }

        _stages = new Stage[radices.Length];
        length = m;
        for (int s = 0; s < radices.Length; s++)
        {
            int radix = radices[s], span = length / radix;
            float* tw = Take(ref cursor, (radix - 1) * 2 * span);
            // Row r (1..radix−1) holds W^(r·j) as cos then sin, W = e^(−2πi/length), with j in the
            // work arrays' permuted order.
            for (int r = 1; r < radix; r++)
            {
                for (int j = 0; j < span; j++)
                {
                    double a = -2.0 * Math.PI * r * Permuted(j) / length;
                    tw[(2 * r - 2) * span + j] = (float)Math.Cos(a);
                    tw[(2 * r - 1) * span + j] = (float)Math.Sin(a);
                }
            }

            _stages[s] = new Stage(length, radix, (nint)tw);
            length /= radix;
        }

        _intStorage = GC.AllocateArray<int>(2 * _groups, pinned: true);
        _blockOffset = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_intStorage));
        _blockOffsetPermuted = _blockOffset + _groups;
        int groupBits = BitOperations.Log2((uint)_groups);
        for (int i = 0; i < _groups; i++)
        {
            int reversed = groupBits == 0 ? 0 : (int)(ReverseBits((uint)i) >> (32 - groupBits));
            _blockOffset[i] = reversed * Lanes;
        }

        for (int i = 0; i < _groups; i++)
        {
            _blockOffsetPermuted[i] = _groups >= Lanes ? _blockOffset[Permuted(i)] : _blockOffset[i];
        }
    }

    /// <summary>Number of real samples per transform.</summary>
    public int Size { get; }

    /// <summary>Number of spectrum bins, N/2 + 1.</summary>
    public int BinCount => _m + 1;

    /// <summary>True when this plan runs the Vector256 (AVX2 + FMA) kernels.</summary>
    internal bool UsesSimd => _simd;

    /// <summary>True when the hardware has the AVX2 and FMA instructions the vector kernels use.</summary>
    internal static bool IsSimdSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Forward transform of <see cref="Size"/> real samples into N + 2 interleaved floats.</summary>
    /// <param name="input">At least <see cref="Size"/> samples; only the first <see cref="Size"/> are read.</param>
    /// <param name="spectrum">At least N + 2 floats: (re, im) of bins 0..N/2.</param>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public void Forward(ReadOnlySpan<float> input, Span<float> spectrum)
    {
        if (input.Length < Size) throw new ArgumentException($"Input needs {Size} samples.", nameof(input));
        if (spectrum.Length < Size + 2) throw new ArgumentException($"Spectrum needs {Size + 2} floats.", nameof(spectrum));

        fixed (float* x = input)
        fixed (float* spec = spectrum)
        {
            if (_simd)
            {
                RunStagesSimd(x);
                LastPassSimd(null);
                UnpackSimd(spec);
            }
            else
            {
                for (int i = 0; i < _m; i++)
                {
                    _re[Permuted(i)] = x[2 * i];
                    _im[Permuted(i)] = x[2 * i + 1];
                }

                RunStagesScalar();
                LastPassScalar(null);
                for (int k = 1; k < _m; k++) UnpackScalar(spec, k);
            }

            // Z[0] = Σ even + i·Σ odd gives DC and Nyquist directly.
            float z0r = _zRe[0], z0i = _zIm[0];
            spec[0] = z0r + z0i;
            spec[1] = 0f;
            spec[2 * _m] = z0r - z0i;
            spec[2 * _m + 1] = 0f;
        }
    }

    /// <summary>Inverse transform of N + 2 interleaved floats into <see cref="Size"/> real samples, scaled by 1/N.</summary>
    /// <param name="spectrum">At least N + 2 floats: (re, im) of bins 0..N/2; imaginary parts of bins 0 and N/2 are ignored.</param>
    /// <param name="output">At least <see cref="Size"/> floats; the first <see cref="Size"/> are written.</param>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public void Inverse(ReadOnlySpan<float> spectrum, Span<float> output)
    {
        if (spectrum.Length < Size + 2) throw new ArgumentException($"Spectrum needs {Size + 2} floats.", nameof(spectrum));
        if (output.Length < Size) throw new ArgumentException($"Output needs {Size} samples.", nameof(output));

        fixed (float* spec = spectrum)
        fixed (float* x = output)
        {
            if (_simd) PrepareInverseSimd(spec);
            else for (int k = 1; k < _m; k++) PrepareInverseScalar(spec, k);

            // Bin 0 pairs with the Nyquist bin; both are real by definition (point 0 is stored at 0).
            float scale = 1f / Size;
            _re[0] = scale * (spec[0] + spec[2 * _m]);
            _im[0] = -scale * (spec[0] - spec[2 * _m]);

            if (_simd)
            {
                RunStagesSimd(null);
                LastPassSimd(x);
            }
            else
            {
                RunStagesScalar();
                LastPassScalar(x);
            }
        }
    }

    // ---------------------------------------------------------------- vector kernels (AVX2 + FMA)

    private void RunStagesSimd(float* interleavedInput)
    {
        for (int s = 0; s < _stages.Length; s++)
        {
            // Only the first stage reads the caller's interleaved samples; later stages work in place.
            float* source = s == 0 ? interleavedInput : null;
            if (_stages[s].Radix == 8) Radix8StageSimd(_stages[s], source);
            else Radix4StageSimd(_stages[s], source);
        }
    }

    private void Radix4StageSimd(Stage stage, float* source)
    {
        float* re = _re, im = _im, tw = stage.Twiddles;
        int q = stage.Length / 4;
        for (int g = 0; g < _m; g += stage.Length)
        {
            for (int j = 0; j < q; j += Lanes)
            {
                int p0 = g + j, p1 = p0 + q, p2 = p1 + q, p3 = p2 + q;
                LoadPoints(source, re, im, p0, out V ar, out V ai);
                LoadPoints(source, re, im, p1, out V br, out V bi);
                LoadPoints(source, re, im, p2, out V cr, out V ci);
                LoadPoints(source, re, im, p3, out V dr, out V di);

                V t0r = ar + cr, t0i = ai + ci, t1r = ar - cr, t1i = ai - ci;
                V t2r = br + dr, t2i = bi + di, t3r = br - dr, t3i = bi - di;
                Vector256.Store(t0r + t2r, re + p0);
                Vector256.Store(t0i + t2i, im + p0);
                // Residue r goes to quarter bitreverse(r), so the stages together leave the standard
                // bit-reversed order the last pass expects.
                float* w = tw + j;
                StoreRotated(re + p1, im + p1, t0r - t2r, t0i - t2i, w + 2 * q, w + 3 * q);
                StoreRotated(re + p2, im + p2, t1r + t3i, t1i - t3r, w, w + q);
                StoreRotated(re + p3, im + p3, t1r - t3i, t1i + t3r, w + 4 * q, w + 5 * q);
            }
        }
    }

    private void Radix8StageSimd(Stage stage, float* source)
    {
        float* re = _re, im = _im, tw = stage.Twiddles;
        int e = stage.Length / 8;
        for (int g = 0; g < _m; g += stage.Length)
        {
            for (int j = 0; j < e; j += Lanes)
            {
                int p = g + j;
                LoadPoints(source, re, im, p, out V a0r, out V a0i);
                LoadPoints(source, re, im, p + e, out V a1r, out V a1i);
                LoadPoints(source, re, im, p + 2 * e, out V a2r, out V a2i);
                LoadPoints(source, re, im, p + 3 * e, out V a3r, out V a3i);
                LoadPoints(source, re, im, p + 4 * e, out V a4r, out V a4i);
                LoadPoints(source, re, im, p + 5 * e, out V a5r, out V a5i);
                LoadPoints(source, re, im, p + 6 * e, out V a6r, out V a6i);
                LoadPoints(source, re, im, p + 7 * e, out V a7r, out V a7i);
                Dft8(a0r, a0i, a1r, a1i, a2r, a2i, a3r, a3i, a4r, a4i, a5r, a5i, a6r, a6i, a7r, a7i,
                    out V y0r, out V y0i, out V y1r, out V y1i, out V y2r, out V y2i, out V y3r, out V y3i,
                    out V y4r, out V y4i, out V y5r, out V y5i, out V y6r, out V y6i, out V y7r, out V y7i);

                // Residue r goes to eighth bitreverse(r) with twiddle row r.
                float* w = tw + j;
                Vector256.Store(y0r, re + p);
                Vector256.Store(y0i, im + p);
                StoreRotated(re + p + 4 * e, im + p + 4 * e, y1r, y1i, w, w + e);
                StoreRotated(re + p + 2 * e, im + p + 2 * e, y2r, y2i, w + 2 * e, w + 3 * e);
                StoreRotated(re + p + 6 * e, im + p + 6 * e, y3r, y3i, w + 4 * e, w + 5 * e);
                StoreRotated(re + p + e, im + p + e, y4r, y4i, w + 6 * e, w + 7 * e);
                StoreRotated(re + p + 5 * e, im + p + 5 * e, y5r, y5i, w + 8 * e, w + 9 * e);
                StoreRotated(re + p + 3 * e, im + p + 3 * e, y6r, y6i, w + 10 * e, w + 11 * e);
                StoreRotated(re + p + 7 * e, im + p + 7 * e, y7r, y7i, w + 12 * e, w + 13 * e);
            }
        }
    }

    /// <summary>
    /// The last 3 radix-2 levels: an 8-point DFT of every block. Lane l of batch c holds block
    /// bitreverse(c + l), whose outputs belong at k·M/8 + c + l, so the stores are contiguous and in
    /// natural order. Forward writes Z split; inverse (<paramref name="interleavedOutput"/> set) writes
    /// conj(Z) interleaved, which is the time signal; it takes the lanes in the permuted order so that
    /// one unpack per half makes the interleaved layout.
    /// </summary>
    private void LastPassSimd(float* interleavedOutput)
    {
        int stride = _groups;
        int* blocks = interleavedOutput == null ? _blockOffset : _blockOffsetPermuted;
        for (int c = 0; c < _groups; c += Lanes)
        {
            // Stored element e of a block is point (e with bits 1 and 2 swapped), hence the order.
            LoadTransposed(_re, blocks + c, out V a0r, out V a1r, out V a4r, out V a5r,
                out V a2r, out V a3r, out V a6r, out V a7r);
            LoadTransposed(_im, blocks + c, out V a0i, out V a1i, out V a4i, out V a5i,
                out V a2i, out V a3i, out V a6i, out V a7i);
            Dft8(a0r, a0i, a1r, a1i, a2r, a2i, a3r, a3i, a4r, a4i, a5r, a5i, a6r, a6i, a7r, a7i,
                out V y0r, out V y0i, out V y1r, out V y1i, out V y2r, out V y2i, out V y3r, out V y3i,
                out V y4r, out V y4i, out V y5r, out V y5i, out V y6r, out V y6i, out V y7r, out V y7i);
            if (interleavedOutput == null)
            {
                StoreSplit(c, y0r, y0i);
                StoreSplit(c + stride, y1r, y1i);
                StoreSplit(c + 2 * stride, y2r, y2i);
                StoreSplit(c + 3 * stride, y3r, y3i);
                StoreSplit(c + 4 * stride, y4r, y4i);
                StoreSplit(c + 5 * stride, y5r, y5i);
                StoreSplit(c + 6 * stride, y6r, y6i);
                StoreSplit(c + 7 * stride, y7r, y7i);
            }
            else
            {
                StoreInterleavedFromPermuted(interleavedOutput + 2 * c, y0r, -y0i);
                StoreInterleavedFromPermuted(interleavedOutput + 2 * (c + stride), y1r, -y1i);
                StoreInterleavedFromPermuted(interleavedOutput + 2 * (c + 2 * stride), y2r, -y2i);
                StoreInterleavedFromPermuted(interleavedOutput + 2 * (c + 3 * stride), y3r, -y3i);
                StoreInterleavedFromPermuted(interleavedOutput + 2 * (c + 4 * stride), y4r, -y4i);
                StoreInterleavedFromPermuted(interleavedOutput + 2 * (c + 5 * stride), y5r, -y5i);
                StoreInterleavedFromPermuted(interleavedOutput + 2 * (c + 6 * stride), y6r, -y6i);
                StoreInterleavedFromPermuted(interleavedOutput + 2 * (c + 7 * stride), y7r, -y7i);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StoreSplit(int index, V re, V im)
    {
        Vector256.Store(re, _zRe + index);
        Vector256.Store(im, _zIm + index);
    }

    /// <summary>Unpacks Z into bins 0..M−1 (bin 0 is overwritten by the caller) in aligned blocks of 8.</summary>
    private void UnpackSimd(float* spectrum)
    {
        float* zr = _zRe, zi = _zIm, cos = _unpackCos, sin = _unpackSin;
        zr[_m] = zr[0]; // Z is M-periodic; this lets block 0 read its mirror Z[M−k] without a branch
        zi[_m] = zi[0];
        var reverse = Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0);
        var half = Vector256.Create(0.5f);
        for (int k = 0; k < _m; k += Lanes)
        {
            int mirror = _m - k - (Lanes - 1); // Z[M−k] for the 8 bins, in reverse order
            V ar = Vector256.Load(zr + k), ai = Vector256.Load(zi + k);
            V br = Avx2.PermuteVar8x32(Vector256.Load(zr + mirror), reverse);
            V bi = Avx2.PermuteVar8x32(Vector256.Load(zi + mirror), reverse);
            V sum = ar + br, diff = ar - br, dIm = ai - bi, sIm = ai + bi;
            V c = Vector256.Load(cos + k), s = Vector256.Load(sin + k);
            V xr = Fma.MultiplyAdd(c, sIm, Fma.MultiplyAdd(s, diff, half * sum));
            V xi = Fma.MultiplyAdd(s, sIm, Fma.MultiplyAddNegated(c, diff, half * dIm));
            StoreInterleavedFromNatural(spectrum + 2 * k, xr, xi);
        }
    }

    /// <summary>Writes conj(Z)/M for points 0..M−1 (point 0 is overwritten by the caller) in the permuted order.</summary>
    private void PrepareInverseSimd(float* spectrum)
    {
        var reverse = Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0);
        var permute = Vector256.Create(0, 1, 4, 5, 2, 3, 6, 7);
        var g = Vector256.Create(1f / _m);
        var f = Vector256.Create(0.5f / _m);
        for (int k = 0; k < _m; k += Lanes)
        {
            // Both loads give lanes in the permuted order; reversing the mirror keeps lane pairs matched.
            LoadInterleavedPermuted(spectrum, k, out V xr, out V xi);
            LoadInterleavedPermuted(spectrum, _m - k - (Lanes - 1), out V yr, out V yi);
            yr = Avx2.PermuteVar8x32(yr, reverse);
            yi = Avx2.PermuteVar8x32(yi, reverse);
            V c = Avx2.PermuteVar8x32(Vector256.Load(_unpackCos + k), permute);
            V s = Avx2.PermuteVar8x32(Vector256.Load(_unpackSin + k), permute);
            V sum = xr + yr, diff = (xr - yr) * g, dIm = xi - yi, sIm = (xi + yi) * g;
            Vector256.Store(Fma.MultiplyAddNegated(c, sIm, Fma.MultiplyAdd(s, diff, f * sum)), _re + k);
            Vector256.Store(Fma.MultiplyAddNegated(s, sIm, Fma.MultiplyAddNegated(c, diff, -f * dIm)), _im + k);
        }
    }

    /// <summary>Loads 8 points at stored position p from the split arrays, or from interleaved <paramref name="source"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadPoints(float* source, float* re, float* im, int p, out V pr, out V pi)
    {
        if (source != null)
        {
            LoadInterleavedPermuted(source, p, out pr, out pi);
        }
        else
        {
            pr = Vector256.Load(re + p);
            pi = Vector256.Load(im + p);
        }
    }

    /// <summary>Splits 16 interleaved floats (points p..p+7) into re and im with lanes in the permuted order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadInterleavedPermuted(float* source, int p, out V re, out V im)
    {
        V a = Vector256.Load(source + 2 * p);       // points 0,1 | 2,3
        V b = Vector256.Load(source + 2 * p + 8);   // points 4,5 | 6,7
        re = Avx.Shuffle(a, b, 0b10_00_10_00); // points 0,1,4,5 | 2,3,6,7
        im = Avx.Shuffle(a, b, 0b11_01_11_01);
    }

    /// <summary>Stores re/im vectors whose lanes are in the permuted order as 8 interleaved points.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreInterleavedFromPermuted(float* destination, V re, V im)
    {
        Vector256.Store(Avx.UnpackLow(re, im), destination);      // points 0,1 | 2,3
        Vector256.Store(Avx.UnpackHigh(re, im), destination + 8); // points 4,5 | 6,7
    }

    /// <summary>Stores re/im vectors in natural lane order as 8 interleaved points.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreInterleavedFromNatural(float* destination, V re, V im)
    {
        V lo = Avx.UnpackLow(re, im);   // points 0,1 | 4,5
        V hi = Avx.UnpackHigh(re, im);  // points 2,3 | 6,7
        Vector128.Store(lo.GetLower(), destination);
        Vector128.Store(hi.GetLower(), destination + 4);
        Vector128.Store(lo.GetUpper(), destination + 8);
        Vector128.Store(hi.GetUpper(), destination + 12);
    }

    /// <summary>Stores (xr + i·xi)·(wr + i·wi) with the twiddles loaded from the stage table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRotated(float* re, float* im, V xr, V xi, float* wr, float* wi)
    {
        V c = Vector256.Load(wr), s = Vector256.Load(wi);
        Vector256.Store(Fma.MultiplySubtract(xr, c, xi * s), re);
        Vector256.Store(Fma.MultiplyAdd(xr, s, xi * c), im);
    }

    /// <summary>
    /// Loads 8 blocks of 8 floats (block offsets from <paramref name="rows"/>) and returns them transposed:
    /// vector e holds stored element e of each block, one block per lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadTransposed(float* data, int* rows,
        out V c0, out V c1, out V c2, out V c3, out V c4, out V c5, out V c6, out V c7)
    {
        float* r0 = data + rows[0], r1 = data + rows[1], r2 = data + rows[2], r3 = data + rows[3];
        float* r4 = data + rows[4], r5 = data + rows[5], r6 = data + rows[6], r7 = data + rows[7];
        // Half-row loads pair block i (low lane) with block i+4 (high lane), so only in-lane 4×4
        // transposes are needed afterwards.
        Transpose4InLanes(
            Vector256.Create(Vector128.Load(r0), Vector128.Load(r4)),
            Vector256.Create(Vector128.Load(r1), Vector128.Load(r5)),
            Vector256.Create(Vector128.Load(r2), Vector128.Load(r6)),
            Vector256.Create(Vector128.Load(r3), Vector128.Load(r7)),
            out c0, out c1, out c2, out c3);
        Transpose4InLanes(
            Vector256.Create(Vector128.Load(r0 + 4), Vector128.Load(r4 + 4)),
            Vector256.Create(Vector128.Load(r1 + 4), Vector128.Load(r5 + 4)),
            Vector256.Create(Vector128.Load(r2 + 4), Vector128.Load(r6 + 4)),
            Vector256.Create(Vector128.Load(r3 + 4), Vector128.Load(r7 + 4)),
            out c4, out c5, out c6, out c7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4InLanes(V a0, V a1, V a2, V a3, out V c0, out V c1, out V c2, out V c3)
    {
        V t0 = Avx.UnpackLow(a0, a1), t1 = Avx.UnpackHigh(a0, a1);
        V t2 = Avx.UnpackLow(a2, a3), t3 = Avx.UnpackHigh(a2, a3);
        c0 = Avx.Shuffle(t0, t2, 0b01_00_01_00);
        c1 = Avx.Shuffle(t0, t2, 0b11_10_11_10);
        c2 = Avx.Shuffle(t1, t3, 0b01_00_01_00);
        c3 = Avx.Shuffle(t1, t3, 0b11_10_11_10);
    }

    /// <summary>8-point DFT, natural order in and out, as one radix-2 split into two 4-point DFTs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dft8(
        V a0r, V a0i, V a1r, V a1i, V a2r, V a2i, V a3r, V a3i,
        V a4r, V a4i, V a5r, V a5i, V a6r, V a6i, V a7r, V a7i,
        out V y0r, out V y0i, out V y1r, out V y1i, out V y2r, out V y2i, out V y3r, out V y3i,
        out V y4r, out V y4i, out V y5r, out V y5i, out V y6r, out V y6i, out V y7r, out V y7i)
    {
        var h = Vector256.Create(Sqrt1_2);
        V b0r = a0r + a4r, b0i = a0i + a4i, b4r = a0r - a4r, b4i = a0i - a4i;
        V b1r = a1r + a5r, b1i = a1i + a5i, e1r = a1r - a5r, e1i = a1i - a5i;
        V b2r = a2r + a6r, b2i = a2i + a6i, b6r = a2i - a6i, b6i = a6r - a2r;   // ·(−i)
        V b3r = a3r + a7r, b3i = a3i + a7i, e3r = a3r - a7r, e3i = a3i - a7i;
        V b5r = (e1r + e1i) * h, b5i = (e1i - e1r) * h;                         // ·W8
        V b7r = (e3i - e3r) * h, b7i = -(e3r + e3i) * h;                        // ·W8³

        // 4-point DFTs of (b0..b3) → even bins and (b4..b7) → odd bins.
        V pr = b0r + b2r, pi = b0i + b2i, qr = b0r - b2r, qi = b0i - b2i;
        V rr = b1r + b3r, ri = b1i + b3i, sr = b1r - b3r, si = b1i - b3i;
        y0r = pr + rr; y0i = pi + ri;
        y2r = qr + si; y2i = qi - sr;
        y4r = pr - rr; y4i = pi - ri;
        y6r = qr - si; y6i = qi + sr;

        pr = b4r + b6r; pi = b4i + b6i; qr = b4r - b6r; qi = b4i - b6i;
        rr = b5r + b7r; ri = b5i + b7i; sr = b5r - b7r; si = b5i - b7i;
        y1r = pr + rr; y1i = pi + ri;
        y3r = qr + si; y3i = qi - sr;
        y5r = pr - rr; y5i = pi - ri;
        y7r = qr - si; y7i = qi + sr;
    }

    // ---------------------------------------------------------------- scalar kernels (same passes)

    private void RunStagesScalar()
    {
        foreach (Stage stage in _stages)
        {
            switch (stage.Radix)
            {
                case 2: Radix2StageScalar(stage); break;
                case 4: Radix4StageScalar(stage); break;
                default: Radix8StageScalar(stage); break;
            }
        }
    }

    private void Radix2StageScalar(Stage stage)
    {
        float* re = _re, im = _im, tw = stage.Twiddles;
        int half = stage.Length / 2;
        for (int g = 0; g < _m; g += stage.Length)
        {
            for (int j = 0; j < half; j++)
            {
                int p0 = g + j, p1 = p0 + half;
                float ar = re[p0], ai = im[p0], br = re[p1], bi = im[p1];
                re[p0] = ar + br;
                im[p0] = ai + bi;
                StoreRotated(re + p1, im + p1, ar - br, ai - bi, tw[j], tw[half + j]);
            }
        }
    }

    private void Radix4StageScalar(Stage stage)
    {
        float* re = _re, im = _im, tw = stage.Twiddles;
        int q = stage.Length / 4;
        for (int g = 0; g < _m; g += stage.Length)
        {
            for (int j = 0; j < q; j++)
            {
                int p0 = g + j, p1 = p0 + q, p2 = p1 + q, p3 = p2 + q;
                float ar = re[p0], ai = im[p0], br = re[p1], bi = im[p1];
                float cr = re[p2], ci = im[p2], dr = re[p3], di = im[p3];
                float t0r = ar + cr, t0i = ai + ci, t1r = ar - cr, t1i = ai - ci;
                float t2r = br + dr, t2i = bi + di, t3r = br - dr, t3i = bi - di;
                re[p0] = t0r + t2r;
                im[p0] = t0i + t2i;
                StoreRotated(re + p1, im + p1, t0r - t2r, t0i - t2i, tw[2 * q + j], tw[3 * q + j]);
                StoreRotated(re + p2, im + p2, t1r + t3i, t1i - t3r, tw[j], tw[q + j]);
                StoreRotated(re + p3, im + p3, t1r - t3i, t1i + t3r, tw[4 * q + j], tw[5 * q + j]);
            }
        }
    }

    private void Radix8StageScalar(Stage stage)
    {
        float* re = _re, im = _im, tw = stage.Twiddles;
        int e = stage.Length / 8;
        for (int g = 0; g < _m; g += stage.Length)
        {
            for (int j = 0; j < e; j++)
            {
                int p = g + j;
                Dft8(re[p], im[p], re[p + e], im[p + e], re[p + 2 * e], im[p + 2 * e], re[p + 3 * e], im[p + 3 * e],
                    re[p + 4 * e], im[p + 4 * e], re[p + 5 * e], im[p + 5 * e], re[p + 6 * e], im[p + 6 * e], re[p + 7 * e], im[p + 7 * e],
                    out float y0r, out float y0i, out float y1r, out float y1i, out float y2r, out float y2i, out float y3r, out float y3i,
                    out float y4r, out float y4i, out float y5r, out float y5i, out float y6r, out float y6i, out float y7r, out float y7i);
                re[p] = y0r;
                im[p] = y0i;
                StoreRotated(re + p + 4 * e, im + p + 4 * e, y1r, y1i, tw[j], tw[e + j]);
                StoreRotated(re + p + 2 * e, im + p + 2 * e, y2r, y2i, tw[2 * e + j], tw[3 * e + j]);
                StoreRotated(re + p + 6 * e, im + p + 6 * e, y3r, y3i, tw[4 * e + j], tw[5 * e + j]);
                StoreRotated(re + p + e, im + p + e, y4r, y4i, tw[6 * e + j], tw[7 * e + j]);
                StoreRotated(re + p + 5 * e, im + p + 5 * e, y5r, y5i, tw[8 * e + j], tw[9 * e + j]);
                StoreRotated(re + p + 3 * e, im + p + 3 * e, y6r, y6i, tw[10 * e + j], tw[11 * e + j]);
                StoreRotated(re + p + 7 * e, im + p + 7 * e, y7r, y7i, tw[12 * e + j], tw[13 * e + j]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRotated(float* re, float* im, float xr, float xi, float c, float s)
    {
        *re = xr * c - xi * s;
        *im = xr * s + xi * c;
    }

    private void LastPassScalar(float* interleavedOutput)
    {
        int stride = _groups;
        for (int i = 0; i < _groups; i++)
        {
            float* r = _re + _blockOffset[i], m = _im + _blockOffset[i];
            // Stored element e holds point (e with bits 1 and 2 swapped).
            Dft8(r[0], m[0], r[1], m[1], r[4], m[4], r[5], m[5], r[2], m[2], r[3], m[3], r[6], m[6], r[7], m[7],
                out float y0r, out float y0i, out float y1r, out float y1i, out float y2r, out float y2i, out float y3r, out float y3i,
                out float y4r, out float y4i, out float y5r, out float y5i, out float y6r, out float y6i, out float y7r, out float y7i);
            StoreLastPass(interleavedOutput, i, y0r, y0i);
            StoreLastPass(interleavedOutput, i + stride, y1r, y1i);
            StoreLastPass(interleavedOutput, i + 2 * stride, y2r, y2i);
            StoreLastPass(interleavedOutput, i + 3 * stride, y3r, y3i);
            StoreLastPass(interleavedOutput, i + 4 * stride, y4r, y4i);
            StoreLastPass(interleavedOutput, i + 5 * stride, y5r, y5i);
            StoreLastPass(interleavedOutput, i + 6 * stride, y6r, y6i);
            StoreLastPass(interleavedOutput, i + 7 * stride, y7r, y7i);
        }
    }

    private void StoreLastPass(float* interleavedOutput, int index, float re, float im)
    {
        if (interleavedOutput == null)
        {
            _zRe[index] = re;
            _zIm[index] = im;
        }
        else
        {
            interleavedOutput[2 * index] = re;
            interleavedOutput[2 * index + 1] = -im;
        }
    }

    private void UnpackScalar(float* spectrum, int k)
    {
        int mirror = _m - k;
        float ar = _zRe[k], ai = _zIm[k], br = _zRe[mirror], bi = _zIm[mirror];
        float sum = ar + br, diff = ar - br, dIm = ai - bi, sIm = ai + bi;
        float c = _unpackCos[k], s = _unpackSin[k];
        spectrum[2 * k] = 0.5f * sum + s * diff + c * sIm;
        spectrum[2 * k + 1] = 0.5f * dIm - c * diff + s * sIm;
    }

    private void PrepareInverseScalar(float* spectrum, int k)
    {
        int mirror = _m - k;
        float g = 1f / _m, f = 0.5f / _m;
        float xr = spectrum[2 * k], xi = spectrum[2 * k + 1];
        float yr = spectrum[2 * mirror], yi = spectrum[2 * mirror + 1];
        float sum = xr + yr, diff = (xr - yr) * g, dIm = xi - yi, sIm = (xi + yi) * g;
        float c = _unpackCos[k], s = _unpackSin[k];
        _re[Permuted(k)] = f * sum + s * diff - c * sIm;
        _im[Permuted(k)] = -f * dIm - c * diff - s * sIm;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dft8(
        float a0r, float a0i, float a1r, float a1i, float a2r, float a2i, float a3r, float a3i,
        float a4r, float a4i, float a5r, float a5i, float a6r, float a6i, float a7r, float a7i,
        out float y0r, out float y0i, out float y1r, out float y1i, out float y2r, out float y2i, out float y3r, out float y3i,
        out float y4r, out float y4i, out float y5r, out float y5i, out float y6r, out float y6i, out float y7r, out float y7i)
    {
        float b0r = a0r + a4r, b0i = a0i + a4i, b4r = a0r - a4r, b4i = a0i - a4i;
        float b1r = a1r + a5r, b1i = a1i + a5i, e1r = a1r - a5r, e1i = a1i - a5i;
        float b2r = a2r + a6r, b2i = a2i + a6i, b6r = a2i - a6i, b6i = a6r - a2r;
        float b3r = a3r + a7r, b3i = a3i + a7i, e3r = a3r - a7r, e3i = a3i - a7i;
        float b5r = (e1r + e1i) * Sqrt1_2, b5i = (e1i - e1r) * Sqrt1_2;
        float b7r = (e3i - e3r) * Sqrt1_2, b7i = -(e3r + e3i) * Sqrt1_2;

        float pr = b0r + b2r, pi = b0i + b2i, qr = b0r - b2r, qi = b0i - b2i;
        float rr = b1r + b3r, ri = b1i + b3i, sr = b1r - b3r, si = b1i - b3i;
        y0r = pr + rr; y0i = pi + ri;
        y2r = qr + si; y2i = qi - sr;
        y4r = pr - rr; y4i = pi - ri;
        y6r = qr - si; y6i = qi + sr;

        pr = b4r + b6r; pi = b4i + b6i; qr = b4r - b6r; qi = b4i - b6i;
        rr = b5r + b7r; ri = b5i + b7i; sr = b5r - b7r; si = b5i - b7i;
        y1r = pr + rr; y1i = pi + ri;
        y3r = qr + si; y3i = qi - sr;
        y5r = pr - rr; y5i = pi - ri;
        y7r = qr - si; y7i = qi + sr;
    }

    // ---------------------------------------------------------------- plan helpers

    /// <summary>Radices for the levels above the 8-point blocks: radix-8 where possible, the rest first.</summary>
    private static int[] StageRadices(int bits)
    {
        if (bits <= 2) return bits switch { 0 => [], 1 => [2], _ => [4] };
        // 1 spare bit becomes two radix-4 stages in place of radix-2 + radix-8 (same pass count).
        int radix4 = (bits % 3) switch { 1 => 2, 2 => 1, _ => 0 };
        int radix8 = (bits - 2 * radix4) / 3;
        var radices = new int[radix4 + radix8];
        for (int i = 0; i < radices.Length; i++) radices[i] = i < radix4 ? 4 : 8;
        return radices;
    }

    /// <summary>Storage position of point n: bits 1 and 2 swapped (an involution).</summary>
    private static int Permuted(int n) => (n & ~6) | ((n & 2) << 1) | ((n & 4) >> 1);

    private static float* Take(ref float* cursor, int count)
    {
        float* start = cursor;
        cursor += Pad(count);
        return start;
    }

    private static int Pad(int count) => (count + 15) & ~15;

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }
}
