namespace AcousticCore.Audio.Capture;

/// <summary>What to capture: sample format, channel count and rate, and optionally how many frames.</summary>
/// <remarks>Validated on construction and on every <c>init</c>; instances are immutable.</remarks>
public sealed class CaptureOptions
{
    private readonly long? _maxFrames;
    private readonly int _bufferMilliseconds = 200;
    private readonly TimeSpan? _idleTimeout;

    /// <summary>Creates capture options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown format, or channels/rate outside the <see cref="AudioFormat"/> limits.</exception>
    public CaptureOptions(SampleFormat sampleFormat, int channels, int sampleRateHz)
    {
        if (!Enum.IsDefined(sampleFormat)) throw new ArgumentOutOfRangeException(nameof(sampleFormat), sampleFormat, "Unknown sample format.");
        Format = new AudioFormat(sampleRateHz, channels);
        SampleFormat = sampleFormat;
    }

    /// <summary>Encoding asked of the device or produced by the program.</summary>
    public SampleFormat SampleFormat { get; }

    /// <summary>Rate and channel count of the captured stream.</summary>
    public AudioFormat Format { get; }

    /// <summary>
    /// Stop after this many frames per channel (null: until the device or program ends). Needed for replay
    /// devices such as the ALSA <c>file</c> plugin, which are not paced and return junk past their file's end.
    /// </summary>
    public long? MaxFrames
    {
        get => _maxFrames;
        init => _maxFrames = value is null or > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxFrames), value, "Must be positive or null.");
    }

    /// <summary>Device buffer length in milliseconds, 10..2000 (default 200): longer survives scheduling hiccups, shorter lowers latency.</summary>
    public int BufferMilliseconds
    {
        get => _bufferMilliseconds;
        init => _bufferMilliseconds = value is >= 10 and <= 2000 ? value : throw new ArgumentOutOfRangeException(nameof(BufferMilliseconds), value, "Must be 10..2000 ms.");
    }

    /// <summary>For capture programs: no output for this long is an error instead of a hang (null, the default: wait indefinitely).</summary>
    public TimeSpan? IdleTimeout
    {
        get => _idleTimeout;
        init => _idleTimeout = value is null || value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(IdleTimeout), value, "Must be positive or null.");
    }
}
