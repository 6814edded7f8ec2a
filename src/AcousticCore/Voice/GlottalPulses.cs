using System.Runtime.CompilerServices;
namespace AcousticCore.Voice;

/// <summary>
/// Glottal pulse times as Praat's "Sound &amp; Pitch: To PointProcess (cc)" defines them: in each voiced stretch, start at the
/// absolute extremum nearest the middle, then step period by period to both sides, placing each next pulse where the
/// one-period window correlates best with the current one (searched 0.8–1.25 periods away, parabolically interpolated).
/// </summary>
public static class GlottalPulses
{
    /// <summary>Detects pulse times (seconds, ascending) in a mono sound given its pitch contour.</summary>
    public static double[] Detect(ReadOnlySpan<float> samples, int sampleRate, PitchContour pitch)
    {
        ArgumentNullException.ThrowIfNull(pitch);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        var z = new double[samples.Length];
        for (int i = 0; i < z.Length; i++) z[i] = float.IsFinite(samples[i]) ? samples[i] : 0.0;
        return Detect(z, sampleRate, pitch);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double[] Detect(double[] z, double fs, PitchContour pitch)
    {
        var points = new List<double>();
        int nx = z.Length;
        if (nx < 3 || pitch.FrameCount == 0) return [];
        var snd = new SoundView(z, fs);
        double globalPeak = 0;
        foreach (double v in z) globalPeak = Math.Max(globalPeak, Math.Abs(v));
        double t = 0, addedRight = -1e308;
        int guard = 0;
        while (guard++ < 1_000_000)
        {
            if (!VoicedIntervalAfter(pitch, t, out double tleft, out double tright)) break;
            double tmiddle = 0.5 * (tleft + tright);
            double f0middle = pitch.ValueAtTime(tmiddle);
            if (double.IsNaN(f0middle)) break;
            double tmax = snd.FindExtremum(tmiddle - 0.5 / f0middle, tmiddle + 0.5 / f0middle);
            Add(points, tmax);
            double tsave = tmax;
            for (int step = 0; step < 1_000_000; step++)
            {
                double f0 = pitch.ValueAtTime(tmax);
                if (double.IsNaN(f0)) break;
                double correlation = snd.FindMaximumCorrelation(tmax, 1.0 / f0, tmax - 1.25 / f0, tmax - 0.8 / f0, out tmax, out double peak);
                if (correlation == -1.0) tmax -= 1.0 / f0;
                if (tmax < tleft)
                {
                    if (correlation > 0.7 && peak > 0.023333 * globalPeak && tmax - addedRight > 0.8 / f0) Add(points, tmax);
                    break;
                }

                if (correlation > 0.3 && (peak == 0.0 || peak > 0.01 * globalPeak) && tmax - addedRight > 0.8 / f0) Add(points, tmax);
            }

            tmax = tsave;
            for (int step = 0; step < 1_000_000; step++)
            {
                double f0 = pitch.ValueAtTime(tmax);
                if (double.IsNaN(f0)) break;
                double correlation = snd.FindMaximumCorrelation(tmax, 1.0 / f0, tmax + 0.8 / f0, tmax + 1.25 / f0, out tmax, out double peak);
                if (correlation == -1.0) tmax += 1.0 / f0;
                if (tmax > tright)
                {
                    if (correlation > 0.7 && peak > 0.023333 * globalPeak)
                    {
                        Add(points, tmax);
                        addedRight = tmax;
                    }

                    break;
                }

                if (correlation > 0.3 && (peak == 0.0 || peak > 0.01 * globalPeak))
                {
                    Add(points, tmax);
                    addedRight = tmax;
                }
            }

            t = tright;
        }

        return points.ToArray();
    }

    private static void Add(List<double> points, double t)
    {
        int i = points.BinarySearch(t);
        if (i >= 0) return; // a point at exactly this time exists already
        points.Insert(~i, t);
    }

    /// <summary>First voiced stretch that ends after <paramref name="after"/>; whole frames count as voiced.</summary>
    private static bool VoicedIntervalAfter(PitchContour p, double after, out double tleft, out double tright)
    {
        tleft = tright = 0;
        int n = p.FrameCount;
        int ileft = (int)Math.Ceiling((after - p.FirstFrameTimeSeconds) / p.TimeStepSeconds); // 0-based high index
        if (ileft >= n) return false;
        if (ileft < 0) ileft = 0;
        while (ileft < n && !p.IsVoiced(ileft)) ileft++;
        if (ileft >= n) return false;
        int iright = ileft;
        while (iright < n && p.IsVoiced(iright)) iright++;
        iright--;
        double dx = p.TimeStepSeconds;
        tleft = p.TimeOfFrame(ileft) - 0.5 * dx;
        tright = p.TimeOfFrame(iright) + 0.5 * dx;
        if (tleft >= p.DurationSeconds - 0.5 * dx) return false;
        tleft = Math.Max(tleft, 0);
        tright = Math.Min(tright, p.DurationSeconds);
        return tright > after;
    }
}

/// <summary>A mono sound with Praat's sample-time convention (sample i, 1-based, at (i − 0.5)/fs).</summary>
internal readonly struct SoundView(double[] z, double fs)
{
    public double[] Z { get; } = z;
    public double Dx { get; } = 1.0 / fs;
    public int Nx => Z.Length;
    public double X1 => 0.5 * Dx;

    public double Duration => Nx * Dx;

    public int LowIndex(double x) => (int)Math.Floor((x - X1) / Dx) + 1;
    public int HighIndex(double x) => (int)Math.Ceiling((x - X1) / Dx) + 1;
    public int NearestIndex(double x) => (int)Math.Floor((x - X1) / Dx + 0.5) + 1;
    public double this[int i1] => Z[i1 - 1];

    /// <summary>Time of the absolute extremum in [tmin, tmax], parabolically interpolated.</summary>
    public double FindExtremum(double tmin, double tmax)
    {
        int imin = Math.Max(1, LowIndex(tmin));
        int imax = Math.Min(HighIndex(tmax), Nx);
        int n = imax - imin + 1;
        double iextr;
        if (n <= 0)
        {
            return 0.5 * (tmin + tmax);
        }
        else if (n == 1)
        {
            iextr = 1;
        }
        else if (n == 2)
        {
            double a = Math.Abs(this[imin]), b = Math.Abs(this[imin + 1]);
            iextr = a > b ? 1 : a < b ? 2 : 1.5;
        }
        else
        {
            double minimum = this[imin], maximum = minimum;
            int iMinimum = 1, iMaximum = 1;
            for (int i = 2; i <= n; i++)
            {
                double v = this[imin + i - 1];
                if (v < minimum) { minimum = v; iMinimum = i; }
                if (v > maximum) { maximum = v; iMaximum = i; }
            }

            if (minimum == maximum)
            {
                iextr = 0.5 * (n + 1.0);
            }
            else
            {
                int ie = Math.Abs(minimum) > Math.Abs(maximum) ? iMinimum : iMaximum;
                if (ie == 1 || ie == n)
                {
                    iextr = ie;
                }
                else
                {
                    double mid = this[imin + ie - 1], left = this[imin + ie - 2], right = this[imin + ie];
                    iextr = ie + 0.5 * (right - left) / (2 * mid - left - right);
                }
            }
        }

        return X1 + (imin - 1 + iextr - 1) * Dx;
    }

    /// <summary>
    /// The time in [tmin2, tmax2] whose one-window neighbourhood correlates best with the window around t1; returns the
    /// (interpolated) correlation, or −1 when no maximum was found.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double FindMaximumCorrelation(double t1, double windowLength, double tmin2, double tmax2, out double tout, out double peak)
    {
        double maximumCorrelation = -1.0, r1Best = double.NaN, r3Best = double.NaN, ir = double.NaN;
        double r1 = 0, r2 = 0, r3 = 0;
        double half = 0.5 * windowLength;
        int ileft1 = NearestIndex(t1 - half), iright1 = NearestIndex(t1 + half);
        int ileft2min = LowIndex(tmin2 - half), ileft2max = HighIndex(tmax2 - half);
        peak = 0;
        tout = t1;
        int length = iright1 - ileft1 + 1;
        bool window1Inside = ileft1 >= 1 && iright1 <= Nx && length > 0;
        double norm1Inside = window1Inside ? PeakInterpolation.Dot(Z.AsSpan(ileft1 - 1, length), Z.AsSpan(ileft1 - 1, length)) : 0;
        for (int ileft2 = ileft2min; ileft2 <= ileft2max; ileft2++)
        {
            double norm1 = 0, norm2 = 0, product = 0, localPeak = 0;
            if (window1Inside && ileft2 >= 1 && ileft2 + length - 1 <= Nx)
            {
                // both windows inside the sound (the usual case): vectorised sums
                norm1 = norm1Inside;
                PeakInterpolation.CorrelationSums(Z.AsSpan(ileft1 - 1, length), Z.AsSpan(ileft2 - 1, length), out product, out norm2, out localPeak);
            }
            else
            {
                for (int i1 = ileft1, i2 = ileft2; i1 <= iright1; i1++, i2++)
                {
                    if (i1 < 1 || i1 > Nx || i2 < 1 || i2 > Nx) continue;
                    double a1 = this[i1], a2 = this[i2];
                    norm1 += a1 * a1;
                    norm2 += a2 * a2;
                    product += a1 * a2;
                    localPeak = Math.Max(localPeak, Math.Abs(a2));
                }
            }

            r1 = r2;
            r2 = r3;
            r3 = norm1 == 0 || norm2 == 0 ? 0.0 : product / Math.Sqrt(norm1 * norm2);
            if (r2 > maximumCorrelation && r2 >= r1 && r2 >= r3)
            {
                r1Best = r1;
                maximumCorrelation = r2;
                r3Best = r3;
                ir = ileft2 - 1;
                peak = localPeak;
            }
        }

        if (maximumCorrelation > -1.0)
        {
            // Praat 6.3 (our reference) keeps the parabolic peak even when it falls just outside [tmin2, tmax2] (a maximum on the
            // first or last lag); Praat from 2024 falls back to the middle of the range there. On two low male TTS voices the
            // fallback moved one pulse per clip by 0.9 and 1.9 ms and jitter by 2.5 and 5 % against Praat 6.3.07.
            double d2r = (maximumCorrelation - r1Best) + (maximumCorrelation - r3Best);
            if (d2r != 0)
            {
                double dr = 0.5 * (r3Best - r1Best);
                maximumCorrelation += 0.5 * dr * dr / d2r;
                ir += dr / d2r;
            }

            tout = t1 + (ir - ileft1) * Dx;
        }

        return maximumCorrelation;
    }

    /// <summary>RMS of the sound under a Hann window from tmid − left to tmid + right; NaN when fewer than 3 samples.</summary>
    public double HannWindowedRms(double tmid, double widthLeft, double widthRight)
    {
        int imin = Math.Max(1, HighIndex(tmid - widthLeft));
        int imax = Math.Min(Nx, LowIndex(tmid + widthRight));
        if (imax - imin + 1 < 3) return double.NaN;
        double sum = 0, wsum = 0;
        for (int i = imin; i <= imax; i++)
        {
            double t = X1 + (i - 1) * Dx;
            double width = t < tmid ? widthLeft : widthRight;
            double w = 0.5 + 0.5 * Math.Cos(Math.PI * (t - tmid) / width);
            double v = this[i] * w;
            sum += v * v;
            wsum += w * w;
        }

        return Math.Sqrt(sum / wsum);
    }
}
