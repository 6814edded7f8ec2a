using System.Numerics;

namespace AcousticCore.Dsp;

/// <summary>
/// A real-input FFT of one power-of-two size with all tables computed at construction.
/// </summary>
/// <remarks>
/// Forward is unnormalised, X[k] = Σ x[n]·e^(−2πi·kn/N), written as interleaved (re, im) pairs for
/// bins 0..N/2 (N + 2 floats). Inverse scales by 1/N so Inverse(Forward(x)) = x. No call allocates.
/// One instance keeps scratch state: use one plan per thread; separate plans run concurrently.
/// Algorithm: a complex FFT of size N/2 on the even/odd samples packed as re/im, then the
/// standard split step that unpacks the N/2+1 real-signal bins.
/// </remarks>
public sealed class FftPlan
{
    /// <summary>Smallest supported transform size.</summary>
    public const int MinSize = 16;
    /// <summary>Largest supported transform size.</summary>
    public const int MaxSize = 65_536;

    private readonly int _half;
    private readonly float[] _cos;      // twiddles for the half-size complex FFT
    private readonly float[] _sin;
    private readonly float[] _splitCos; // twiddles for the real split step
    private readonly float[] _splitSin;
    private readonly int[] _bitReverse;
    private readonly float[] _re;
    private readonly float[] _im;

    /// <summary>Builds the plan for transforms of <paramref name="size"/> real samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Size is not a power of two in [16, 65536].</exception>
    public FftPlan(int size)
    {
        if (size < MinSize || size > MaxSize || !BitOperations.IsPow2(size))
        {
            throw new ArgumentOutOfRangeException(nameof(size), size,
                $"FFT size must be a power of two from {MinSize} to {MaxSize}.");
        }

        Size = size;
        _half = size / 2;
        _cos = new float[_half / 2];
        _sin = new float[_half / 2];
        for (int i = 0; i < _half / 2; i++)
        {
            double a = -2.0 * Math.PI * i / _half;
            _cos[i] = (float)Math.Cos(a);
            _sin[i] = (float)Math.Sin(a);
        }

        _splitCos = new float[_half + 1];
        _splitSin = new float[_half + 1];
        for (int k = 0; k <= _half; k++)
        {
            double a = -2.0 * Math.PI * k / size;
            _splitCos[k] = (float)Math.Cos(a);
            _splitSin[k] = (float)Math.Sin(a);
        }

        _bitReverse = new int[_half];
        int bits = BitOperations.Log2((uint)_half);
        for (int i = 0; i < _half; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
            _bitReverse[i] = r;
        }

        _re = new float[_half];
        _im = new float[_half];
    }

    /// <summary>Number of real samples per transform.</summary>
    public int Size { get; }

    /// <summary>Number of spectrum bins, N/2 + 1.</summary>
    public int BinCount => _half + 1;

    /// <summary>Forward transform of <see cref="Size"/> real samples into N + 2 interleaved floats.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> spectrum)
    {
        if (input.Length < Size) throw new ArgumentException($"Input needs {Size} samples.", nameof(input));
        if (spectrum.Length < Size + 2) throw new ArgumentException($"Spectrum needs {Size + 2} floats.", nameof(spectrum));

        float[] re = _re, im = _im;
        int[] rev = _bitReverse;
        for (int i = 0; i < _half; i++)
        {
            int j = rev[i];
            re[j] = input[2 * i];
            im[j] = input[2 * i + 1];
        }

        ComplexInPlace(re, im, forward: true);

        // Split: Z = FFT(even + i·odd); X[k] = (Z[k] + conj Z[N/2−k])/2 + W^k (Z[k] − conj Z[N/2−k])/(2i)
        for (int k = 0; k <= _half; k++)
        {
            int k1 = k == _half ? 0 : k;
            int k2 = k == 0 ? 0 : _half - k;
            float zr = re[k1], zi = im[k1];
            float cr = re[k2], ci = -im[k2];
            float er = 0.5f * (zr + cr), ei = 0.5f * (zi + ci);
            float dr = 0.5f * (zr - cr), di = 0.5f * (zi - ci);
            // odd = d / i = (di, −dr)
            float or = di, oi = -dr;
            float wr = _splitCos[k], wi = _splitSin[k];
            spectrum[2 * k] = er + (wr * or - wi * oi);
            spectrum[2 * k + 1] = ei + (wr * oi + wi * or);
        }
    }

    /// <summary>Inverse transform of N + 2 interleaved floats into <see cref="Size"/> real samples, scaled by 1/N.</summary>
    public void Inverse(ReadOnlySpan<float> spectrum, Span<float> output)
    {
        if (spectrum.Length < Size + 2) throw new ArgumentException($"Spectrum needs {Size + 2} floats.", nameof(spectrum));
        if (output.Length < Size) throw new ArgumentException($"Output needs {Size} samples.", nameof(output));

        float[] re = _re, im = _im;
        int[] rev = _bitReverse;
        // Rebuild Z[k] = E[k] + i·O[k] with E = (X[k] + conj X[N/2−k])/2, O = (X[k] − conj X[N/2−k])·conj(W^k)/2
        for (int k = 0; k < _half; k++)
        {
            float xr = spectrum[2 * k], xi = spectrum[2 * k + 1];
            float yr = spectrum[2 * (_half - k)], yi = -spectrum[2 * (_half - k) + 1];
            float er = 0.5f * (xr + yr), ei = 0.5f * (xi + yi);
            float dr = 0.5f * (xr - yr), di = 0.5f * (xi - yi);
            float wr = _splitCos[k], wi = -_splitSin[k];
            float or = dr * wr - di * wi, oi = dr * wi + di * wr;
            int j = rev[k];
            re[j] = er - oi;
            im[j] = ei + or;
        }

        ComplexInPlace(re, im, forward: false);
        // The unnormalised half-size inverse gives (N/2)·(even + i·odd).
        float scale = 1f / _half;
        for (int i = 0; i < _half; i++)
        {
            output[2 * i] = re[i] * scale;
            output[2 * i + 1] = im[i] * scale;
        }
    }

    private void ComplexInPlace(float[] re, float[] im, bool forward)
    {
        int n = _half;
        float sign = forward ? 1f : -1f;
        for (int len = 2; len <= n; len <<= 1)
        {
            int halfLen = len >> 1;
            int step = n / len;
            for (int start = 0; start < n; start += len)
            {
                for (int j = 0; j < halfLen; j++)
                {
                    float wr = _cos[j * step], wi = sign * _sin[j * step];
                    int a = start + j, b = a + halfLen;
                    float tr = re[b] * wr - im[b] * wi;
                    float ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }
}
