using System.Buffers.Binary;
using AcousticCore.Arrays;
using AcousticCore.Audio;
using AcousticCore.Pipeline;
using BenchmarkDotNet.Attributes;

namespace AcousticCore.Benchmarks;

/// <summary>
/// SRP-PHAT direction of arrival per frame and per window for uniform circular arrays of 4, 8 and 16
/// microphones (16 kHz, 1024-sample frames, hop 512, azimuth grid 1°), the delay-and-sum beamformer per hop,
/// and capture-to-record: raw S16 bytes of one 0.25 s window through decode, framing, SRP-PHAT and a JSON line.
/// </summary>
[MemoryDiagnoser]
public class DoaBenchmarks
{
    private const int Rate = 16000;
    private const int FrameSize = 1024;
    private SrpPhatLocator _locator = null!;
    private float[] _spectra = null!;
    private readonly DoaEstimate[] _peak = new DoaEstimate[1];
    private byte[] _windowBytes = null!;
    private float[] _block = null!;
    private MultichannelStft _stft = null!;
    private StringWriter _sink = null!;
    private JsonLinesRecordWriter _json = null!;
    private BeamformedSource _beam = null!;
    private float[] _beamOut = null!;

    /// <summary>Number of microphones on a circle of radius 4.5 cm (4, 8) or 9 cm (16).</summary>
    [Params(4, 8, 16)]
    public int Microphones { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        double radius = Microphones <= 8 ? 0.045 : 0.09;
        var mics = new Microphone[Microphones];
        for (int i = 0; i < mics.Length; i++)
        {
            double a = 2 * Math.PI * i / mics.Length;
            mics[i] = new Microphone($"m{i + 1}", radius * Math.Cos(a), radius * Math.Sin(a), 0);
        }

        var geometry = new ArrayGeometry("uca", mics);
        _locator = new SrpPhatLocator(geometry, Rate, new SrpPhatOptions { FrameSize = FrameSize });
        var rng = new Random(1);
        int windowFrames = Rate / 4;
        var samples = new float[windowFrames * Microphones];
        for (int i = 0; i < samples.Length; i++) samples[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
        _stft = new MultichannelStft(Microphones, FrameSize, FrameSize / 2);
        _stft.Append(samples, out _);
        _spectra = _stft.Spectra.ToArray();
        _windowBytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(_windowBytes.AsSpan(2 * i), (short)(samples[i] * 32767));
        _block = new float[samples.Length];
        _sink = new StringWriter();
        _json = new JsonLinesRecordWriter(_sink);
        _beam = new BeamformedSource(new LoopSource(samples, new AudioFormat(Rate, Microphones)), geometry,
            new BeamformedSourceOptions { FrameSize = FrameSize, AzimuthDeg = 30 });
        _beamOut = new float[FrameSize / 2];
    }

    /// <summary>One frame: whitening, pair cross-spectra, correlations and the grid search.</summary>
    [Benchmark(Baseline = true)]
    public double LocateOneFrame()
    {
        _locator.AddFrame(_spectra);
        _locator.Locate(_peak);
        return _peak[0].AzimuthDeg;
    }

    /// <summary>A 256 ms window: 8 frames accumulated, one grid search.</summary>
    [Benchmark]
    public double LocateWindowOf8Frames()
    {
        for (int i = 0; i < 8; i++) _locator.AddFrame(_spectra);
        _locator.Locate(_peak);
        return _peak[0].AzimuthDeg;
    }

    /// <summary>Delay-and-sum beamformer: one hop (512 samples, 32 ms) of mono output.</summary>
    [Benchmark]
    public float BeamformOneHop()
    {
        _beam.Read(_beamOut);
        return _beamOut[0];
    }

    /// <summary>Capture-to-record: S16 bytes of a 0.25 s window → floats → frames → SRP-PHAT → one JSON line.</summary>
    [Benchmark]
    public double CaptureToRecord()
    {
        using var pcm = new PcmStreamSource(new MemoryStream(_windowBytes, writable: false), new PcmStreamOptions(SampleFormat.S16, Microphones, Rate));
        int got, total = 0;
        while (total < _block.Length && (got = pcm.Read(_block.AsSpan(total))) > 0) total += got;
        ReadOnlySpan<float> rest = _block.AsSpan(0, total);
        while (!rest.IsEmpty)
        {
            rest = rest[_stft.Append(rest, out bool ready)..];
            if (ready) _locator.AddFrame(_stft.Spectra);
        }

        _locator.Locate(_peak);
        _sink.GetStringBuilder().Clear();
        _json.Write(new ResultRecord("window").Add("time_s", 0.0).Add("azimuth_deg", _peak[0].AzimuthDeg).Add("power", _peak[0].Power));
        return _peak[0].AzimuthDeg;
    }

    /// <summary>An endless source repeating one block, so the beamformer never runs dry.</summary>
    private sealed class LoopSource(float[] samples, AudioFormat format) : IAudioSource
    {
        private int _pos;

        public AudioFormat Format { get; } = format;

        public string Name => "loop";

        public int Read(Span<float> destination)
        {
            int n = Math.Min(destination.Length - destination.Length % Format.Channels, samples.Length - _pos);
            samples.AsSpan(_pos, n).CopyTo(destination);
            _pos = (_pos + n) % samples.Length;
            return n;
        }

        public void Dispose()
        {
        }
    }
}
