namespace AcousticCore.Arrays;

/// <summary>A direction of arrival with its steered-response power.</summary>
/// <param name="AzimuthDeg">
/// Azimuth counter-clockwise from +x in degrees [0, 360); for a linear array the angle from the array
/// axis (first towards last microphone) in degrees [0, 180].
/// </param>
/// <param name="ElevationDeg">Elevation above the xy plane in degrees [−90, 90] for three-dimensional arrays; NaN otherwise.</param>
/// <param name="Power">SRP-PHAT power: mean PHAT-weighted pair correlation at the direction (1 = a perfectly coherent plane wave, near 0 = none).</param>
public readonly record struct DoaEstimate(double AzimuthDeg, double ElevationDeg, double Power);

/// <summary>
/// Direction of arrival by steered response power with phase transform (SRP-PHAT) over a direction
/// grid: azimuth for planar arrays, azimuth and elevation for three-dimensional arrays, the angle from
/// the axis for linear arrays.
/// </summary>
/// <remarks>
/// Feed frames with <see cref="AddFrame"/> (channel spectra, shared with other analysers) and call
/// <see cref="Locate"/> once per analysis window: the PHAT cross-spectra of all frames in the window are
/// averaged per microphone pair, turned into GCC-PHAT correlations (see <see cref="GccPhatDelayEstimator"/>),
/// and summed at each grid direction's pair delays τᵢⱼ = (pᵢ − pⱼ)·u / c. The best grid point is refined
/// by a parabola through its neighbours. A plane wave from unit direction u reaches microphone p earlier
/// than the origin by p·u / c. Allocation-free after construction; one instance per stream.
/// </remarks>
public sealed class SrpPhatLocator
{
    private readonly GccPhatDelayEstimator _gcc;
    private readonly int _mics;
    private readonly int _pairs;
    private readonly int[] _pairA;
    private readonly int[] _pairB;
    private readonly float[] _pairDx;     // (pA − pB) scaled to upsampled lag units per unit direction
    private readonly float[] _pairDy;
    private readonly float[] _pairDz;
    private readonly float[] _dirX;
    private readonly float[] _dirY;
    private readonly float[] _dirZ;
    private readonly float[] _whitened;
    private readonly float[] _cross;
    private readonly float[] _correlation;
    private readonly float[] _lagWindow;
    private readonly int _lagHalf;
    private readonly float[] _map;
    private readonly int _azCount;
    private readonly int _elCount;
    private readonly double _elStart;
    private readonly double _azStep;
    private readonly double _elStep;
    private readonly int[] _chosen;
    private int _frames;

