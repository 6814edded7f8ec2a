using System.Globalization;

namespace AcousticCore.Audio.Capture;

/// <summary>
/// Live capture from an ALSA PCM device (<c>--input alsa:DEVICE</c>, e.g. <c>default</c>, <c>hw:1,0</c>,
/// <c>plughw:1</c>) through libasound, interleaved, at the chosen format, channel count and rate.
/// </summary>
/// <remarks>
/// Overruns (the device buffer filled before it was read, <c>-EPIPE</c>) lose audio: each one is counted in
/// <see cref="Overruns"/> and described in <see cref="Warnings"/> with the frame position, and capture resumes.
/// A missing device, a busy device, an unsupported format and a missing libasound are
/// <see cref="AudioCaptureException"/>s with the device name and ALSA's reason. Reading allocates nothing.
/// </remarks>
public sealed class AlsaCaptureSource : IAudioSource, IAudioSourceDiagnostics
{
    private readonly CaptureOptions _options;
    private readonly SourceDiagnostics _diagnostics;
    private readonly byte[] _buffer;
    private readonly int _bytesPerFrame;
    private IntPtr _pcm;
    private IntPtr _config;
    private long _framesRead;

    /// <summary>Opens <paramref name="device"/> for capture.</summary>
    /// <param name="device">ALSA PCM name (what <c>arecord -D</c> takes).</param>
    /// <param name="options">Format, channels, rate, optional frame limit and buffer length.</param>
    /// <param name="configFile">
    /// An ALSA configuration file that defines <paramref name="device"/> instead of the system configuration
    /// (for example a <c>file</c>-plugin device replaying a recording); null uses the system configuration,
    /// which honours <c>ALSA_CONFIG_PATH</c>.
    /// </param>
    /// <exception cref="AudioCaptureException">libasound missing, device missing or busy, or parameters refused.</exception>
    public AlsaCaptureSource(string device, CaptureOptions options, string? configFile = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Name = "alsa:" + device;
        Format = options.Format;
        _diagnostics = new SourceDiagnostics(Name);
        _bytesPerFrame = options.SampleFormat.BytesPerSample() * options.Format.Channels;
        // Read in 10 ms periods: short enough for latency, long enough to keep syscalls cheap.
        int periodFrames = Math.Max(64, options.Format.SampleRate / 100);
        _buffer = new byte[periodFrames * _bytesPerFrame];
        if (!AlsaNative.IsAvailable())
        {
            throw new AudioCaptureException(Name, "libasound.so.2 is not installed (Debian/Ubuntu: apt-get install -y libasound2)");
        }

        Open(device, configFile);
    }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Number of overruns: times the device buffer overflowed and audio was lost.</summary>
    public long Overruns { get; private set; }

    /// <summary>Frames per channel returned so far.</summary>
    public long FramesRead => _framesRead;

    /// <inheritdoc />
    public long NonFiniteSamplesReplaced => _diagnostics.NonFiniteSamplesReplaced;

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings => _diagnostics.Warnings;

    /// <summary>True when libasound can be loaded on this machine.</summary>
    public static bool IsAvailable => AlsaNative.IsAvailable();

