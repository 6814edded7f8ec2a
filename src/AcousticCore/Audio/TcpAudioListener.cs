using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AcousticCore.Audio;

/// <summary>
/// Listens on a loopback address for one sensor connection that streams raw PCM or WAV
/// (<c>tcp://127.0.0.1:PORT</c>). Only loopback is accepted: a remote sensor is forwarded through a tunnel or relay,
/// so the engine never opens a port to the network by itself.
/// </summary>
public sealed class TcpAudioListener : IDisposable
{
    private readonly TcpListener _listener;
    private bool _disposed;

    /// <summary>Starts listening on <paramref name="address"/> (must be loopback) and <paramref name="port"/> (0 picks a free port).</summary>
    /// <exception cref="ArgumentException">The address is not a loopback address.</exception>
    /// <exception cref="IOException">The port is in use or cannot be bound (the message names address and port).</exception>
    public TcpAudioListener(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException(NotLoopback(address.ToString()), nameof(address));
        }

        _listener = new TcpListener(address, port);
        try
        {
            _listener.Start(1);
        }
        catch (SocketException e)
        {
            _listener.Dispose();
            throw new IOException(string.Create(CultureInfo.InvariantCulture, $"cannot listen on {address}:{port}: {e.Message}"), e);
        }

        LocalEndPoint = (IPEndPoint)_listener.LocalEndpoint;
        Name = LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"tcp://[{LocalEndPoint.Address}]:{LocalEndPoint.Port}")
            : string.Create(CultureInfo.InvariantCulture, $"tcp://{LocalEndPoint.Address}:{LocalEndPoint.Port}");
    }

    /// <summary>The bound address and port (the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The input name, <c>tcp://ADDRESS:PORT</c>, used in messages.</summary>
    public string Name { get; }

    /// <summary>Starts a listener for an input of the form <c>tcp://127.0.0.1:PORT</c>, <c>tcp://[::1]:PORT</c> or <c>tcp://localhost:PORT</c>.</summary>
    /// <exception cref="ArgumentException">Malformed input, missing port, or a non-loopback host (the message names it).</exception>
    public static TcpAudioListener Start(string input) => new(ParseEndPoint(input, out int port), port);

    /// <summary>
    /// Parses a <c>tcp://HOST:PORT</c> input, accepting only loopback hosts. Errors carry no parameter-name suffix:
    /// their message is shown to the user as is (it names the input).
    /// </summary>
    /// <exception cref="ArgumentException">Malformed input, missing port, or a non-loopback host.</exception>
    public static IPAddress ParseEndPoint(string input, out int port)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase)
            || !Uri.TryCreate(input, UriKind.Absolute, out Uri? uri)
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"input '{input}' is not of the form tcp://127.0.0.1:PORT");
        }

        if (uri.IsDefaultPort || uri.Port < 0)
        {
            throw new ArgumentException($"input '{input}' has no port; use tcp://127.0.0.1:PORT");
        }

        if (uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new ArgumentException($"input '{input}' must be just tcp://HOST:PORT (no user, path or query)");
        }

        port = uri.Port;
        string host = uri.Host;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        if (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address)) return address;
        throw new ArgumentException($"input '{input}': " + NotLoopback(host));
    }

    /// <summary>
    /// Waits (blocking) for one sensor to connect, up to <see cref="PcmStreamOptions.AcceptTimeout"/>, and returns a
    /// source over its byte stream. With <see cref="PcmStreamOptions.Wav"/> it also waits for the WAV header.
    /// </summary>
    /// <exception cref="AudioDataException">No connection within the timeout, or a bad WAV header.</exception>
    public TcpAudioSource Accept(PcmStreamOptions options) => Accept(options, ownsListener: false);

    /// <summary>Accepts one connection; when <paramref name="ownsListener"/>, disposing the source also stops this listener.</summary>
    internal TcpAudioSource Accept(PcmStreamOptions options, bool ownsListener)
    {
        ArgumentNullException.ThrowIfNull(options);
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Synchronous accept (Poll for the timeout): a socket never touched by async operations stays a plain
        // blocking socket on Unix, so each blocking receive costs no allocation and SO_RCVTIMEO (idle timeout) applies.
        if (options.AcceptTimeout is { } timeout)
        {
            long deadline = Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
            while (true)
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    throw new AudioDataException(Name, string.Create(CultureInfo.InvariantCulture,
                        $"no sensor connected within {timeout.TotalSeconds:0.###} s"));
                }

                int micro = (int)Math.Min(left * 1000, int.MaxValue);
                if (_listener.Server.Poll(micro, SelectMode.SelectRead)) break;
            }
        }

        Socket socket = _listener.AcceptSocket();
        return new TcpAudioSource(socket, options, Name, ownsListener ? this : null);
    }

    /// <summary>Stops listening. A source already accepted keeps its connection.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _listener.Stop();
        _listener.Dispose();
    }

    private static string NotLoopback(string host) =>
        $"host '{host}' is not a loopback address; tcp input listens only on 127.0.0.1, ::1 or localhost (forward a remote sensor through a tunnel or relay)";
}
