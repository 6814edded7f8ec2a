using System.Net;
using System.Net.Sockets;
using AcousticCore.Audio;
using Xunit;

namespace AcousticCore.Tests.Audio;

public class TcpAudioSourceTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs the sensor side on another thread; the test fails (never hangs) if it does not finish in time.</summary>
    private static Task Sensor(int port, Action<Socket> send) => Task.Run(() =>
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(IPAddress.Loopback, port);
        send(client);
    });

    private static void SendInChunks(Socket s, byte[] bytes, int chunk)
    {
        for (int i = 0; i < bytes.Length; i += chunk)
        {
            s.Send(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
        }
    }

    /// <summary>Reads on a worker thread; WaitAsync throws TimeoutException instead of letting a hang stall the suite.</summary>
    private static Task<float[]> ReadAllWithTimeout(IAudioSource source) =>
        Task.Run(() => TestWav.ReadAll(source, 777)).WaitAsync(TestTimeout);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4093)]
    public async Task RawPcmOverTcpEqualsTheWrittenSamples(int chunk)
    {
        var signal = TestWav.MakeSignal(SampleFormat.S16, 2, 3000);
        using var listener = new TcpAudioListener(IPAddress.Loopback, 0);
        Task sensor = Sensor(listener.LocalEndPoint.Port, s => SendInChunks(s, signal.Data, chunk));
        using var source = listener.Accept(new PcmStreamOptions(SampleFormat.S16, 2, 48_000) { AcceptTimeout = TestTimeout });
        Assert.StartsWith("tcp://127.0.0.1:", source.Name, StringComparison.Ordinal);
        Assert.Equal(signal.Expected, await ReadAllWithTimeout(source));
        await sensor.WaitAsync(TestTimeout);
        Assert.Empty(source.Warnings);
    }

    [Fact]
    public async Task WavOverTcpIsAutoDetected()
    {
        var signal = TestWav.MakeSignal(SampleFormat.F32, 4, 2000);
        byte[] wav = TestWav.Build(SampleFormat.F32, 4, 96_000, signal.Data, dataSize: 0xFFFFFFFF, riffSize: 0xFFFFFFFF);
        using var listener = new TcpAudioListener(IPAddress.Loopback, 0);
        Task sensor = Sensor(listener.LocalEndPoint.Port, s => SendInChunks(s, wav, 3));
        using var source = listener.Accept(PcmStreamOptions.Wav);
        Assert.Equal(96_000, source.Format.SampleRate);
        Assert.Equal(4, source.Format.Channels);
        Assert.Equal(signal.Expected, await ReadAllWithTimeout(source));
        await sensor.WaitAsync(TestTimeout);
    }

    [Fact]
    public async Task PeerDisconnectingMidFrameEndsTheStreamWithAWarning()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S24, 2, 100);
        byte[] bytes = [.. signal.Data, 9, 9, 9, 9]; // 4 bytes of a 6-byte frame, then the sensor hangs up
        using var listener = new TcpAudioListener(IPAddress.Loopback, 0);
        Task sensor = Sensor(listener.LocalEndPoint.Port, s => { SendInChunks(s, bytes, 50); s.Shutdown(SocketShutdown.Both); });
        using var source = listener.Accept(new PcmStreamOptions(SampleFormat.S24, 2, 48_000) { AcceptTimeout = TestTimeout });
        Assert.Equal(signal.Expected, await ReadAllWithTimeout(source));
        string w = Assert.Single(source.Warnings);
        Assert.Contains("stream ended mid-frame: 4 byte(s) of an incomplete 6-byte frame dropped (mid-sample)", w, StringComparison.Ordinal);
        Assert.StartsWith(source.Name, w, StringComparison.Ordinal);
        await sensor.WaitAsync(TestTimeout);
    }

    [Fact]
    public async Task PeerResettingTheConnectionEndsTheStreamWithAWarning()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S16, 1, 100);
        using var listener = new TcpAudioListener(IPAddress.Loopback, 0);
        using var sent = new ManualResetEventSlim();
        using var readDone = new ManualResetEventSlim();
        Task sensor = Sensor(listener.LocalEndPoint.Port, s =>
        {
            s.Send(signal.Data.AsSpan(0, 101)); // 50 frames and half a sample
            sent.Set();
            readDone.Wait(TestTimeout);
            s.LingerState = new LingerOption(true, 0); // close with RST, not FIN
            s.Close();
        });
        using var source = listener.Accept(new PcmStreamOptions(SampleFormat.S16, 1, 48_000) { AcceptTimeout = TestTimeout });
        Assert.True(sent.Wait(TestTimeout));
        var first = new float[50];
        int got = await Task.Run(() => source.Read(first)).WaitAsync(TestTimeout);
        readDone.Set();
        var rest = await ReadAllWithTimeout(source);
        Assert.Equal(signal.Expected[..got], first[..got]);
        Assert.True(got + rest.Length <= 50);
        Assert.NotEmpty(source.Warnings); // "connection lost" (RST) or "mid-sample" (FIN first): both documented endings
        await sensor.WaitAsync(TestTimeout);
    }

    [Fact]
    public async Task ReadAsyncOverTcpGivesTheWrittenSamples()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S24, 3, 2000);
        using var listener = new TcpAudioListener(IPAddress.Loopback, 0);
        Task sensor = Sensor(listener.LocalEndPoint.Port, s => SendInChunks(s, signal.Data, 333));
        using var source = await Task.Run(() => listener.Accept(new PcmStreamOptions(SampleFormat.S24, 3, 48_000))).WaitAsync(TestTimeout);
        var all = new List<float>();
        var buffer = new float[300];
        int n;
        while ((n = await source.ReadAsync(buffer).AsTask().WaitAsync(TestTimeout)) > 0) all.AddRange(buffer.AsSpan(0, n).ToArray());
        Assert.Equal(signal.Expected, all);
        await sensor.WaitAsync(TestTimeout);
    }

    [Fact]
    public async Task TcpReadingAllocatesNothingInSteadyState()
    {
        var signal = TestWav.MakeSignal(SampleFormat.S16, 2, 96_000); // 2 s at 48 kHz
        using var listener = new TcpAudioListener(IPAddress.Loopback, 0);
        Task sensor = Sensor(listener.LocalEndPoint.Port, s => SendInChunks(s, signal.Data, 4096));
        using var source = await Task.Run(() => listener.Accept(new PcmStreamOptions(SampleFormat.S16, 2, 48_000))).WaitAsync(TestTimeout);
        long allocated = await Task.Run(() =>
        {
            var block = new float[960];
            for (int i = 0; i < 20; i++) source.Read(block);
            long delta = TestWav.MinAllocatedOverWindows(() => source.Read(block), 3, 40, out _);
            while (source.Read(block) > 0)
            {
                // drain so the sensor never blocks on a full socket buffer
            }

            return delta;
        }).WaitAsync(TestTimeout);
        // The pipe's segment pool may grow once to a new high-water mark when the reader lags the socket
        // (seen: one 456-byte event in 500 reads); a window without it must allocate nothing.
        Assert.Equal(0, allocated);
        await sensor.WaitAsync(TestTimeout);
    }

    [Fact]
    public async Task AcceptTimeoutIsAClearError()
    {
        using var listener = new TcpAudioListener(IPAddress.Loopback, 0);
        var options = new PcmStreamOptions(SampleFormat.S16, 1, 8_000) { AcceptTimeout = TimeSpan.FromMilliseconds(200) };
        var inner = await Assert.ThrowsAsync<AudioDataException>(() => Task.Run(() => listener.Accept(options)).WaitAsync(TestTimeout));
        Assert.Equal($"{listener.Name}: no sensor connected within 0.2 s", inner.Message);
    }

    [Fact]
    public async Task SilentPeerHitsTheIdleTimeoutInsteadOfHanging()
    {
        using var listener = new TcpAudioListener(IPAddress.Loopback, 0);
        using var release = new ManualResetEventSlim();
        Task sensor = Sensor(listener.LocalEndPoint.Port, s => { s.Send(new byte[4]); release.Wait(TestTimeout); });
        var options = new PcmStreamOptions(SampleFormat.S16, 2, 8_000) { AcceptTimeout = TestTimeout, IdleTimeout = TimeSpan.FromMilliseconds(300) };
        using var source = listener.Accept(options);
        var buffer = new float[64];
        var inner = await Assert.ThrowsAsync<AudioDataException>(() => Task.Run(() => { source.Read(buffer); return source.Read(buffer); }).WaitAsync(TestTimeout));
        release.Set();
        Assert.Contains("no data from the sensor for 0.3 s (idle timeout)", inner.Message, StringComparison.Ordinal);
        await sensor.WaitAsync(TestTimeout);
    }

    [Fact]
    public void PortInUseIsAClearIoError()
    {
        using var first = new TcpAudioListener(IPAddress.Loopback, 0);
        int port = first.LocalEndPoint.Port;
        var e = Assert.Throws<IOException>(() => new TcpAudioListener(IPAddress.Loopback, port));
        Assert.StartsWith($"cannot listen on 127.0.0.1:{port}: ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tcp://0.0.0.0:5000", "host '0.0.0.0' is not a loopback address")]
    [InlineData("tcp://10.1.2.3:5000", "host '10.1.2.3' is not a loopback address")]
    [InlineData("tcp://example.com:5000", "host 'example.com' is not a loopback address")]
    [InlineData("tcp://127.0.0.1", "has no port")]
    [InlineData("tcp://127.0.0.1:5000/x", "must be just tcp://HOST:PORT")]
    [InlineData("udp://127.0.0.1:5000", "is not of the form tcp://127.0.0.1:PORT")]
    public void NonLoopbackOrMalformedTcpInputsAreRefused(string input, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => TcpAudioListener.Start(input));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", e.Message, StringComparison.Ordinal); // shown to users as one clean line
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:5000", "127.0.0.1")]
    [InlineData("tcp://localhost:5000", "127.0.0.1")]
    [InlineData("tcp://[::1]:5000", "::1")]
    [InlineData("TCP://127.0.0.2:5000", "127.0.0.2")]
    public void LoopbackInputsParse(string input, string address)
    {
        Assert.Equal(IPAddress.Parse(address), TcpAudioListener.ParseEndPoint(input, out int port));
        Assert.Equal(5000, port);
    }

    [Fact]
    public async Task FactoryListensAcceptsAndDecodes()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        var signal = TestWav.MakeSignal(SampleFormat.S32, 2, 500);
        var options = new PcmStreamOptions(SampleFormat.S32, 2, 16_000) { AcceptTimeout = TestTimeout };
        var open = Task.Run(() => AudioSourceFactory.OpenInput($"tcp://127.0.0.1:{port}", options, () => throw new InvalidOperationException()));
        Task sensor = Task.Run(() =>
        {
            var deadline = DateTime.UtcNow + TestTimeout;
            while (true)
            {
                try
                {
                    using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    client.Connect(IPAddress.Loopback, port);
                    SendInChunks(client, signal.Data, 1000);
                    return;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(20); // listener not up yet
                }
            }
        });
        using var source = await open.WaitAsync(TestTimeout);
        Assert.Equal($"tcp://127.0.0.1:{port}", source.Name);
        Assert.Equal(signal.Expected, await ReadAllWithTimeout(source));
        await sensor.WaitAsync(TestTimeout);
    }
}
