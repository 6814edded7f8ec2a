using AcousticCore.Audio;

namespace AcousticCore.Arrays;

/// <summary>Settings of <see cref="BeamformedSource"/>; every value is checked when set.</summary>
public sealed class BeamformedSourceOptions
{
    private readonly int _frameSize = 1024;
    private readonly double _azimuthDeg;
    private readonly double _elevationDeg;
    private readonly int _trackingFrames = 8;

    /// <summary>Frame length in samples, a power of two 64..16384 (default 1024); hop is half of it.</summary>
    public int FrameSize
    {
        get => _frameSize;
        init => _frameSize = value >= 64 && value <= 16384 && (value & (value - 1)) == 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(FrameSize), value, "Frame size must be a power of two from 64 to 16384.");
    }

    /// <summary>Fixed steering azimuth in degrees (axis angle for linear arrays), or the start direction when tracking (default 0).</summary>
    public double AzimuthDeg
    {
        get => _azimuthDeg;
        init => _azimuthDeg = double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(AzimuthDeg), value, "Must be finite.");
    }

    /// <summary>Fixed steering elevation in degrees for three-dimensional arrays (default 0).</summary>
    public double ElevationDeg
    {
        get => _elevationDeg;
        init => _elevationDeg = double.IsFinite(value) && value >= -90 && value <= 90
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ElevationDeg), value, "Must be −90..90 degrees.");
    }

    /// <summary>When true the beam follows the strongest source found by SRP-PHAT on the same frames (default false).</summary>
    public bool Track { get; init; }

    /// <summary>Frames per direction update when tracking, 1..1000 (default 8: 256 ms at 16 kHz with 1024-sample frames).</summary>
    public int TrackingFrames
    {
        get => _trackingFrames;
        init => _trackingFrames = value >= 1 && value <= 1000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(TrackingFrames), value, "Must be 1..1000.");
    }

    /// <summary>Locator settings used when tracking (its frame size is replaced by <see cref="FrameSize"/>).</summary>
    public SrpPhatOptions? Locator { get; init; }

    /// <summary>Tracker settings used when tracking.</summary>
    public DirectionTrackerOptions? Tracker { get; init; }
}

/// <summary>
/// A mono <see cref="IAudioSource"/> that beamforms a multichannel source with
/// <see cref="DelayAndSumBeamformer"/> (fixed or tracked direction), for the other analysers to consume.
/// </summary>
/// <remarks>
/// Periodic-Hann frames at 50 % overlap are added back (their windows sum to 1). The overlap-add latency
/// is removed: output sample n corresponds to input sample n and the output has exactly as many samples
/// as the input. The beam spectra are computed from the same frame spectra the tracker uses.
/// </remarks>
public sealed class BeamformedSource : IAudioSource
{
    private readonly IAudioSource _inner;
    private readonly MultichannelStft _stft;
    private readonly DelayAndSumBeamformer _beamformer;
    private readonly SrpPhatLocator? _locator;
    private readonly DirectionTracker? _tracker;
    private readonly BeamformedSourceOptions _options;
    private readonly Dsp.FftPlan _fft;
    private readonly float[] _beamSpectrum;
    private readonly float[] _frame;
    private readonly float[] _overlap;
    private readonly float[] _input;
    private readonly float[] _ready;
    private readonly DoaEstimate[] _peak = new DoaEstimate[1];
    private int _readyStart;
    private int _readyCount;
    private long _inputFrames;
    private long _emitted;   // includes the latency samples dropped at the start
    private bool _innerEnded;
    private bool _disposed;

