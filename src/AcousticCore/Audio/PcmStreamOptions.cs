using System.Globalization;

namespace AcousticCore.Audio;

/// <summary>
/// How to interpret a byte stream (stdin, file, TCP): raw interleaved little-endian PCM with a given sample
/// format, channel count and rate, or a WAV header auto-detected at the start of the stream.
/// </summary>
/// <remarks>Validated on construction and on every <c>init</c>; instances are immutable.</remarks>
public sealed class PcmStreamOptions
{
    /// <summary>Default pipe read size in bytes (64 KiB): a few ms of 16-channel 48 kHz audio, large enough to amortise syscalls.</summary>
    public const int DefaultReadBufferBytes = 65_536;

    private readonly TimeSpan? _acceptTimeout;
    private readonly TimeSpan? _idleTimeout;
    private readonly int _readBufferBytes = DefaultReadBufferBytes;

    private PcmStreamOptions(bool detectWav, SampleFormat format, int channels, int sampleRateHz)
    {
        DetectWavHeader = detectWav;
        SampleFormat = format;
        Channels = channels;
        SampleRateHz = sampleRateHz;
    }

    /// <summary>Raw PCM: every byte of the stream is interleaved sample data in <paramref name="sampleFormat"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Channel count outside 1..64, rate outside 8..192 kHz, or unknown format.</exception>
    public PcmStreamOptions(SampleFormat sampleFormat, int channels, int sampleRateHz)
        : this(false, sampleFormat, channels, sampleRateHz)
    {
        if (!Enum.IsDefined(sampleFormat)) throw new ArgumentOutOfRangeException(nameof(sampleFormat), sampleFormat, "Unknown sample format.");
        _ = new AudioFormat(sampleRateHz, channels); // the one place the limits are checked
    }

    /// <summary>Options that read a RIFF/WAVE header from the start of the stream; format, channels and rate come from it.</summary>
    public static PcmStreamOptions Wav { get; } = new(true, SampleFormat.S16, 0, 0);

    /// <summary>WAV auto-detection with TCP accept and idle timeouts (null = wait indefinitely).</summary>
    public static PcmStreamOptions WavWithTimeouts(TimeSpan? acceptTimeout, TimeSpan? idleTimeout) =>
        new(true, SampleFormat.S16, 0, 0) { AcceptTimeout = acceptTimeout, IdleTimeout = idleTimeout };

    /// <summary>True when the stream starts with a WAV header that defines the format (the other properties are then unused).</summary>
    public bool DetectWavHeader { get; }

    /// <summary>Sample encoding of raw PCM (ignored when <see cref="DetectWavHeader"/>).</summary>
    public SampleFormat SampleFormat { get; }

    /// <summary>Interleaved channel count of raw PCM, 1..64 (0 when <see cref="DetectWavHeader"/>).</summary>
    public int Channels { get; }

    /// <summary>Sample rate of raw PCM in Hz, 8000..192000 (0 when <see cref="DetectWavHeader"/>).</summary>
    public int SampleRateHz { get; }

    /// <summary>
    /// For <c>tcp://</c> inputs: how long to wait for the sensor to connect; null (default) waits indefinitely.
    /// Must be positive.
    /// </summary>
    public TimeSpan? AcceptTimeout
    {
        get => _acceptTimeout;
        init => _acceptTimeout = CheckPositive(value, nameof(AcceptTimeout));
    }

    /// <summary>
    /// For <c>tcp://</c> inputs: a connected peer that sends nothing for this long is an error instead of a hang;
    /// null (default) waits indefinitely. Applies to the blocking <see cref="IAudioSource.Read"/> path.
    /// </summary>
    public TimeSpan? IdleTimeout
    {
        get => _idleTimeout;
        init => _idleTimeout = CheckPositive(value, nameof(IdleTimeout));
    }

    /// <summary>Minimum bytes asked of the stream per read, 1 KiB..16 MiB; default <see cref="DefaultReadBufferBytes"/>.</summary>
    public int ReadBufferBytes
    {
        get => _readBufferBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1024, nameof(ReadBufferBytes));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 16 << 20, nameof(ReadBufferBytes));
            _readBufferBytes = value;
        }
    }

    /// <summary>A copy with <see cref="AcceptTimeout"/> set (null: wait indefinitely).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Zero or negative timeout.</exception>
    public PcmStreamOptions WithAcceptTimeout(TimeSpan? timeout) =>
        new(DetectWavHeader, SampleFormat, Channels, SampleRateHz) { AcceptTimeout = timeout, IdleTimeout = IdleTimeout, ReadBufferBytes = ReadBufferBytes };

    /// <summary>A copy with <see cref="IdleTimeout"/> set (null: wait indefinitely).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Zero or negative timeout.</exception>
    public PcmStreamOptions WithIdleTimeout(TimeSpan? timeout) =>
        new(DetectWavHeader, SampleFormat, Channels, SampleRateHz) { AcceptTimeout = AcceptTimeout, IdleTimeout = timeout, ReadBufferBytes = ReadBufferBytes };

    /// <summary>
    /// Builds options from CLI names: <paramref name="sampleFormatName"/> is <c>s16le</c>, <c>s24le</c>, <c>s32le</c>,
    /// <c>f32le</c>, <c>u8</c> or <c>wav</c> (then <paramref name="channels"/> and <paramref name="sampleRateHz"/> are ignored).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown format name, or channels/rate out of range; the message names the option.</exception>
    public static PcmStreamOptions Parse(string sampleFormatName, int channels, int sampleRateHz)
    {
        if (!TryParse(sampleFormatName, channels, sampleRateHz, out var options, out string? error))
        {
            throw new ArgumentException(error, nameof(sampleFormatName));
        }

        return options;
    }

    /// <summary>Non-throwing <see cref="Parse"/>: on failure <paramref name="error"/> names the bad option and value.</summary>
    public static bool TryParse(string? sampleFormatName, int channels, int sampleRateHz,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PcmStreamOptions? options,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        options = null;
        error = null;
        string name = (sampleFormatName ?? "").Trim();
        if (name.Equals("wav", StringComparison.OrdinalIgnoreCase))
        {
            options = Wav;
            return true;
        }

        if (!SampleFormats.TryParse(name, out var format))
        {
            error = $"--sample-format '{sampleFormatName}' is not one of s16le, s24le, s32le, f32le, u8, wav";
            return false;
        }

        if (channels < 1 || channels > AudioFormat.MaxChannels)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"--channels {channels} is out of range (1..{AudioFormat.MaxChannels})");
            return false;
        }

        if (sampleRateHz < AudioFormat.MinSampleRate || sampleRateHz > AudioFormat.MaxSampleRate)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"--rate {sampleRateHz} Hz is out of range ({AudioFormat.MinSampleRate}..{AudioFormat.MaxSampleRate})");
            return false;
        }

        options = new PcmStreamOptions(format, channels, sampleRateHz);
        return true;
    }

    private static TimeSpan? CheckPositive(TimeSpan? value, string name)
    {
        if (value is { } v && v <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(name, v, "Must be positive (or null for no limit).");
        return value;
    }
}