    /// <inheritdoc />
    public unsafe int Read(Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_pcm == IntPtr.Zero, this);
        int channels = Format.Channels;
        long want = Math.Min(destination.Length / channels, _buffer.Length / _bytesPerFrame);
        if (_options.MaxFrames is { } max) want = Math.Min(want, max - _framesRead);
        if (want <= 0) return 0;
        while (true)
        {
            nint got;
            fixed (byte* p = _buffer)
            {
                got = AlsaNative.PcmReadi(_pcm, p, (nuint)want);
            }

            if (got > 0)
            {
                int samples = (int)got * channels;
                int bad = SampleDecoder.Decode(_options.SampleFormat, _buffer.AsSpan(0, (int)got * _bytesPerFrame), destination[..samples]);
                _diagnostics.NonFiniteSamplesReplaced += bad;
                _framesRead += got;
                return samples;
            }

            if (got == 0) return 0;
            int error = (int)got;
            if (error == -AlsaNative.EAGAIN || error == -AlsaNative.EINTR) continue;
            if (error == -AlsaNative.EPIPE)
            {
                Overruns++;
                _diagnostics.Warn(string.Create(CultureInfo.InvariantCulture,
                    $"overrun #{Overruns} after frame {_framesRead}: the device buffer overflowed and audio was lost"));
                Recover(AlsaNative.PcmPrepare(_pcm), "recovering from an overrun");
                continue;
            }

            if (error == -AlsaNative.ESTRPIPE)
            {
                int r;
                while ((r = AlsaNative.PcmResume(_pcm)) == -AlsaNative.EAGAIN) Thread.Sleep(10);
                if (r < 0) Recover(AlsaNative.PcmPrepare(_pcm), "resuming after suspend");
                _diagnostics.Warn(string.Create(CultureInfo.InvariantCulture, $"device suspended after frame {_framesRead}; audio was lost"));
                continue;
            }

            if (error == -AlsaNative.ENODEV)
            {
                throw new AudioCaptureException(Name, "the device was disconnected");
            }

            throw new AudioCaptureException(Name, string.Create(CultureInfo.InvariantCulture,
                $"read failed after frame {_framesRead}: {AlsaNative.Describe(error)}"));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_pcm != IntPtr.Zero)
        {
            _ = AlsaNative.PcmClose(_pcm);
            _pcm = IntPtr.Zero;
        }

        if (_config != IntPtr.Zero)
        {
            _ = AlsaNative.ConfigDelete(_config);
            _config = IntPtr.Zero;
        }
    }

    private void Open(string device, string? configFile)
    {
        int rc;
        if (configFile is not null)
        {
            if (!File.Exists(configFile)) throw new AudioCaptureException(Name, $"ALSA configuration file '{configFile}' not found");
            Check(AlsaNative.ConfigTop(out _config), "creating a configuration");
            Check(AlsaNative.InputStdioOpen(out IntPtr input, configFile, "r"), $"opening configuration '{configFile}'");
            rc = AlsaNative.ConfigLoad(_config, input);
            _ = AlsaNative.InputClose(input);
            Check(rc, $"parsing configuration '{configFile}'");
            rc = AlsaNative.PcmOpenLconf(out _pcm, device, AlsaNative.StreamCapture, 0, _config);
        }
        else
        {
            rc = AlsaNative.PcmOpen(out _pcm, device, AlsaNative.StreamCapture, 0);
        }

        if (rc < 0)
        {
            _pcm = IntPtr.Zero;
            Dispose();
            string why = -rc switch
            {
                AlsaNative.ENOENT or AlsaNative.ENODEV => "no such capture device",
                AlsaNative.EBUSY => "device busy (another program is capturing from it)",
                _ => "cannot open the device",
            };
            throw new AudioCaptureException(Name, $"{why} ({AlsaNative.Describe(rc)}); list devices with 'arecord -L'");
        }

        rc = AlsaNative.PcmSetParams(_pcm, AlsaNative.FormatCode(_options.SampleFormat), AlsaNative.AccessRwInterleaved,
            (uint)Format.Channels, (uint)Format.SampleRate, softResample: 1, latencyUs: (uint)_options.BufferMilliseconds * 1000);
        if (rc < 0)
        {
            Dispose();
            throw new AudioCaptureException(Name, string.Create(CultureInfo.InvariantCulture,
                $"the device refuses {Format.Channels} channel(s) of {_options.SampleFormat} at {Format.SampleRate} Hz ({AlsaNative.Describe(rc)}); try plughw: or another --rate/--channels/--sample-format"));
        }
    }

    private void Check(int rc, string what)
    {
        if (rc >= 0) return;
        Dispose();
        throw new AudioCaptureException(Name, $"{what} failed: {AlsaNative.Describe(rc)}");
    }

    private void Recover(int rc, string what)
    {
        if (rc < 0) throw new AudioCaptureException(Name, $"{what} failed: {AlsaNative.Describe(rc)}");
    }
}
