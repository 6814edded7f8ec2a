using AcousticCore.Arrays;

namespace AcousticCore.Tests.Arrays;

/// <summary>A delayed, attenuated copy of the source arriving from another direction (an image source of a wall).</summary>
internal readonly record struct Reflection(double AzimuthDeg, double ElevationDeg, double DelaySeconds, double Gain);

/// <summary>
/// Microphone signals of a far-field source, known by construction: each channel is the source delayed by
/// −(p·u)/c through an exact frequency-domain fractional delay of the whole (periodic) signal, plus independent Gaussian noise per microphone at a given SNR, plus optional reflections.
/// </summary>
internal static class PlaneWaveSimulator
{
    public const double SpeedOfSound = 343.0;

    /// <summary>White Gaussian noise, unit variance.</summary>
    public static double[] Noise(int length, int seed)
    {
        var rng = new Random(seed);
        var x = new double[length];
        for (int i = 0; i < length; i++) x[i] = Gaussian(rng);
        return x;
    }

    /// <summary>Unit vector towards azimuth/elevation in degrees.</summary>
    public static (double X, double Y, double Z) Direction(double azimuthDeg, double elevationDeg)
    {
        double a = azimuthDeg * Math.PI / 180, e = elevationDeg * Math.PI / 180;
        return (Math.Cos(e) * Math.Cos(a), Math.Cos(e) * Math.Sin(a), Math.Sin(e));
    }

    /// <summary>Per-microphone copies of <paramref name="source"/> (length a power of two) from a direction, planar [mic][sample].</summary>
    public static double[][] Propagate(ArrayGeometry g, int rate, double[] source, double azimuthDeg, double elevationDeg,
        double extraDelaySeconds = 0, double gain = 1)
    {
        int n = source.Length;
        var plan = new AcousticCore.Dsp.FftPlan(n);
        var spectrum = new float[n + 2];
        plan.Forward(source.Select(v => (float)v).ToArray(), spectrum);
        var (ux, uy, uz) = Direction(azimuthDeg, elevationDeg);
        var result = new double[g.Count][];
        var work = new float[n + 2];
        var time = new float[n];
        for (int m = 0; m < g.Count; m++)
        {
            var p = g.Microphones[m];
            // Arrival time relative to the array origin: earlier by p·u / c.
            double t = -(p.X * ux + p.Y * uy + p.Z * uz) / SpeedOfSound + extraDelaySeconds;
            for (int k = 0; k <= n / 2; k++)
            {
                // A delay of t seconds multiplies bin k by e^(−iωt); the Nyquist bin cannot carry a fractional delay.
                double w = 2 * Math.PI * k * rate / n;
                double c = Math.Cos(w * t), s = -Math.Sin(w * t);
                double re = spectrum[2 * k], im = spectrum[2 * k + 1];
                work[2 * k] = k == n / 2 ? 0 : (float)(re * c - im * s);
                work[2 * k + 1] = k == n / 2 ? 0 : (float)(re * s + im * c);
            }

            plan.Inverse(work, time);
            var x = new double[n];
            for (int i = 0; i < n; i++) x[i] = gain * time[i];
            result[m] = x;
        }

        return result;
    }

    /// <summary>Interleaved float channels of a broadband noise source plus sensor noise at <paramref name="snrDb"/> (per microphone).</summary>
    public static float[] Simulate(ArrayGeometry g, int rate, int length, double azimuthDeg, double elevationDeg,
        double snrDb, int seed, IReadOnlyList<Reflection>? reflections = null)
    {
        var source = Noise(length, seed);
        var direct = Propagate(g, rate, source, azimuthDeg, elevationDeg);
        if (reflections is not null)
        {
            foreach (var r in reflections)
            {
                var echo = Propagate(g, rate, source, r.AzimuthDeg, r.ElevationDeg, r.DelaySeconds, r.Gain);
                for (int m = 0; m < g.Count; m++)
                {
                    for (int i = 0; i < length; i++) direct[m][i] += echo[m][i];
                }
            }
        }

        return Interleave(AddSensorNoise(direct, snrDb, seed + 7919));
    }

