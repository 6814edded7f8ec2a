using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AcousticCore.Voice;

/// <summary>Windowed-sinc interpolation of a sampled function and Brent refinement of its maxima.</summary>
/// <remarks>
/// Follows the behaviour of Praat's (6.3) sinc interpolation: a sinc kernel tapered on each side by a raised cosine that reaches
/// zero one sample beyond the outermost sample used, the depth clipped so the kernel stays inside the data; constant
/// extrapolation outside the data. (Praat versions from 2024 taper over depth + 0.5 samples instead; with that taper our
/// contour differed from Praat 6.3.07 by up to 11 % in a few frames, with this one by at most 0.16 %.)
/// </remarks>
internal static class PeakInterpolation
{
    /// <summary>Value of <paramref name="y"/> at real index <paramref name="x"/> (0-based) by windowed sinc of depth <paramref name="maxDepth"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Sinc(ReadOnlySpan<double> y, double x, int maxDepth)
    {
        int n = y.Length;
        if (n < 1) return double.NaN;
        if (x < 0) return y[0];
        if (x > n - 1) return y[n - 1];
        int midLeft = (int)Math.Floor(x);
        if (x == midLeft) return y[midLeft];
        int midRight = midLeft + 1;
        // keep the kernel inside the data
        maxDepth = Math.Min(maxDepth, midRight);
        maxDepth = Math.Min(maxDepth, n - 1 - midLeft);
        if (maxDepth <= 0) return y[(int)Math.Round(x)];
        if (maxDepth == 1) return y[midLeft] + (x - midLeft) * (y[midRight] - y[midLeft]);
        // With d = x − midLeft, both sides have the same form: the left side takes y[midLeft − k] at distance d + k, the right
        // side y[midRight + k] at distance (1 − d) + k, k = 0 … depth − 1, each tapered over (distance + depth) samples; the
        // sine of the sinc is ±sin(πd) for every term, so it is applied once.
        double d = x - midLeft, e = 1.0 - d;
        // taper angles: term k of the left side at a_L + k·b_L, of the right side at a_R + k·b_R
        double bL = Math.PI / (d + maxDepth), bR = Math.PI / (e + maxDepth);
        double cosAL, sinAL, cosBL, sinBL, cosAR, sinAR, cosBR, sinBR;
        if (Vector256.IsHardwareAccelerated)
        {
            var (sin, cos) = Vector256.SinCos(Vector256.Create(d * bL, bL, e * bR, bR));
            (cosAL, sinAL, cosBL, sinBL) = (cos.GetElement(0), sin.GetElement(0), cos.GetElement(1), sin.GetElement(1));
            (cosAR, sinAR, cosBR, sinBR) = (cos.GetElement(2), sin.GetElement(2), cos.GetElement(3), sin.GetElement(3));
        }
        else
        {
            (sinAL, cosAL) = Math.SinCos(d * bL);
            (sinBL, cosBL) = Math.SinCos(bL);
            (sinAR, cosAR) = Math.SinCos(e * bR);
            (sinBR, cosBR) = Math.SinCos(bR);
        }

        double sum = SincSide(y.Slice(midLeft - maxDepth + 1, maxDepth), d, maxDepth, reversed: true, cosAL, sinAL, cosBL, sinBL)
            + SincSide(y.Slice(midRight, maxDepth), e, maxDepth, reversed: false, cosAR, sinAR, cosBR, sinBR);
        return 0.5 * Math.Sin(Math.PI * d) * sum;
    }