    /// <summary>Creates a locator for <paramref name="geometry"/> at <paramref name="sampleRate"/> Hz.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The frame is too short for the array's aperture, or the band is empty.</exception>
    public SrpPhatLocator(ArrayGeometry geometry, int sampleRate, SrpPhatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Options = options ?? new SrpPhatOptions();
        Geometry = geometry;
        SampleRate = sampleRate;
        int n = Options.FrameSize;
        double c = Options.SpeedOfSoundMps;
        double maxDelay = geometry.ApertureM / c;
        _gcc = new GccPhatDelayEstimator(n, sampleRate, maxDelay, Options.MinFrequencyHz,
            Options.EffectiveMaxFrequencyHz(sampleRate), Options.Interpolation);
        _mics = geometry.Count;
        _pairs = _mics * (_mics - 1) / 2;
        _pairA = new int[_pairs];
        _pairB = new int[_pairs];
        _pairDx = new float[_pairs];
        _pairDy = new float[_pairs];
        _pairDz = new float[_pairs];
        double lagPerMetre = sampleRate * (double)Options.Interpolation / c;
        int p = 0;
        for (int i = 0; i < _mics; i++)
        {
            for (int j = i + 1; j < _mics; j++)
            {
                var a = geometry.Microphones[i];
                var b = geometry.Microphones[j];
                _pairA[p] = i;
                _pairB[p] = j;
                _pairDx[p] = (float)((a.X - b.X) * lagPerMetre);
                _pairDy[p] = (float)((a.Y - b.Y) * lagPerMetre);
                _pairDz[p] = (float)((a.Z - b.Z) * lagPerMetre);
                p++;
            }
        }

        _lagHalf = (int)Math.Ceiling(maxDelay * sampleRate * Options.Interpolation) + 2;
        _lagWindow = new float[2 * _lagHalf + 2];
        _correlation = new float[_gcc.CorrelationLength];
        _whitened = new float[_mics * (n + 2)];
        _cross = new float[_pairs * (n + 2)];
        _chosen = new int[Options.MaxSources];

        // Direction grid.
        _azStep = Options.AzimuthStepDeg;
        _elStep = Options.ElevationStepDeg;
        switch (geometry.Shape)
        {
            case ArrayShape.Linear:
                _azCount = (int)Math.Round(180.0 / _azStep) + 1;
                _azStep = 180.0 / (_azCount - 1);
                _elCount = 1;
                break;
            case ArrayShape.Planar:
                _azCount = (int)Math.Round(360.0 / _azStep);
                _azStep = 360.0 / _azCount;
                _elCount = 1;
                break;
            default:
                _azCount = (int)Math.Round(360.0 / _azStep);
                _azStep = 360.0 / _azCount;
                _elCount = (int)Math.Round(180.0 / _elStep) + 1;
                _elStep = 180.0 / (_elCount - 1);
                _elStart = -90.0;
                break;
        }

        int count = _azCount * _elCount;
        _dirX = new float[count];
        _dirY = new float[count];
        _dirZ = new float[count];
        _map = new float[count];
        var (ax, ay, az) = geometry.Axis;
        // A unit vector perpendicular to the axis of a linear array; delays depend only on u·axis.
        var (qx, qy, qz) = ArrayDirections.Perpendicular(geometry.Axis);
        for (int e = 0; e < _elCount; e++)
        {
            for (int a = 0; a < _azCount; a++)
            {
                int d = e * _azCount + a;
                double theta = a * _azStep * Math.PI / 180.0;
                if (geometry.Shape == ArrayShape.Linear)
                {
                    _dirX[d] = (float)(Math.Cos(theta) * ax + Math.Sin(theta) * qx);
                    _dirY[d] = (float)(Math.Cos(theta) * ay + Math.Sin(theta) * qy);
                    _dirZ[d] = (float)(Math.Cos(theta) * az + Math.Sin(theta) * qz);
                }
                else
                {
                    double el = (_elStart + e * _elStep) * Math.PI / 180.0;
                    _dirX[d] = (float)(Math.Cos(el) * Math.Cos(theta));
                    _dirY[d] = (float)(Math.Cos(el) * Math.Sin(theta));
                    _dirZ[d] = (float)Math.Sin(el);
                }
            }
        }
    }

    /// <summary>The array geometry.</summary>
    public ArrayGeometry Geometry { get; }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>The settings in use.</summary>
    public SrpPhatOptions Options { get; }

    /// <summary>Frame length N; <see cref="AddFrame"/> takes Count × (N + 2) floats.</summary>
    public int FrameSize => Options.FrameSize;

    /// <summary>True when estimates carry an elevation (three-dimensional arrays).</summary>
    public bool ReportsElevation => Geometry.Shape == ArrayShape.ThreeDimensional;

    /// <summary>Frames added since the last <see cref="Locate"/>.</summary>
    public int PendingFrames => _frames;

    /// <summary>Number of grid directions.</summary>
    public int DirectionCount => _map.Length;

    /// <summary>SRP power of every grid direction from the last <see cref="Locate"/>.</summary>
    public ReadOnlySpan<float> PowerMap => _map;

