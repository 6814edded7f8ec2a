using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using AcousticCore.Audio;
using AcousticCore.Audio.Capture;
using NAudio.CoreAudioApi;
using NAudio.Wave;

namespace AcousticCore.Capture.Windows;

/// <summary>
/// Live capture on Windows through WASAPI (NAudio.Wasapi), shared mode, as an <see cref="IAudioSource"/>
/// (<c>--input wasapi:default</c> or <c>wasapi:DEVICE</c>, where DEVICE is an endpoint id or part of its name).
/// </summary>
/// <remarks>
/// WASAPI delivers buffers on its own thread; they are converted to float and queued in a bounded ring of
/// <see cref="CaptureOptions.BufferMilliseconds"/> (at least 1 s). When the reader falls behind and the ring is
/// full, the new audio is dropped, counted in <see cref="Overruns"/>/<see cref="DroppedFrames"/> and described in
/// <see cref="Warnings"/>; never silently. The requested rate and channel count are asked of the shared-mode
/// engine as 32-bit float (WASAPI converts); a device that refuses is an <see cref="AudioCaptureException"/>.
/// </remarks>
[SupportedOSPlatform("windows")]
public sealed class WasapiCaptureSource : IAudioSource, IAudioSourceDiagnostics
{
    private const int MaxWarnings = 32;

    private static readonly Guid IeeeFloatSubFormat = new("00000003-0000-0010-8000-00aa00389b71");

    private readonly WasapiRecorder _recorder;
    private readonly MMDevice _device;
    private readonly CaptureOptions _options;
    private readonly object _gate = new();
    private readonly float[] _ring;
    private readonly List<string> _warnings = new();
    private float[] _convert = new float[4096];
    private int _head;
    private int _count;
    private long _framesRead;
    private bool _stopped;
    private Exception? _failure;
    private bool _disposed;

    /// <summary>Opens the endpoint named by <paramref name="device"/> (<c>default</c>, an id, or part of a name) and starts capturing.</summary>
    /// <exception cref="AudioCaptureException">No such capture endpoint, or it refuses the format.</exception>
    public WasapiCaptureSource(string device, CaptureOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Name = "wasapi:" + device;
        Format = options.Format;
        _device = FindDevice(device, Name);
        int ringFrames = Math.Max(options.Format.SampleRate, options.Format.SampleRate * options.BufferMilliseconds / 1000);
        _ring = new float[ringFrames * options.Format.Channels];
        try
        {
            _recorder = new WasapiRecorderBuilder()
                .WithDevice(_device)
                .WithSharedMode()
                .WithEventSync()
                .WithBufferLength(Math.Clamp(options.BufferMilliseconds / 2, 20, 1000))
                .WithFormat(WaveFormat.CreateIeeeFloatWaveFormat(options.Format.SampleRate, options.Format.Channels))
                .WithMmcssThreadPriority("Capture")
                .Build();
            _recorder.DataAvailable += OnData;
            _recorder.RecordingStopped += OnStopped;
            _recorder.StartRecording();
        }
        catch (COMException e)
        {
            _device.Dispose();
            throw new AudioCaptureException(Name, string.Create(CultureInfo.InvariantCulture,
                $"the endpoint refuses {options.Format.Channels} channel(s) at {options.Format.SampleRate} Hz or is in use (0x{e.HResult:X8}: {e.Message})"), e);
        }
    }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Number of times arriving audio found the queue full and was dropped.</summary>
    public long Overruns { get; private set; }

    /// <summary>Frames per channel dropped by overruns.</summary>
    public long DroppedFrames { get; private set; }

