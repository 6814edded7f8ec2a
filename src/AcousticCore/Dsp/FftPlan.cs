using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
/// Their M-point complex FFT runs on separate real/imaginary arrays (split format, so 8 points fill a
/// Vector256): decimation-in-frequency radix-4 stages (one radix-2 stage first when log2 M is even)
/// work in place until independent blocks of 8 points remain, each with its own twiddle table laid out
/// contiguously. The last pass loads 8 such blocks, transposes them 8×8 in registers and does eight
/// 8-point DFTs side by side; choosing which blocks share a vector by bit-reversed index makes that pass
/// write the result in natural order, so no separate bit-reversal pass exists. The first stage reads
/// the interleaved input directly. A final pass unpacks Z into the N/2+1 real-signal bins,
/// X[k] = (Z[k] + conj Z[M−k])/2 − i·W^k·(Z[k] − conj Z[M−k])/2 with W = e^(−2πi/N).
/// Inverse runs the same passes backwards: it rebuilds conj(Z)/M, runs the forward complex FFT
/// (FFT(conj Z) = M·conj(IFFT Z)) and its last pass writes the interleaved output.
/// AVX2+FMA hardware uses Vector256 kernels; elsewhere (and for N below 128) the same passes run in
/// scalar code, which agrees with the vector path to float rounding.</para>
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
    private readonly float* _re;     // in-place work array of the stages (real parts)
    private readonly float* _im;
    private readonly float* _zRe;    // natural-order Z written by the last pass (forward only)
    private readonly float* _zIm;
    private readonly float* _unpackCos;  // 0.5·cos(2πk/N), k < M
    private readonly float* _unpackSin;  // −0.5·sin(2πk/N), k < M
    private readonly int* _blockOffset;  // float offset of the block whose bit-reversed index is i

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

        // Stage lengths: radix-4 down to blocks of 8, with one radix-2 stage first when the count of
        // bits above the 8-point blocks is odd.
        int stageBits = BitOperations.Log2((uint)m) - 3;
        int stageCount = stageBits / 2 + stageBits % 2;
        var lengths = new int[stageCount];
        var radices = new int[stageCount];
        int twiddleFloats = 0;
        int length = m;
        for (int s = 0; s < stageCount; s++)
        {
            radices[s] = s == 0 && stageBits % 2 == 1 ? 2 : 4;
            lengths[s] = length;
            twiddleFloats += Pad(radices[s] == 2 ? length : length / 4 * 6);
            length /= radices[s];
        }

        const int AlignFloats = 16;
        _floatStorage = GC.AllocateArray<float>(6 * Pad(m) + twiddleFloats + AlignFloats, pinned: true);
        float* cursor = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_floatStorage));
        cursor += (AlignFloats - (int)((nint)cursor / sizeof(float) % AlignFloats)) % AlignFloats;
        _re = Take(ref cursor, m);
        _im = Take(ref cursor, m);
        _zRe = Take(ref cursor, m);
        _zIm = Take(ref cursor, m);
        _unpackCos = Take(ref cursor, m);
        _unpackSin = Take(ref cursor, m);
        for (int k = 0; k < m; k++)
        {
            double a = 2.0 * Math.PI * k / size;
            _unpackCos[k] = (float)(0.5 * Math.Cos(a));
            _unpackSin[k] = (float)(-0.5 * Math.Sin(a));
        }

        _stages = new Stage[stageCount];
        for (int s = 0; s < stageCount; s++)
        {
            int len = lengths[s];
            int span = len / radices[s];
            float* tw = Take(ref cursor, radices[s] == 2 ? len : span * 6);
            // Radix-2 rows: W^j (re, im); radix-4 rows: W^j, W^2j, W^3j (re, im each); W = e^(−2πi/len).
            int rows = radices[s] == 2 ? 1 : 3;
            for (int r = 1; r <= rows; r++)
            {
                for (int j = 0; j < span; j++)
                {
                    double a = -2.0 * Math.PI * r * j / len;
                    tw[(2 * r - 2) * span + j] = (float)Math.Cos(a);
                    tw[(2 * r - 1) * span + j] = (float)Math.Sin(a);
                }
            }

            _stages[s] = new Stage(len, radices[s], (nint)tw);
        }

        _intStorage = GC.AllocateArray<int>(_groups, pinned: true);
        _blockOffset = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_intStorage));
        int groupBits = BitOperations.Log2((uint)_groups);
        for (int i = 0; i < _groups; i++)
        {
            int reversed = groupBits == 0 ? 0 : (int)(ReverseBits((uint)i) >> (32 - groupBits));
            _blockOffset[i] = reversed * Lanes;
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
            int k;
            if (_simd)
            {
                RunStagesSimd(x);
                LastPassSimd(null);
                k = UnpackSimd(spec);
            }
            else
            {
                for (int i = 0; i < _m; i++)
                {
                    _re[i] = x[2 * i];
                    _im[i] = x[2 * i + 1];
                }

                RunStagesScalar();
                LastPassScalar(null);
                k = 1;
            }

            for (; k < _m; k++)
            {
                UnpackScalar(spec, k);
            }

            // Z[0] = Σ even + i Σ odd gives DC and Nyquist directly.
            spec[0] = _zRe[0] + _zIm[0];
            spec[1] = 0f;
            spec[2 * _m] = _zRe[0] - _zIm[0];
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
            // Bin 0 pairs with the Nyquist bin; both are real by definition.
            float scale = 1f / Size;
            _re[0] = scale * (spec[0] + spec[2 * _m]);
            _im[0] = -scale * (spec[0] - spec[2 * _m]);

            int k = _simd ? PrepareInverseSimd(spec) : 1;
            for (; k < _m; k++)
            {
                PrepareInverseScalar(spec, k);
            }

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
            if (_stages[s].Radix == 2) Radix2StageSimd(_stages[s], source);
            else Radix4StageSimd(_stages[s], source);
        }
    }

    private void Radix2StageSimd(Stage stage, float* source)
    {
        float* re = _re, im = _im, tw = stage.Twiddles;
        int half = stage.Length / 2;
        for (int g = 0; g < _m; g += stage.Length)
        {
            for (int j = 0; j < half; j += Lanes)
            {
                int p0 = g + j, p1 = p0 + half;
                Vector256<float> ar, ai, br, bi;
                if (source != null)
                {
                    LoadInterleaved(source, p0, out ar, out ai);
                    LoadInterleaved(source, p1, out br, out bi);
                }
                else
                {
                    ar = Vector256.Load(re + p0); ai = Vector256.Load(im + p0);
                    br = Vector256.Load(re + p1); bi = Vector256.Load(im + p1);
                }

                Vector256.Store(ar + br, re + p0);
                Vector256.Store(ai + bi, im + p0);
                StoreRotated(re + p1, im + p1, ar - br, ai - bi, tw + j, tw + half + j);
            }
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
                Vector256<float> ar, ai, br, bi, cr, ci, dr, di;
                if (source != null)
                {
                    LoadInterleaved(source, p0, out ar, out ai);
                    LoadInterleaved(source, p1, out br, out bi);
                    LoadInterleaved(source, p2, out cr, out ci);
                    LoadInterleaved(source, p3, out dr, out di);
                }
                else
                {
                    ar = Vector256.Load(re + p0); ai = Vector256.Load(im + p0);
                    br = Vector256.Load(re + p1); bi = Vector256.Load(im + p1);
                    cr = Vector256.Load(re + p2); ci = Vector256.Load(im + p2);
                    dr = Vector256.Load(re + p3); di = Vector256.Load(im + p3);
                }

                Vector256<float> t0r = ar + cr, t0i = ai + ci, t1r = ar - cr, t1i = ai - ci;
                Vector256<float> t2r = br + dr, t2i = bi + di, t3r = br - dr, t3i = bi - di;
                Vector256.Store(t0r + t2r, re + p0);
                Vector256.Store(t0i + t2i, im + p0);
                // Residue 2 goes to the second quarter and residue 1 to the third so that the stages
                // together leave the standard bit-reversed order the last pass expects.
                float* w = tw + j;
                StoreRotated(re + p1, im + p1, t0r - t2r, t0i - t2i, w + 2 * q, w + 3 * q);
                StoreRotated(re + p2, im + p2, t1r + t3i, t1i - t3r, w, w + q);
                StoreRotated(re + p3, im + p3, t1r - t3i, t1i + t3r, w + 4 * q, w + 5 * q);
            }
        }
    }

    /// <summary>Stores (xr + i·xi)·(wr + i·wi) with the twiddles loaded from the stage table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRotated(float* re, float* im, Vector256<float> xr, Vector256<float> xi, float* wr, float* wi)
    {
        Vector256<float> c = Vector256.Load(wr), s = Vector256.Load(wi);
        Vector256.Store(Fma.MultiplySubtract(xr, c, xi * s), re);
        Vector256.Store(Fma.MultiplyAdd(xr, s, xi * c), im);
    }

    /// <summary>Loads complex points p..p+7 from interleaved (re, im) floats into split vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadInterleaved(float* source, int p, out Vector256<float> re, out Vector256<float> im)
    {
        float* s = source + 2 * p;
        // Lane-split loads put points 0,1|4,5 and 2,3|6,7 side by side so one in-lane shuffle each separates re and im.
        Vector256<float> a = Vector256.Create(Vector128.Load(s), Vector128.Load(s + 8));
        Vector256<float> b = Vector256.Create(Vector128.Load(s + 4), Vector128.Load(s + 12));
        re = Avx.Shuffle(a, b, 0b10_00_10_00);
        im = Avx.Shuffle(a, b, 0b11_01_11_01);
    }

    /// <summary>Stores split vectors as 8 interleaved (re, im) points.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreInterleaved(float* destination, Vector256<float> re, Vector256<float> im)
    {
        Vector256<float> lo = Avx.UnpackLow(re, im);   // points 0,1 | 4,5
        Vector256<float> hi = Avx.UnpackHigh(re, im);  // points 2,3 | 6,7
        Vector128.Store(lo.GetLower(), destination);
        Vector128.Store(hi.GetLower(), destination + 4);
        Vector128.Store(lo.GetUpper(), destination + 8);
        Vector128.Store(hi.GetUpper(), destination + 12);
    }

    /// <summary>
    /// Loads 8 blocks of 8 floats (block offsets from <paramref name="rows"/>) and returns them transposed:
    /// vector e holds element e of each block, one block per lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadTransposed(float* data, int* rows,
        out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3,
        out Vector256<float> c4, out Vector256<float> c5, out Vector256<float> c6, out Vector256<float> c7)
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
    private static void Transpose4InLanes(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3)
    {
        Vector256<float> t0 = Avx.UnpackLow(a0, a1), t1 = Avx.UnpackHigh(a0, a1);
        Vector256<float> t2 = Avx.UnpackLow(a2, a3), t3 = Avx.UnpackHigh(a2, a3);
        c0 = Avx.Shuffle(t0, t2, 0b01_00_01_00);
        c1 = Avx.Shuffle(t0, t2, 0b11_10_11_10);
        c2 = Avx.Shuffle(t1, t3, 0b01_00_01_00);
        c3 = Avx.Shuffle(t1, t3, 0b11_10_11_10);
    }

    /// <summary>
    /// The last 3 radix-2 levels: an 8-point DFT of every block. Lane l of batch c holds block
    /// bitreverse(c + l), whose outputs belong at k·M/8 + c + l, so the stores are contiguous and in
    /// natural order. Forward writes Z split; inverse (<paramref name="interleavedOutput"/> set)
    /// writes conj of it interleaved, which is the time signal.
    /// </summary>
    private void LastPassSimd(float* interleavedOutput)
    {
        int stride = _groups;
        for (int c = 0; c < _groups; c += Lanes)
        {
            LoadTransposed(_re, _blockOffset + c, out var a0r, out var a1r, out var a2r, out var a3r,
                out var a4r, out var a5r, out var a6r, out var a7r);
            LoadTransposed(_im, _blockOffset + c, out var a0i, out var a1i, out var a2i, out var a3i,
                out var a4i, out var a5i, out var a6i, out var a7i);

            var h = Vector256.Create(Sqrt1_2);
            Vector256<float> b0r = a0r + a4r, b0i = a0i + a4i, b4r = a0r - a4r, b4i = a0i - a4i;
            Vector256<float> b1r = a1r + a5r, b1i = a1i + a5i, e1r = a1r - a5r, e1i = a1i - a5i;
            Vector256<float> b2r = a2r + a6r, b2i = a2i + a6i, b6r = a2i - a6i, b6i = a6r - a2r;
            Vector256<float> b3r = a3r + a7r, b3i = a3i + a7i, e3r = a3r - a7r, e3i = a3i - a7i;
            Vector256<float> b5r = (e1r + e1i) * h, b5i = (e1i - e1r) * h;     // ·W8
            Vector256<float> b7r = (e3i - e3r) * h, b7i = -(e3r + e3i) * h;    // ·W8³

            // 4-point DFTs of (b0..b3) → even bins and (b4..b7) → odd bins.
            Vector256<float> pr = b0r + b2r, pi = b0i + b2i, qr = b0r - b2r, qi = b0i - b2i;
            Vector256<float> rr = b1r + b3r, ri = b1i + b3i, sr = b1r - b3r, si = b1i - b3i;
            StoreLastPass(interleavedOutput, c, pr + rr, pi + ri);
            StoreLastPass(interleavedOutput, c + 2 * stride, qr + si, qi - sr);
            StoreLastPass(interleavedOutput, c + 4 * stride, pr - rr, pi - ri);
            StoreLastPass(interleavedOutput, c + 6 * stride, qr - si, qi + sr);

            pr = b4r + b6r; pi = b4i + b6i; qr = b4r - b6r; qi = b4i - b6i;
            rr = b5r + b7r; ri = b5i + b7i; sr = b5r - b7r; si = b5i - b7i;
            StoreLastPass(interleavedOutput, c + stride, pr + rr, pi + ri);
            StoreLastPass(interleavedOutput, c + 3 * stride, qr + si, qi - sr);
            StoreLastPass(interleavedOutput, c + 5 * stride, pr - rr, pi - ri);
            StoreLastPass(interleavedOutput, c + 7 * stride, qr - si, qi + sr);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StoreLastPass(float* interleavedOutput, int index, Vector256<float> re, Vector256<float> im)
    {
        if (interleavedOutput == null)
        {
            Vector256.Store(re, _zRe + index);
            Vector256.Store(im, _zIm + index);
        }
        else
        {
            StoreInterleaved(interleavedOutput + 2 * index, re, -im);
        }
    }

    /// <summary>Unpacks bins 1.. in blocks of 8; returns the first bin left for the scalar tail.</summary>
    private int UnpackSimd(float* spectrum)
    {
        float* zr = _zRe, zi = _zIm;
        var reverse = Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0);
        var half = Vector256.Create(0.5f);
        int k = 1;
        for (; k + Lanes <= _m; k += Lanes)
        {
            int mirror = _m - k - (Lanes - 1); // Z[M−k] for the 8 bins, in reverse order
            Vector256<float> ar = Vector256.Load(zr + k), ai = Vector256.Load(zi + k);
            Vector256<float> br = Avx2.PermuteVar8x32(Vector256.Load(zr + mirror), reverse);
            Vector256<float> bi = Avx2.PermuteVar8x32(Vector256.Load(zi + mirror), reverse);
            Vector256<float> sum = ar + br, diff = ar - br, dIm = ai - bi, sIm = ai + bi;
            Vector256<float> c = Vector256.Load(_unpackCos + k), s = Vector256.Load(_unpackSin + k);
            Vector256<float> xr = Fma.MultiplyAdd(c, sIm, Fma.MultiplyAdd(s, diff, half * sum));
            Vector256<float> xi = Fma.MultiplyAdd(s, sIm, Fma.MultiplyAddNegated(c, diff, half * dIm));
            StoreInterleaved(spectrum + 2 * k, xr, xi);
        }

        return k;
    }

    /// <summary>Writes conj(Z)/M for bins 1.. in blocks of 8; returns the first bin left for the scalar tail.</summary>
    private int PrepareInverseSimd(float* spectrum)
    {
        var reverse = Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0);
        var g = Vector256.Create(1f / _m);
        var f = Vector256.Create(0.5f / _m);
        int k = 1;
        for (; k + Lanes <= _m; k += Lanes)
        {
            LoadInterleaved(spectrum, k, out var xr, out var xi);
            LoadInterleaved(spectrum, _m - k - (Lanes - 1), out var yr, out var yi);
            yr = Avx2.PermuteVar8x32(yr, reverse);
            yi = Avx2.PermuteVar8x32(yi, reverse);
            Vector256<float> sum = xr + yr, diff = (xr - yr) * g, dIm = xi - yi, sIm = (xi + yi) * g;
            Vector256<float> c = Vector256.Load(_unpackCos + k), s = Vector256.Load(_unpackSin + k);
            Vector256.Store(Fma.MultiplyAddNegated(c, sIm, Fma.MultiplyAdd(s, diff, f * sum)), _re + k);
            Vector256.Store(Fma.MultiplyAddNegated(s, sIm, Fma.MultiplyAddNegated(c, diff, -f * dIm)), _im + k);
        }

        return k;
    }

    // ---------------------------------------------------------------- scalar kernels (same passes)

    private void RunStagesScalar()
    {
        foreach (Stage stage in _stages)
        {
            if (stage.Radix == 2) Radix2StageScalar(stage);
            else Radix4StageScalar(stage);
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
            float b0r = r[0] + r[4], b0i = m[0] + m[4], b4r = r[0] - r[4], b4i = m[0] - m[4];
            float b1r = r[1] + r[5], b1i = m[1] + m[5], e1r = r[1] - r[5], e1i = m[1] - m[5];
            float b2r = r[2] + r[6], b2i = m[2] + m[6], b6r = m[2] - m[6], b6i = r[6] - r[2];
            float b3r = r[3] + r[7], b3i = m[3] + m[7], e3r = r[3] - r[7], e3i = m[3] - m[7];
            float b5r = (e1r + e1i) * Sqrt1_2, b5i = (e1i - e1r) * Sqrt1_2;
            float b7r = (e3i - e3r) * Sqrt1_2, b7i = -(e3r + e3i) * Sqrt1_2;

            float pr = b0r + b2r, pi = b0i + b2i, qr = b0r - b2r, qi = b0i - b2i;
            float rr = b1r + b3r, ri = b1i + b3i, sr = b1r - b3r, si = b1i - b3i;
            StoreLastPass(interleavedOutput, i, pr + rr, pi + ri);
            StoreLastPass(interleavedOutput, i + 2 * stride, qr + si, qi - sr);
            StoreLastPass(interleavedOutput, i + 4 * stride, pr - rr, pi - ri);
            StoreLastPass(interleavedOutput, i + 6 * stride, qr - si, qi + sr);

            pr = b4r + b6r; pi = b4i + b6i; qr = b4r - b6r; qi = b4i - b6i;
            rr = b5r + b7r; ri = b5i + b7i; sr = b5r - b7r; si = b5i - b7i;
            StoreLastPass(interleavedOutput, i + stride, pr + rr, pi + ri);
            StoreLastPass(interleavedOutput, i + 3 * stride, qr + si, qi - sr);
            StoreLastPass(interleavedOutput, i + 5 * stride, pr - rr, pi - ri);
            StoreLastPass(interleavedOutput, i + 7 * stride, qr - si, qi + sr);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
        _re[k] = f * sum + s * diff - c * sIm;
        _im[k] = -f * dIm - c * diff - s * sIm;
    }

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