    /// <summary>Wraps <paramref name="inner"/>, whose channel count must equal the geometry's microphone count.</summary>
    /// <exception cref="ArrayGeometryException">The channel count differs from the microphone count.</exception>
    public BeamformedSource(IAudioSource inner, ArrayGeometry geometry, BeamformedSourceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(geometry);
        geometry.ValidateChannels(inner.Format.Channels, inner.Name);
        _inner = inner;
        _options = options ?? new BeamformedSourceOptions();
        int n = _options.FrameSize, hop = n / 2;
        int rate = inner.Format.SampleRate;
        _stft = new MultichannelStft(geometry.Count, n, hop);
        _beamformer = new DelayAndSumBeamformer(geometry, rate, n, _options.Locator?.SpeedOfSoundMps ?? 343);
        _beamformer.Steer(_options.AzimuthDeg, _options.ElevationDeg);
        if (_options.Track)
        {
            var lo = _options.Locator ?? new SrpPhatOptions();
            lo = new SrpPhatOptions
            {
                FrameSize = n,
                MinFrequencyHz = lo.MinFrequencyHz,
                MaxFrequencyHz = lo.MaxFrequencyHz,
                SpeedOfSoundMps = lo.SpeedOfSoundMps,
                AzimuthStepDeg = lo.AzimuthStepDeg,
                ElevationStepDeg = lo.ElevationStepDeg,
                Interpolation = lo.Interpolation,
            };
            _locator = new SrpPhatLocator(geometry, rate, lo);
            _tracker = new DirectionTracker(_options.Tracker);
        }

        _fft = new Dsp.FftPlan(n);
        _beamSpectrum = new float[n + 2];
        _frame = new float[n];
        _overlap = new float[n];
        _input = new float[hop * geometry.Count];
        _ready = new float[hop];
        Format = new AudioFormat(rate, 1);
        Name = $"{inner.Name} (beam)";
        // Prime with N − hop zeros so the first hop of output is complete; it is dropped below.
        _stft.Append(new float[(n - hop) * geometry.Count], out _);
    }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Direction the beam points at now (tracked or fixed).</summary>
    public (double AzimuthDeg, double ElevationDeg) Direction => (_beamformer.AzimuthDeg, _beamformer.ElevationDeg);

    /// <inheritdoc />
    public int Read(Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int written = 0;
        while (written < destination.Length)
        {
            if (_readyCount > 0)
            {
                int take = Math.Min(_readyCount, destination.Length - written);
                _ready.AsSpan(_readyStart, take).CopyTo(destination[written..]);
                _readyStart += take;
                _readyCount -= take;
                written += take;
                continue;
            }

            if (!ProduceHop()) break;
        }

        return written;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _inner.Dispose();
    }

    /// <summary>Reads one hop of input (zeros after the end), beamforms it and queues the finished output.</summary>
    private bool ProduceHop()
    {
        int channels = _stft.Channels, hop = _stft.HopSize;
        long target = _inputFrames + hop; // everything up to the last input sample plus the dropped latency
        if (_innerEnded && _emitted >= target) return false;
        int filled = 0;
        while (!_innerEnded && filled < hop)
        {
            int got = _inner.Read(_input.AsSpan(filled * channels, (hop - filled) * channels));
            if (got == 0)
            {
                _innerEnded = true;
                break;
            }

            filled += got / channels;
        }

        _inputFrames += filled;
        if (_innerEnded && filled == 0 && _emitted >= _inputFrames + hop) return false;
        _input.AsSpan(filled * channels).Clear();
        _stft.Append(_input, out bool ready);
        if (!ready) throw new InvalidOperationException("Framer did not complete a frame on a full hop.");
        if (_locator is not null)
        {
            _locator.AddFrame(_stft.Spectra);
            if (_locator.PendingFrames >= _options.TrackingFrames && _locator.Locate(_peak) > 0)
            {
                var track = _tracker!.Update(_peak[0]);
                if (_tracker.HasTrack) _beamformer.Steer(track.AzimuthDeg, track.ElevationDeg);
            }
        }

        _beamformer.ProcessFrame(_stft.Spectra, _beamSpectrum);
        _fft.Inverse(_beamSpectrum, _frame);
        int n = _frame.Length;
        for (int i = 0; i < n; i++) _overlap[i] += _frame[i];
        // The first hop is now complete; hand it out, skipping the priming latency and anything past the input.
        long start = _emitted;
        _emitted += hop;
        int skip = (int)Math.Clamp(hop - start, 0, hop);
        long limit = _inputFrames + hop;
        int end = (int)Math.Clamp(limit - start, 0, hop);
        _readyStart = skip;
        _readyCount = Math.Max(0, end - skip);
        _overlap.AsSpan(0, hop).CopyTo(_ready);
        _overlap.AsSpan(hop, n - hop).CopyTo(_overlap);
        _overlap.AsSpan(n - hop).Clear();
        return true;
    }
}
