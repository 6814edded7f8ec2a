using System.Diagnostics;

namespace AcousticCore.Audio;

/// <summary>Sees every block a source delivers, in order, without changing it.</summary>
public interface IAudioBlockObserver
{
    /// <summary>A block of interleaved frames was read.</summary>
    /// <param name="interleaved">The frames; valid only during the call.</param>
    /// <param name="arrivalTimestamp">Stopwatch timestamp at which the block arrived.</param>
    void OnBlock(ReadOnlySpan<float> interleaved, long arrivalTimestamp);

    /// <summary>The source reached its end (called once).</summary>
    void OnEnd(long arrivalTimestamp);
}

/// <summary>
/// Passes a source through unchanged while an observer sees each block: lets several analyses
/// (levels, direction of arrival, classification) share one read of a live stream.
/// </summary>
public sealed class ObservedAudioSource : IAudioSource, IAudioSourceDiagnostics
{
    private static readonly IReadOnlyList<string> NoWarnings = [];
    private readonly IAudioSource _inner;
    private readonly IAudioBlockObserver _observer;
    private bool _ended;

    /// <summary>Wraps <paramref name="inner"/>; disposing this disposes it.</summary>
    public ObservedAudioSource(IAudioSource inner, IAudioBlockObserver observer)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _observer = observer ?? throw new ArgumentNullException(nameof(observer));
    }

    /// <inheritdoc />
    public AudioFormat Format => _inner.Format;

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <summary>The wrapped source.</summary>
    public IAudioSource Inner => _inner;

    /// <inheritdoc />
    public long NonFiniteSamplesReplaced => (_inner as IAudioSourceDiagnostics)?.NonFiniteSamplesReplaced ?? 0;

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings => (_inner as IAudioSourceDiagnostics)?.Warnings ?? NoWarnings;

    /// <inheritdoc />
    public int Read(Span<float> destination)
    {
        int n = _inner.Read(destination);
        long now = Stopwatch.GetTimestamp();
        if (n > 0)
        {
            _observer.OnBlock(destination[..n], now);
        }
        else if (!_ended)
        {
            _ended = true;
            _observer.OnEnd(now);
        }

        return n;
    }

    /// <inheritdoc />
    public void Dispose() => _inner.Dispose();
}
