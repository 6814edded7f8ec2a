using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AcousticCore.Audio;

/// <summary>
/// One accepted sensor connection decoded as a <see cref="PcmStreamSource"/>. A peer that closes or resets the
/// connection (even mid-frame) ends the stream with a warning; it never crashes or hangs the reader.
/// </summary>
public sealed class TcpAudioSource : IAudioSource, IAudioSourceDiagnostics
{
    private readonly PcmStreamSource _source;
    private readonly IDisposable? _owner;
    private bool _disposed;

    internal TcpAudioSource(Socket socket, PcmStreamOptions options, string name, IDisposable? owner)
    {
        Name = name;
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        socket.NoDelay = true;
        if (options.IdleTimeout is { } idle)
        {
            socket.ReceiveTimeout = (int)Math.Clamp(idle.TotalMilliseconds, 1, int.MaxValue);
        }

        var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            _source = new PcmStreamSource(stream, options, name);
        }
        catch (IOException e)
        {
            stream.Dispose();
            throw new AudioDataException(name, "connection failed before the WAV header was complete: " + Describe(e, options));
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        _source.ReadErrorPolicy = e => IsTimeout(e)
            ? throw new AudioDataException(name, string.Create(CultureInfo.InvariantCulture,
                $"no data from the sensor for {options.IdleTimeout?.TotalSeconds:0.###} s (idle timeout)"), null, e)
            : "connection lost: " + Describe(e, options);
        _owner = owner;
    }

    /// <inheritdoc />
    public AudioFormat Format => _source.Format;

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Address of the connected sensor.</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>Whole sample frames returned so far.</summary>
    public long FramesRead => _source.FramesRead;

    /// <inheritdoc />
    public long NonFiniteSamplesReplaced => _source.NonFiniteSamplesReplaced;

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings => _source.Warnings;

    /// <inheritdoc />
    public int Read(Span<float> destination) => _source.Read(destination);

    /// <summary>Asynchronous <see cref="Read"/>; 0 only at end of stream.</summary>
    public ValueTask<int> ReadAsync(Memory<float> destination, CancellationToken cancellationToken = default) =>
        _source.ReadAsync(destination, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _source.Dispose();
        _owner?.Dispose();
    }

    private static bool IsTimeout(IOException e) => e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock };

    private static string Describe(IOException e, PcmStreamOptions options) =>
        IsTimeout(e) && options.IdleTimeout is { } idle
            ? string.Create(CultureInfo.InvariantCulture, $"no data for {idle.TotalSeconds:0.###} s")
            : e.InnerException is SocketException se ? se.SocketErrorCode.ToString() : e.Message;

    /// <summary>Accepts one connection on a fresh loopback listener that the returned source owns (closed on dispose).</summary>
    internal static TcpAudioSource ListenAndAccept(string input, PcmStreamOptions options)
    {
        var listener = TcpAudioListener.Start(input);
        try
        {
            return listener.Accept(options, ownsListener: true);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }
}
