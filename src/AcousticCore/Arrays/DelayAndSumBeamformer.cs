namespace AcousticCore.Arrays;

/// <summary>
/// Frequency-domain delay-and-sum beamformer: delays each microphone's frame spectrum by a fractional
/// delay that aligns a plane wave from the steering direction, and averages the channels.
/// </summary>
/// <remarks>
/// A plane wave from unit direction u reaches microphone p earlier than the array origin by τ = p·u / c,
/// so channel i is multiplied by e^(−iωτᵢ)/M. A signal from the steering direction passes with unit gain;
/// noise that is uncorrelated between microphones is reduced in power by M (SNR gain 10·log10 M dB).
/// Steering can change between frames (for tracking). Allocation-free after construction.
/// </remarks>
public sealed class DelayAndSumBeamformer
{
    private readonly float[] _steerRe;
    private readonly float[] _steerIm;
    private readonly double _speedOfSound;
    private readonly int _mics;

    /// <summary>Creates a beamformer for frames of <paramref name="frameSize"/> samples, steered at azimuth 0.</summary>
    /// <param name="geometry">Array geometry (microphone i = channel i).</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="frameSize">Frame length N, a power of two (spectra hold N + 2 floats).</param>
    /// <param name="speedOfSoundMps">Speed of sound in m/s (default 343).</param>
    public DelayAndSumBeamformer(ArrayGeometry geometry, int sampleRate, int frameSize = 1024, double speedOfSoundMps = 343)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        if (frameSize < 16 || frameSize > 65536 || (frameSize & (frameSize - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(frameSize), frameSize, "Frame size must be a power of two from 16 to 65536.");
        }

        if (!double.IsFinite(speedOfSoundMps) || speedOfSoundMps < 100 || speedOfSoundMps > 2000)
        {
            throw new ArgumentOutOfRangeException(nameof(speedOfSoundMps), speedOfSoundMps, "Must be 100..2000 m/s.");
        }

        Geometry = geometry;
        SampleRate = sampleRate;
        FrameSize = frameSize;
        _speedOfSound = speedOfSoundMps;
        _mics = geometry.Count;
        _steerRe = new float[_mics * (frameSize / 2 + 1)];
        _steerIm = new float[_mics * (frameSize / 2 + 1)];
        Steer(0, geometry.Shape == ArrayShape.ThreeDimensional ? 0 : double.NaN);
    }

    /// <summary>The array geometry.</summary>
    public ArrayGeometry Geometry { get; }

    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; }

    /// <summary>Frame length N.</summary>
    public int FrameSize { get; }

    /// <summary>Current steering azimuth in degrees (axis angle for a linear array).</summary>
    public double AzimuthDeg { get; private set; }

    /// <summary>Current steering elevation in degrees (NaN unless the array is three-dimensional).</summary>
    public double ElevationDeg { get; private set; }

    /// <summary>
    /// Steers towards a direction: azimuth counter-clockwise from +x in degrees (for a linear array the
    /// angle from its axis), elevation above the xy plane in degrees (ignored for linear and planar arrays).
    /// </summary>
    public void Steer(double azimuthDeg, double elevationDeg = double.NaN)
    {
        if (!double.IsFinite(azimuthDeg))
        {
            throw new ArgumentOutOfRangeException(nameof(azimuthDeg), azimuthDeg, "Steering azimuth must be finite.");
        }

        bool threeD = Geometry.Shape == ArrayShape.ThreeDimensional;
        double el = threeD && double.IsFinite(elevationDeg) ? Math.Clamp(elevationDeg, -90, 90) : 0;
        var (ux, uy, uz) = ArrayDirections.UnitVector(Geometry, azimuthDeg, el);
        int bins = FrameSize / 2 + 1;
        float gain = 1f / _mics;
        for (int i = 0; i < _mics; i++)
        {
            var m = Geometry.Microphones[i];
            double tau = (m.X * ux + m.Y * uy + m.Z * uz) / _speedOfSound;
            double phasePerBin = -2.0 * Math.PI * SampleRate * tau / FrameSize;
            for (int k = 0; k < bins; k++)
            {
                double phi = phasePerBin * k;
                _steerRe[i * bins + k] = gain * (float)Math.Cos(phi);
                _steerIm[i * bins + k] = gain * (float)Math.Sin(phi);
            }
        }

        AzimuthDeg = azimuthDeg;
        ElevationDeg = threeD ? el : double.NaN;
    }

    /// <summary>
    /// Beamforms one frame: <paramref name="channelSpectra"/> channel-major (microphone i's N + 2 floats at
    /// i·(N + 2)), result into <paramref name="beamSpectrum"/> (N + 2 floats, same layout as <see cref="Dsp.FftPlan"/>).
    /// </summary>
    public void ProcessFrame(ReadOnlySpan<float> channelSpectra, Span<float> beamSpectrum)
    {
        int n = FrameSize, stride = n + 2, bins = n / 2 + 1;
        if (channelSpectra.Length < _mics * stride)
        {
            throw new ArgumentException($"Expected {_mics} spectra of {stride} floats.", nameof(channelSpectra));
        }

        if (beamSpectrum.Length < stride)
        {
            throw new ArgumentException($"The beam spectrum needs {stride} floats.", nameof(beamSpectrum));
        }

        beamSpectrum[..stride].Clear();
        for (int i = 0; i < _mics; i++)
        {
            var x = channelSpectra.Slice(i * stride, stride);
            var wr = _steerRe.AsSpan(i * bins, bins);
            var wi = _steerIm.AsSpan(i * bins, bins);
            for (int k = 0; k < bins; k++)
            {
                float xr = x[2 * k], xi = x[2 * k + 1];
                beamSpectrum[2 * k] += xr * wr[k] - xi * wi[k];
                beamSpectrum[2 * k + 1] += xr * wi[k] + xi * wr[k];
            }
        }

        // A real signal has real DC and Nyquist bins; a fractional delay at Nyquist is not representable.
        beamSpectrum[1] = 0;
        beamSpectrum[n + 1] = 0;
    }
}
