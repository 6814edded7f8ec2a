namespace AcousticCore.Arrays;

/// <summary>One finished analysis window of <see cref="DoaWindowAnalyzer"/>.</summary>
/// <param name="Index">Window number from 0.</param>
/// <param name="StartSample">First sample (per channel) of the window.</param>
/// <param name="LengthSamples">Samples the window covers (the last window may be shorter).</param>
/// <param name="Tracked">Tracked direction after this window (NaN angles when tracking is off or no track yet).</param>
public readonly record struct DoaWindow(long Index, long StartSample, long LengthSamples, DoaEstimate Tracked);

/// <summary>Receives finished windows from <see cref="DoaWindowAnalyzer"/>; the peaks are valid only during the call.</summary>
public interface IDoaWindowSink
{
    /// <summary>Called once per window with its strongest directions, best first (possibly empty).</summary>
    void OnWindow(in DoaWindow window, ReadOnlySpan<DoaEstimate> peaks);
}

/// <summary>
/// Streaming direction of arrival for a pipeline: interleaved blocks in, one result per fixed-length window out
/// (SRP-PHAT over the window's frames, optional tracking), plus the dominant direction of everything seen.
/// </summary>
/// <remarks>
/// Frames (periodic Hann, hop N/2) belong to the window where they start. Block boundaries do not change the
/// result. Allocation-free after construction; one instance per stream.
/// </remarks>
public sealed class DoaWindowAnalyzer
{
    private readonly MultichannelStft _stft;
    private readonly DoaEstimate[] _peaks;
    private readonly DirectionTracker? _tracker;
    private readonly float[] _mapSum;
    private readonly long _windowSamples;
    private long _window;
    private long _samples;

    /// <summary>Creates the analyser.</summary>
    /// <param name="geometry">Array geometry; the stream must have one channel per microphone.</param>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="windowSeconds">Window length in seconds (at least one hop).</param>
    /// <param name="options">Locator settings (defaults when null).</param>
    /// <param name="tracking">Tracker settings, or null for no tracking.</param>
    public DoaWindowAnalyzer(ArrayGeometry geometry, int sampleRate, double windowSeconds, SrpPhatOptions? options = null, DirectionTrackerOptions? tracking = null)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Locator = new SrpPhatLocator(geometry, sampleRate, options);
        if (!double.IsFinite(windowSeconds) || windowSeconds * sampleRate < Locator.FrameSize / 2.0)
        {
            throw new ArgumentOutOfRangeException(nameof(windowSeconds), windowSeconds, "The window must be finite and at least one hop (half a frame) long.");
        }

        _windowSamples = (long)Math.Round(windowSeconds * sampleRate);
        _stft = new MultichannelStft(geometry.Count, Locator.FrameSize, Locator.FrameSize / 2);
        _peaks = new DoaEstimate[Locator.Options.MaxSources];
        _tracker = tracking is null ? null : new DirectionTracker(tracking);
        _mapSum = new float[Locator.DirectionCount];
    }

    /// <summary>The locator (options, grid, shape).</summary>
    public SrpPhatLocator Locator { get; }

    /// <summary>Window length in samples.</summary>
    public long WindowSamples => _windowSamples;

    /// <summary>Windows reported so far.</summary>
    public long Windows { get; private set; }

    /// <summary>Samples per channel pushed so far.</summary>
    public long SamplesSeen => _samples;

    /// <summary>Consumes interleaved samples (whole frames), reporting each window that completes to <paramref name="sink"/>.</summary>
    public void Push<TSink>(ReadOnlySpan<float> interleaved, TSink sink) where TSink : IDoaWindowSink
    {
        int ch = _stft.Channels;
        if (interleaved.Length % ch != 0) throw new ArgumentException($"Expected whole frames of {ch} channels.", nameof(interleaved));
        _samples += interleaved.Length / ch;
        while (!interleaved.IsEmpty)
        {
            interleaved = interleaved[_stft.Append(interleaved, out bool ready)..];
            if (!ready) continue;
            long w = _stft.FrameStartSample / _windowSamples;
            if (w != _window)
            {
                Emit(sink, w * _windowSamples);
                _window = w;
            }

            Locator.AddFrame(_stft.Spectra);
        }
    }

    /// <summary>Reports the last, possibly shorter, window (call once at end of stream).</summary>
    public void Finish<TSink>(TSink sink) where TSink : IDoaWindowSink => Emit(sink, _samples);

    /// <summary>
    /// The dominant direction over all windows so far: the peak of the summed SRP maps, with the mean power;
    /// null before the first window.
    /// </summary>
    public DoaEstimate? Dominant()
    {
        if (Windows == 0) return null;
        var one = new DoaEstimate[1];
        if (Locator.FindPeaks(_mapSum, one) == 0) return null;
        return one[0] with { Power = one[0].Power / Windows };
    }

    private void Emit<TSink>(TSink sink, long endSample) where TSink : IDoaWindowSink
    {
        if (Locator.PendingFrames == 0) return;
        int found = Locator.Locate(_peaks);
        var map = Locator.PowerMap;
        for (int i = 0; i < map.Length; i++) _mapSum[i] += map[i];
        Windows++;
        var tracked = new DoaEstimate(double.NaN, double.NaN, 0);
        if (_tracker is not null && found > 0) tracked = _tracker.Update(_peaks[0]);
        else if (_tracker is not null) tracked = _tracker.Current;
        long start = _window * _windowSamples;
        long length = Math.Min(endSample, start + _windowSamples) - start;
        sink.OnWindow(new DoaWindow(_window, start, length, tracked), _peaks.AsSpan(0, found));
    }
}