    /// <summary>
    /// Σ_k (−1)^k v_k (1 + cos(a + k·b)) / (π(u + k)), k = 0 … depth − 1, with b = π/(u + depth), a = u·b (cosine and sine of a and
    /// b given), where v_k is <paramref name="side"/>[k] (or, when <paramref name="reversed"/>, counted from the end). Vectorised
    /// over k: four lanes, each lane's taper cosine advanced by the Chebyshev recurrence cos(θ + 4b) = 2 cos(4b) cos θ − cos(θ − 4b),
    /// so no cosine is evaluated per term.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SincSide(ReadOnlySpan<double> side, double u, int depth, bool reversed,
        double cosA, double sinA, double cosB, double sinB)
    {
        int k = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && depth >= 8)
        {
            // cos and sin of b, 2b, 3b, 4b by angle addition; lanes j = 0…3 start at a + j·b, their predecessors at a + (j − 4)·b
            double cos2 = 2 * cosB * cosB - 1, sin2 = 2 * sinB * cosB;
            double cos3 = cos2 * cosB - sin2 * sinB, sin3 = sin2 * cosB + cos2 * sinB;
            double cos4 = 2 * cos2 * cos2 - 1, sin4 = 2 * sin2 * cos2;
            var vCosA = Vector256.Create(cosA);
            var vSinA = Vector256.Create(sinA);
            var cur = vCosA * Vector256.Create(1.0, cosB, cos2, cos3) - vSinA * Vector256.Create(0.0, sinB, sin2, sin3);
            var prev = vCosA * Vector256.Create(cos4, cos3, cos2, cosB) + vSinA * Vector256.Create(sin4, sin3, sin2, sinB);
            var twoCos4b = Vector256.Create(2 * cos4);
            var den = Vector256.Create(Math.PI * u) + Vector256.Create(0.0, Math.PI, 2 * Math.PI, 3 * Math.PI);
            var denStep = Vector256.Create(4 * Math.PI);
            var one = Vector256.Create(1.0);
            var acc = Vector256<double>.Zero;
            ref double origin = ref MemoryMarshal.GetReference(side);
            for (; k <= depth - 4; k += 4)
            {
                Vector256<double> v = reversed
                    ? Vector256.Shuffle(Vector256.LoadUnsafe(ref origin, (nuint)(depth - 4 - k)), Vector256.Create(3L, 2, 1, 0))
                    : Vector256.LoadUnsafe(ref origin, (nuint)k);
                acc += v * (one + cur) / den;
                var next = twoCos4b * cur - prev;
                prev = cur;
                cur = next;
                den += denStep;
            }

            // lanes 1 and 3 hold odd k: alternate the sign
            sum = acc.GetElement(0) - acc.GetElement(1) + acc.GetElement(2) - acc.GetElement(3);
            // the remaining (at most 3) terms: their taper cosines are the next values of lanes 0…2
            for (int j = 0; k < depth; k++, j++)
            {
                double v = reversed ? side[depth - 1 - k] : side[k];
                double term = v * (1.0 + cur.GetElement(j)) / (Math.PI * (u + k));
                sum += (k & 1) == 0 ? term : -term;
            }

            return sum;
        }

        // scalar: rotate the taper angle term by term
        double wc = cosA, ws = sinA;
        for (; k < depth; k++)
        {
            double v = reversed ? side[depth - 1 - k] : side[k];
            double term = v * (1.0 + wc) / (Math.PI * (u + k));
            sum += (k & 1) == 0 ? term : -term;
            double nc = wc * cosB - ws * sinB;
            ws = wc * sinB + ws * cosB;
            wc = nc;
        }

        return sum;
    }

    /// <summary>The windowed sinc written term by term with a cosine per term (the definition; tests compare against it).</summary>
    internal static double SincReference(ReadOnlySpan<double> y, double x, int maxDepth)
    {
        int n = y.Length;
        if (n < 1) return double.NaN;
        if (x < 0) return y[0];
        if (x > n - 1) return y[n - 1];
        int midLeft = (int)Math.Floor(x);
        if (x == midLeft) return y[midLeft];
        int midRight = midLeft + 1;
        maxDepth = Math.Min(maxDepth, midRight);
        maxDepth = Math.Min(maxDepth, n - 1 - midLeft);
        if (maxDepth <= 0) return y[(int)Math.Round(x)];
        if (maxDepth == 1) return y[midLeft] + (x - midLeft) * (y[midRight] - y[midLeft]);
        int left = midRight - maxDepth, right = midLeft + maxDepth;
        double result = 0;
        double halfWidth = x - left + 1;
        for (int i = midLeft; i >= left; i--)
        {
            double phase = Math.PI * (x - i);
            result += y[i] * Math.Sin(phase) / phase * 0.5 * (1.0 + Math.Cos(phase / halfWidth));
        }

        halfWidth = right - x + 1;
        for (int i = midRight; i <= right; i++)
        {
            double phase = Math.PI * (i - x);
            result += y[i] * Math.Sin(phase) / phase * 0.5 * (1.0 + Math.Cos(phase / halfWidth));
        }

        return result;
    }

    /// <summary>
    /// Refines the maximum of <paramref name="y"/> near integer index <paramref name="imid"/> by maximising the sinc interpolant
    /// on [imid−1, imid+1] with Brent's method; returns the interpolated maximum and its real index.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double ImproveMaximum(ReadOnlySpan<double> y, int imid, int depth, out double xmid)
    {
        if (imid <= 0)
        {
            xmid = 0;
            return y[0];
        }

        if (imid >= y.Length - 1)
        {
            xmid = y.Length - 1;
            return y[^1];
        }

        // Brent's minimisation (golden section with parabolic steps) of −sinc(y, x) on [imid−1, imid+1].
        const double Golden = 0.3819660112501051;
        const double Tol = 1e-8;
        double a = imid - 1, b = imid + 1;
        double x = imid, w = x, v = x;
        double fx = -Sinc(y, x, depth), fw = fx, fv = fx;
        double d = 0, e = 0;
        for (int iter = 0; iter < 60; iter++)
        {
            double xm = 0.5 * (a + b);
            double tol1 = Tol * Math.Abs(x) + 1e-12, tol2 = 2 * tol1;
            if (Math.Abs(x - xm) <= tol2 - 0.5 * (b - a)) break;
            bool golden = true;
            if (Math.Abs(e) > tol1)
            {
                double r = (x - w) * (fx - fv);
                double q = (x - v) * (fx - fw);
                double p = (x - v) * q - (x - w) * r;
                q = 2 * (q - r);
                if (q > 0) p = -p; else q = -q;
                double eTemp = e;
                e = d;
                if (Math.Abs(p) < Math.Abs(0.5 * q * eTemp) && p > q * (a - x) && p < q * (b - x))
                {
                    d = p / q;
                    double u0 = x + d;
                    if (u0 - a < tol2 || b - u0 < tol2) d = xm >= x ? tol1 : -tol1;
                    golden = false;
                }
            }

            if (golden)
            {
                e = x >= xm ? a - x : b - x;
                d = Golden * e;
            }

            double u = Math.Abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
            double fu = -Sinc(y, u, depth);
            if (fu <= fx)
            {
                if (u >= x) a = x; else b = x;
                v = w; fv = fw;
                w = x; fw = fx;
                x = u; fx = fu;
            }
            else
            {
                if (u < x) a = u; else b = u;
                if (fu <= fw || w == x)
                {
                    v = w; fv = fw;
                    w = u; fw = fu;
                }
                else if (fu <= fv || v == x || v == w)
                {
                    v = u; fv = fu;
                }
            }
        }

        xmid = x;
        return -fx;
    }

    /// <summary>
    /// Sliding products: <paramref name="result"/>[i] = Σ_j x[j]·z[i + j] for every i, j &lt; x.Length (z needs
    /// result.Length − 1 + x.Length values). Vectorised across lags: each x[j] is broadcast against 16 consecutive z values,
    /// so every lag's sum runs over j in order, as the scalar definition does (with fused multiply-adds where available).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SlidingProducts(ReadOnlySpan<double> x, ReadOnlySpan<double> z, Span<double> result)
    {
        int n = x.Length, lags = result.Length, i = 0;
        if (lags == 0) return;
        if (z.Length < lags - 1 + n) throw new ArgumentException("z is too short for the lags asked.", nameof(z));
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double zr = ref MemoryMarshal.GetReference(z);
        if (Vector512.IsHardwareAccelerated)
        {
            // 32 lags per pass in four 512-bit accumulators
            for (; i + 32 <= lags; i += 32)
            {
                var a0 = Vector512<double>.Zero;
                var a1 = Vector512<double>.Zero;
                var a2 = Vector512<double>.Zero;
                var a3 = Vector512<double>.Zero;
                ref double zi = ref Unsafe.Add(ref zr, i);
                for (int j = 0; j < n; j++)
                {
                    var xj = Vector512.Create(Unsafe.Add(ref xr, j));
                    ref double zij = ref Unsafe.Add(ref zi, j);
                    a0 = Vector512.MultiplyAddEstimate(xj, Vector512.LoadUnsafe(ref zij), a0);
                    a1 = Vector512.MultiplyAddEstimate(xj, Vector512.LoadUnsafe(ref zij, 8), a1);
                    a2 = Vector512.MultiplyAddEstimate(xj, Vector512.LoadUnsafe(ref zij, 16), a2);
                    a3 = Vector512.MultiplyAddEstimate(xj, Vector512.LoadUnsafe(ref zij, 24), a3);
                }

                a0.CopyTo(result.Slice(i));
                a1.CopyTo(result.Slice(i + 8));
                a2.CopyTo(result.Slice(i + 16));
                a3.CopyTo(result.Slice(i + 24));
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 16 <= lags; i += 16)
            {
                var a0 = Vector256<double>.Zero;
                var a1 = Vector256<double>.Zero;
                var a2 = Vector256<double>.Zero;
                var a3 = Vector256<double>.Zero;
                ref double zi = ref Unsafe.Add(ref zr, i);
                for (int j = 0; j < n; j++)
                {
                    var xj = Vector256.Create(Unsafe.Add(ref xr, j));
                    ref double zij = ref Unsafe.Add(ref zi, j);
                    a0 = Vector256.MultiplyAddEstimate(xj, Vector256.LoadUnsafe(ref zij), a0);
                    a1 = Vector256.MultiplyAddEstimate(xj, Vector256.LoadUnsafe(ref zij, 4), a1);
                    a2 = Vector256.MultiplyAddEstimate(xj, Vector256.LoadUnsafe(ref zij, 8), a2);
                    a3 = Vector256.MultiplyAddEstimate(xj, Vector256.LoadUnsafe(ref zij, 12), a3);
                }

                a0.CopyTo(result.Slice(i));
                a1.CopyTo(result.Slice(i + 4));
                a2.CopyTo(result.Slice(i + 8));
                a3.CopyTo(result.Slice(i + 12));
            }

            for (; i + 4 <= lags; i += 4)
            {
                var a0 = Vector256<double>.Zero;
                ref double zi = ref Unsafe.Add(ref zr, i);
                for (int j = 0; j < n; j++)
                {
                    a0 = Vector256.MultiplyAddEstimate(Vector256.Create(Unsafe.Add(ref xr, j)), Vector256.LoadUnsafe(ref Unsafe.Add(ref zi, j)), a0);
                }

                a0.CopyTo(result.Slice(i));
            }
        }

        for (; i < lags; i++)
        {
            double sum = 0;
            for (int j = 0; j < n; j++) sum = Math.FusedMultiplyAdd(x[j], z[i + j], sum);
            result[i] = sum;
        }
    }

    /// <summary>Σ a·b, Σ b² and max |b| of two equal-length spans in one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CorrelationSums(ReadOnlySpan<double> a, ReadOnlySpan<double> b, out double product, out double normB, out double peakB)
    {
        int n = a.Length, i = 0;
        double p = 0, nb = 0, pk = 0;
        if (Vector256.IsHardwareAccelerated && n >= 4)
        {
            var vp = Vector256<double>.Zero;
            var vn = Vector256<double>.Zero;
            var vk = Vector256<double>.Zero;
            ref double ar = ref MemoryMarshal.GetReference(a);
            ref double br = ref MemoryMarshal.GetReference(b);
            for (; i <= n - 4; i += 4)
            {
                var va = Vector256.LoadUnsafe(ref ar, (nuint)i);
                var vb = Vector256.LoadUnsafe(ref br, (nuint)i);
                vp = Vector256.MultiplyAddEstimate(va, vb, vp);
                vn = Vector256.MultiplyAddEstimate(vb, vb, vn);
                vk = Vector256.Max(vk, Vector256.Abs(vb));
            }

            p = Vector256.Sum(vp);
            nb = Vector256.Sum(vn);
            pk = Math.Max(Math.Max(vk.GetElement(0), vk.GetElement(1)), Math.Max(vk.GetElement(2), vk.GetElement(3)));
        }

        for (; i < n; i++)
        {
            p += a[i] * b[i];
            nb += b[i] * b[i];
            pk = Math.Max(pk, Math.Abs(b[i]));
        }

        product = p;
        normB = nb;
        peakB = pk;
    }

    /// <summary>Sum of a span (four-lane partial sums).</summary>
    public static double Sum(ReadOnlySpan<double> a)
    {
        int n = a.Length, i = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && n >= 4)
        {
            var acc = Vector256<double>.Zero;
            ref double ar = ref MemoryMarshal.GetReference(a);
            for (; i <= n - 4; i += 4) acc += Vector256.LoadUnsafe(ref ar, (nuint)i);
            sum = Vector256.Sum(acc);
        }

        for (; i < n; i++) sum += a[i];
        return sum;
    }

    /// <summary>Largest absolute value of a span (0 when empty).</summary>
    public static double MaxAbs(ReadOnlySpan<double> a)
    {
        int n = a.Length, i = 0;
        double max = 0;
        if (Vector256.IsHardwareAccelerated && n >= 4)
        {
            var acc = Vector256<double>.Zero;
            ref double ar = ref MemoryMarshal.GetReference(a);
            for (; i <= n - 4; i += 4) acc = Vector256.Max(acc, Vector256.Abs(Vector256.LoadUnsafe(ref ar, (nuint)i)));
            max = Math.Max(Math.Max(acc.GetElement(0), acc.GetElement(1)), Math.Max(acc.GetElement(2), acc.GetElement(3)));
        }

        for (; i < n; i++) max = Math.Max(max, Math.Abs(a[i]));
        return max;
    }

    /// <summary>Dot product of two equal-length spans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length, i = 0;
        var acc = Vector<double>.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<double>.Count;
            for (; i <= n - w; i += w)
            {
                acc += new Vector<double>(a.Slice(i, w)) * new Vector<double>(b.Slice(i, w));
            }
        }

        double sum = Vector.Sum(acc);
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }
}