    /// <inheritdoc />
    public long NonFiniteSamplesReplaced { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_gate) return _warnings.ToArray();
        }
    }

    /// <inheritdoc />
    public int Read(Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int channels = Format.Channels;
        long frames = destination.Length / channels;
        if (_options.MaxFrames is { } max) frames = Math.Min(frames, max - _framesRead);
        if (frames <= 0)
        {
            _recorder.StopRecording();
            return 0;
        }

        lock (_gate)
        {
            while (_count == 0 && !_stopped) Monitor.Wait(_gate);
            if (_count == 0)
            {
                if (_failure is not null) throw new AudioCaptureException(Name, $"capture stopped: {_failure.Message}", _failure);
                return 0;
            }

            int take = (int)Math.Min(frames * channels, _count);
            int first = Math.Min(take, _ring.Length - _head);
            _ring.AsSpan(_head, first).CopyTo(destination);
            _ring.AsSpan(0, take - first).CopyTo(destination[first..]);
            _head = (_head + take) % _ring.Length;
            _count -= take;
            _framesRead += take / channels;
            return take;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _recorder.DataAvailable -= OnData;
        _recorder.StopRecording();
        _recorder.Dispose();
        _device.Dispose();
    }

    private static MMDevice FindDevice(string device, string name)
    {
        using var enumerator = new MMDeviceEnumerator();
        if (device.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            if (enumerator.TryGetDefaultAudioEndpoint(DataFlow.Capture, Role.Console, out var def) && def is not null) return def;
            throw new AudioCaptureException(name, "no default capture endpoint (is a microphone connected and enabled?)");
        }

        foreach (var d in enumerator.EnumerateAudioEndPoints(DataFlow.Capture, DeviceState.Active))
        {
            if (d.ID == device || d.FriendlyName.Contains(device, StringComparison.OrdinalIgnoreCase)) return d;
            d.Dispose();
        }

        throw new AudioCaptureException(name, "no active capture endpoint with that id or name");
    }

    private void OnData(ReadOnlySpan<byte> data, AudioClientBufferFlags flags, long devicePosition, long qpcPosition)
    {
        var wf = _recorder.WaveFormat;
        int bytesPerSample = wf.BitsPerSample / 8;
        int samples = data.Length / bytesPerSample;
        samples -= samples % Format.Channels;
        if (_convert.Length < samples) _convert = new float[samples];
        var floats = _convert.AsSpan(0, samples);
        int nonFinite = 0;
        // WASAPI marks packets to be treated as silence; their bytes are undefined.
        if ((flags & AudioClientBufferFlags.Silent) != 0) floats.Clear();
        else nonFinite = Decode(wf, data[..(samples * bytesPerSample)], floats);
        if ((flags & AudioClientBufferFlags.DataDiscontinuity) != 0)
        {
            lock (_gate)
            {
                Overruns++;
                AddWarning(string.Create(CultureInfo.InvariantCulture,
                    $"{Name}: the engine reported a discontinuity (audio lost before device frame {devicePosition})"));
            }
        }

        lock (_gate)
        {
            NonFiniteSamplesReplaced += nonFinite;
            int room = _ring.Length - _count;
            int take = Math.Min(room, samples);
            take -= take % Format.Channels;
            if (take < samples)
            {
                Overruns++;
                long lost = (samples - take) / Format.Channels;
                DroppedFrames += lost;
                AddWarning(string.Create(CultureInfo.InvariantCulture,
                    $"{Name}: overrun #{Overruns} after frame {_framesRead + _count / Format.Channels}: {lost} frame(s) dropped (the reader is too slow)"));
            }

            int tail = (_head + _count) % _ring.Length;
            int first = Math.Min(take, _ring.Length - tail);
            floats[..first].CopyTo(_ring.AsSpan(tail));
            floats[first..take].CopyTo(_ring);
            _count += take;
            Monitor.PulseAll(_gate);
        }
    }

    private void AddWarning(string warning)
    {
        if (_warnings.Count < MaxWarnings) _warnings.Add(warning);
    }

    private void OnStopped(object? sender, StoppedEventArgs e)
    {
        lock (_gate)
        {
            _stopped = true;
            _failure = e.Exception;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Converts the engine's buffer (float32, or PCM 16/24/32) to float; returns non-finite samples replaced.</summary>
    private static int Decode(WaveFormat wf, ReadOnlySpan<byte> bytes, Span<float> dst)
    {
        int bad = 0;
        bool isFloat = wf.Encoding == WaveFormatEncoding.IeeeFloat
            || (wf is WaveFormatExtensible x && x.SubFormat == IeeeFloatSubFormat);
        if (isFloat && wf.BitsPerSample == 32)
        {
            var src = MemoryMarshal.Cast<byte, float>(bytes);
            for (int i = 0; i < dst.Length; i++)
            {
                float v = src[i];
                if (!float.IsFinite(v))
                {
                    v = 0;
                    bad++;
                }

                dst[i] = v;
            }

            return bad;
        }

        switch (wf.BitsPerSample)
        {
            case 16:
                var s16 = MemoryMarshal.Cast<byte, short>(bytes);
                for (int i = 0; i < dst.Length; i++) dst[i] = s16[i] / 32768f;
                break;
            case 24:
                for (int i = 0, j = 0; i < dst.Length; i++, j += 3) dst[i] = (bytes[j] | (bytes[j + 1] << 8) | ((sbyte)bytes[j + 2] << 16)) / 8388608f;
                break;
            case 32:
                var s32 = MemoryMarshal.Cast<byte, int>(bytes);
                for (int i = 0; i < dst.Length; i++) dst[i] = s32[i] / 2147483648f;
                break;
            default:
                throw new AudioCaptureException("wasapi", $"unsupported engine format: {wf.Encoding} {wf.BitsPerSample}-bit");
        }

        return bad;
    }
}