    /// <summary>Adds independent Gaussian noise to each channel so each has the given SNR.</summary>
    public static double[][] AddSensorNoise(double[][] channels, double snrDb, int seed)
    {
        if (double.IsPositiveInfinity(snrDb)) return channels;
        var rng = new Random(seed);
        var result = new double[channels.Length][];
        for (int m = 0; m < channels.Length; m++)
        {
            double power = 0;
            foreach (var v in channels[m]) power += v * v;
            power /= channels[m].Length;
            double sigma = Math.Sqrt(power / Math.Pow(10, snrDb / 10));
            result[m] = new double[channels[m].Length];
            for (int i = 0; i < channels[m].Length; i++) result[m][i] = channels[m][i] + sigma * Gaussian(rng);
        }

        return result;
    }

    /// <summary>Planar [mic][sample] to interleaved floats scaled to a comfortable level (peak well below 1).</summary>
    public static float[] Interleave(double[][] channels, double scale = 0.1)
    {
        int m = channels.Length, n = channels[0].Length;
        var x = new float[m * n];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < m; c++) x[i * m + c] = (float)(scale * channels[c][i]);
        }

        return x;
    }

    public static ArrayGeometry Linear4() => new("ula4", new[]
    {
        new Microphone("m1", -0.075, 0, 0), new Microphone("m2", -0.025, 0, 0),
        new Microphone("m3", 0.025, 0, 0), new Microphone("m4", 0.075, 0, 0),
    });

    public static ArrayGeometry Circular6() => Circular(6, 0.045);

    public static ArrayGeometry Circular(int count, double radius, double rotationDeg = 0)
    {
        var mics = new Microphone[count];
        for (int i = 0; i < count; i++)
        {
            double a = (rotationDeg + 360.0 * i / count) * Math.PI / 180;
            mics[i] = new Microphone($"m{i + 1}", radius * Math.Cos(a), radius * Math.Sin(a), 0);
        }

        return new ArrayGeometry($"uca{count}", mics);
    }

    /// <summary>Eight microphones on the corners of a 6 cm cube centred on the origin.</summary>
    public static ArrayGeometry Cube8()
    {
        var mics = new List<Microphone>();
        int i = 0;
        foreach (double x in new[] { -0.03, 0.03 })
        {
            foreach (double y in new[] { -0.03, 0.03 })
            {
                foreach (double z in new[] { -0.03, 0.03 }) mics.Add(new Microphone($"m{++i}", x, y, z));
            }
        }

        return new ArrayGeometry("cube8", mics);
    }

    /// <summary>Smallest absolute difference between two azimuths in degrees (0..180).</summary>
    public static double AngleDiff(double a, double b)
    {
        double d = Math.Abs(a - b) % 360;
        return d > 180 ? 360 - d : d;
    }

    public static double Median(List<double> values)
    {
        var s = values.OrderBy(v => v).ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : 0.5 * (s[s.Count / 2 - 1] + s[s.Count / 2]);
    }

    /// <summary>DOA estimates per window of <paramref name="framesPerWindow"/> frames (hop N/2).</summary>
    public static List<DoaEstimate> Locate(ArrayGeometry g, int rate, float[] interleaved, int framesPerWindow, SrpPhatOptions? options = null)
    {
        var locator = new SrpPhatLocator(g, rate, options);
        var stft = new MultichannelStft(g.Count, locator.FrameSize, locator.FrameSize / 2);
        var result = new List<DoaEstimate>();
        var peak = new DoaEstimate[1];
        ReadOnlySpan<float> rest = interleaved;
        while (!rest.IsEmpty)
        {
            int used = stft.Append(rest, out bool ready);
            rest = rest[used..];
            if (!ready) continue;
            locator.AddFrame(stft.Spectra);
            if (locator.PendingFrames == framesPerWindow && locator.Locate(peak) == 1) result.Add(peak[0]);
        }

        return result;
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