    /// <summary>Azimuth (or axis angle) and elevation (NaN unless 3-D) of grid direction <paramref name="index"/>, in degrees.</summary>
    public (double AzimuthDeg, double ElevationDeg) DirectionOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _map.Length);
        int a = index % _azCount, e = index / _azCount;
        return (a * _azStep, ReportsElevation ? _elStart + e * _elStep : double.NaN);
    }

    /// <summary>
    /// Adds one frame given as channel spectra, channel-major: microphone i's N + 2 floats at i·(N + 2)
    /// (the layout of <see cref="MultichannelStft.Spectra"/>).
    /// </summary>
    public void AddFrame(ReadOnlySpan<float> channelSpectra)
    {
        int n = FrameSize, stride = n + 2;
        if (channelSpectra.Length < _mics * stride)
        {
            throw new ArgumentException($"Expected {_mics} spectra of {stride} floats ({_mics * stride} floats).", nameof(channelSpectra));
        }

        int k0 = _gcc.FirstBin, k1 = _gcc.LastBin;
        // Whitening each channel once: conj(A/|A|)·(B/|B|) equals the pair's PHAT-weighted cross-spectrum.
        for (int m = 0; m < _mics; m++)
        {
            var src = channelSpectra.Slice(m * stride, stride);
            var dst = _whitened.AsSpan(m * stride, stride);
            for (int k = k0; k <= k1; k++)
            {
                float re = src[2 * k], im = src[2 * k + 1];
                float mag = MathF.Sqrt(re * re + im * im);
                if (mag > 1e-30f && float.IsFinite(mag))
                {
                    dst[2 * k] = re / mag;
                    dst[2 * k + 1] = im / mag;
                }
                else
                {
                    dst[2 * k] = 0;
                    dst[2 * k + 1] = 0;
                }
            }
        }

        for (int p = 0; p < _pairs; p++)
        {
            var a = _whitened.AsSpan(_pairA[p] * stride, stride);
            var b = _whitened.AsSpan(_pairB[p] * stride, stride);
            var acc = _cross.AsSpan(p * stride, stride);
            for (int k = 2 * k0; k <= 2 * k1; k += 2)
            {
                float ar = a[k], ai = a[k + 1], br = b[k], bi = b[k + 1];
                acc[k] += ar * br + ai * bi;
                acc[k + 1] += ar * bi - ai * br;
            }
        }

        _frames++;
    }

    /// <summary>
    /// Computes the SRP-PHAT map over the frames added since the last call, writes up to
    /// <see cref="SrpPhatOptions.MaxSources"/> strongest directions (best first) to
    /// <paramref name="destination"/>, and starts a new window. Returns the number written (0 if no frames).
    /// </summary>
    public int Locate(Span<DoaEstimate> destination)
    {
        if (_frames == 0) return 0;
        int n = FrameSize, stride = n + 2, m = _correlation.Length, half = _lagHalf;
        Array.Clear(_map);
        float invPairs = 1f / _pairs;
        for (int p = 0; p < _pairs; p++)
        {
            _gcc.Correlate(_cross.AsSpan(p * stride, stride), _frames, _correlation);
            for (int l = -half; l <= half + 1; l++)
            {
                _lagWindow[l + half] = _correlation[l < 0 ? l + m : l] * invPairs;
            }

            float px = _pairDx[p], py = _pairDy[p], pz = _pairDz[p];
            var window = _lagWindow.AsSpan();
            var map = _map.AsSpan();
            for (int d = 0; d < map.Length; d++)
            {
                float lag = px * _dirX[d] + py * _dirY[d] + pz * _dirZ[d] + half;
                int i0 = (int)lag;
                float f = lag - i0;
                map[d] += window[i0] + f * (window[i0 + 1] - window[i0]);
            }
        }

        Array.Clear(_cross);
        _frames = 0;
        return PickPeaks(destination);
    }

    /// <summary>Discards frames added since the last <see cref="Locate"/>.</summary>
    public void Reset()
    {
        Array.Clear(_cross);
        _frames = 0;
    }

    /// <summary>
    /// Finds up to <see cref="SrpPhatOptions.MaxSources"/> peaks (best first) in a power map over this locator's
    /// grid, for example the sum of the <see cref="PowerMap"/>s of many windows; returns the number written.
    /// </summary>
    public int FindPeaks(ReadOnlySpan<float> powerMap, Span<DoaEstimate> destination)
    {
        if (powerMap.Length != _map.Length)
        {
            throw new ArgumentException($"The map must have {_map.Length} values (one per grid direction).", nameof(powerMap));
        }

        powerMap.CopyTo(_map);
        return PickPeaks(destination);
    }

    private int PickPeaks(Span<DoaEstimate> destination)
    {
        int want = Math.Min(destination.Length, _chosen.Length), found = 0;
        double cosSep = Math.Cos(Options.MinSourceSeparationDeg * Math.PI / 180.0);
        while (found < want)
        {
            int best = -1;
            float bestValue = float.NegativeInfinity;
            for (int d = 0; d < _map.Length; d++)
            {
                float v = _map[d];
                if (v <= bestValue || !IsLocalMax(d)) continue;
                bool farEnough = true;
                for (int s = 0; s < found; s++)
                {
                    int o = _chosen[s];
                    if (_dirX[d] * _dirX[o] + _dirY[d] * _dirY[o] + _dirZ[d] * _dirZ[o] > cosSep)
                    {
                        farEnough = false;
                        break;
                    }
                }

                if (farEnough)
                {
                    best = d;
                    bestValue = v;
                }
            }

            if (best < 0) break;
            _chosen[found] = best;
            destination[found++] = Refine(best);
        }

        return found;
    }

    private bool IsLocalMax(int d)
    {
        int a = d % _azCount, e = d / _azCount;
        float v = _map[d];
        bool circular = Geometry.Shape != ArrayShape.Linear;
        if (a > 0 || circular)
        {
            if (_map[e * _azCount + (a == 0 ? _azCount - 1 : a - 1)] > v) return false;
        }

        if (a < _azCount - 1 || circular)
        {
            if (_map[e * _azCount + (a == _azCount - 1 ? 0 : a + 1)] > v) return false;
        }

        if (e > 0 && _map[d - _azCount] > v) return false;
        if (e < _elCount - 1 && _map[d + _azCount] > v) return false;
        return true;
    }

    private DoaEstimate Refine(int d)
    {
        int a = d % _azCount, e = d / _azCount;
        double v = _map[d];
        bool linear = Geometry.Shape == ArrayShape.Linear;
        double azOffset = 0;
        if (!linear || (a > 0 && a < _azCount - 1))
        {
            double left = _map[e * _azCount + (a == 0 ? _azCount - 1 : a - 1)];
            double right = _map[e * _azCount + (a == _azCount - 1 ? 0 : a + 1)];
            azOffset = ParabolaOffset(left, v, right);
        }

        double az = (a + azOffset) * _azStep;
        if (linear)
        {
            az = Math.Clamp(az, 0, 180);
        }
        else
        {
            az %= 360.0;
            if (az < 0) az += 360.0;
        }

        double el = double.NaN;
        if (ReportsElevation)
        {
            double elOffset = 0;
            if (e > 0 && e < _elCount - 1)
            {
                elOffset = ParabolaOffset(_map[d - _azCount], v, _map[d + _azCount]);
            }

            el = Math.Clamp(_elStart + (e + elOffset) * _elStep, -90, 90);
        }

        return new DoaEstimate(az, el, v);
    }

    private static double ParabolaOffset(double left, double centre, double right)
    {
        double denom = left - 2 * centre + right;
        return denom < 0 ? Math.Clamp(0.5 * (left - right) / denom, -0.5, 0.5) : 0;
    }
}
