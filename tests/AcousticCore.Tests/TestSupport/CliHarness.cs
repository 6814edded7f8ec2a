using System.Text.Json;
using AcousticCore.Cli;
using NAudio.Wave;

namespace AcousticCore.Tests.TestSupport;

/// <summary>Runs the <c>acoustic</c> command in-process with captured stdout/stderr.</summary>
internal static class CliHarness
{
    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public List<Dictionary<string, JsonElement>> JsonRecords() => Out
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(l)!)
            .ToList();
    }

    public static Result Run(params string[] args) => Run(null, args);

    public static Result Run(Func<Stream>? stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = AcousticCli.Run(args, new CliContext(output, error, stdin ?? (() => Stream.Null)));
        return new Result(code, output.ToString(), error.ToString());
    }

    /// <summary>Writes a 16-bit PCM WAV of interleaved samples.</summary>
    public static string WriteWav(string path, float[] interleaved, int rate, int channels, int bits = 16)
    {
        var format = bits == 32 ? WaveFormat.CreateIeeeFloatWaveFormat(rate, channels) : new WaveFormat(rate, bits, channels);
        using var w = new WaveFileWriter(path, format);
        w.WriteSamples(interleaved, 0, interleaved.Length);
        return path;
    }

    /// <summary>
    /// Writes a mono WAV file at <paramref name="path"/> holding the mono file <paramref name="source"/> resampled to
    /// <paramref name="rate"/> (NWaves' band-limited resampler, as an independent conversion); returns the path.
    /// </summary>
    public static string WriteResampled(string source, int rate, string path)
    {
        var samples = new List<float>();
        int sourceRate;
        using (var reader = AcousticCore.Audio.AudioSourceFactory.OpenFile(source))
        {
            sourceRate = reader.Format.SampleRate;
            var buffer = new float[4096 * reader.Format.Channels];
            int n;
            while ((n = reader.Read(buffer)) > 0) samples.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        var resampled = new NWaves.Operations.Resampler().Resample(new NWaves.Signals.DiscreteSignal(sourceRate, samples.ToArray()), rate).Samples;
        return WriteWav(path, resampled, rate, 1);
    }

    /// <summary>A loopback port that was free a moment ago.</summary>
    public static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>Connects to the CLI's loopback listener, retrying while it starts.</summary>
    public static async Task<System.Net.Sockets.TcpClient> ConnectWhenListening(int port)
    {
        var client = new System.Net.Sockets.TcpClient();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return client;
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 200)
            {
                await Task.Delay(25);
            }
        }
    }

    public static string TempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), "acoustic-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }
}

/// <summary>A read-only stream that hands out its bytes in chunks of chosen sizes (splits samples anywhere).</summary>
internal sealed class ChunkedStream(byte[] data, Func<int> chunkSize) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = Math.Min(Math.Min(buffer.Length, chunkSize()), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
