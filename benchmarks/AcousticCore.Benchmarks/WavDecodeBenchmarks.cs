using System.Buffers.Binary;
using AcousticCore.Audio;
using BenchmarkDotNet.Attributes;
using NAudio.Wave;

namespace AcousticCore.Benchmarks;

/// <summary>
/// WAV decode throughput: 10 s of 48 kHz audio read in 10 ms blocks (480 frames), through the file source (NAudio
/// reading the bytes, own conversion), the pipe source (System.IO.Pipelines over an in-memory stream, the path a
/// PCM stream or a 0-size WAV takes), and NAudio's own sample provider as the baseline.
/// </summary>
[MemoryDiagnoser]
public class WavDecodeBenchmarks
{
    private const int SampleRate = 48_000;
    private const int Seconds = 10;
    private string _path = "";
    private byte[] _wav = [];
    private float[] _block = [];

    /// <summary>16-bit stereo or 24-bit 16-channel.</summary>
    [Params("s16x2", "s24x16")]
    public string Layout { get; set; } = "s16x2";

    /// <summary>Frames per read: 10 ms at 48 kHz.</summary>
    [Params(480)]
    public int BlockFrames { get; set; }

    private int Channels => Layout == "s16x2" ? 2 : 16;

    private SampleFormat Format => Layout == "s16x2" ? SampleFormat.S16 : SampleFormat.S24;

    [GlobalSetup]
    public void Setup()
    {
        int bps = Format.BytesPerSample();
        int frames = SampleRate * Seconds;
        var data = new byte[frames * Channels * bps];
        var rng = new Random(1);
        for (int i = 0; i < frames * Channels; i++)
        {
            int v = rng.Next(-(1 << (8 * bps - 1)), 1 << (8 * bps - 1));
            for (int k = 0; k < bps; k++) data[i * bps + k] = (byte)(v >> (8 * k));
        }

        _wav = new byte[44 + data.Length];
        var h = _wav.AsSpan();
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)(36 + data.Length));
        "WAVEfmt "u8.CopyTo(h[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(h[20..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(h[22..], (ushort)Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(h[24..], SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(h[28..], (uint)(SampleRate * Channels * bps));
        BinaryPrimitives.WriteUInt16LittleEndian(h[32..], (ushort)(Channels * bps));
        BinaryPrimitives.WriteUInt16LittleEndian(h[34..], (ushort)(8 * bps));
        "data"u8.CopyTo(h[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[40..], (uint)data.Length);
        data.CopyTo(h[44..]);
        _path = Path.Combine(Path.GetTempPath(), $"acousticcore-bench-{Layout}-{Environment.ProcessId}.wav");
        File.WriteAllBytes(_path, _wav);
        _block = new float[BlockFrames * Channels];

        // The variants must agree sample for sample, or the comparison means nothing. Block boundaries may differ
        // (the pipe returns what it has buffered), so compare the whole decoded sequence, summed in order.
        double a = FullSum(d => { using var r = new WaveFileReader(_path); var p = r.ToSampleProvider(); return Drain(d, p.Read); });
        double b = FullSum(d => { using var s = new WavFileSource(_path); return Drain(d, s.Read); });
        double c = FullSum(d => { using var s = new PcmStreamSource(new MemoryStream(_wav), PcmStreamOptions.Wav, "memory"); return Drain(d, s.Read); });
        if (a != b || a != c) throw new InvalidOperationException($"decoders disagree: {a} {b} {c}");
    }

    private delegate int ReadSpan(Span<float> destination);

    private double FullSum(Func<List<float>, int> decode)
    {
        var all = new List<float>();
        decode(all);
        double sum = 0;
        for (int i = 0; i < all.Count; i++) sum += all[i] * (1 + (i % 7));
        return sum;
    }

    private int Drain(List<float> into, ReadSpan read)
    {
        int n;
        while ((n = read(_block)) > 0) into.AddRange(_block.AsSpan(0, n));
        return into.Count;
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark(Baseline = true, Description = "NAudio ISampleProvider")]
    public double NAudioSampleProvider()
    {
        using var reader = new WaveFileReader(_path);
        ISampleProvider provider = reader.ToSampleProvider();
        double sum = 0;
        int n;
        while ((n = provider.Read(_block)) > 0) sum += Checksum(n);
        return sum;
    }

    [Benchmark(Description = "WavFileSource")]
    public double WavFileSource()
    {
        using var source = new WavFileSource(_path);
        double sum = 0;
        int n;
        while ((n = source.Read(_block)) > 0) sum += Checksum(n);
        return sum;
    }

    [Benchmark(Description = "PcmStreamSource (WAV over a pipe)")]
    public double PcmStreamSource()
    {
        using var source = new PcmStreamSource(new MemoryStream(_wav, writable: false), PcmStreamOptions.Wav, "memory");
        double sum = 0;
        int n;
        while ((n = source.Read(_block)) > 0) sum += Checksum(n);
        return sum;
    }

    // Counts floats and touches the last one: the result is the same whatever the block boundaries, and cheap.
    private double Checksum(int n) => n + _block[n - 1] * 1e-9;
}
