namespace AcousticCore.Audio;

/// <summary>
/// Stream adapter under a <see cref="System.IO.Pipelines.PipeReader"/>: while <see cref="Blocking"/> is set, the
/// pipe's asynchronous reads are served by the inner stream's synchronous <see cref="Stream.Read(Span{byte})"/>.
/// </summary>
/// <remarks>
/// The pull contract <see cref="IAudioSource.Read"/> is synchronous (one stream, one thread), so it blocks anyway.
/// Blocking in the inner read instead of on a pending <see cref="ValueTask"/> keeps the pipe's reads completing
/// synchronously: no Task per read (allocation-free steady state), no thread-pool hop, and socket receive
/// timeouts apply. The asynchronous source path clears the flag and gets true asynchronous reads.
/// </remarks>
internal sealed class BlockingReadStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;

    internal BlockingReadStream(Stream inner, bool leaveOpen)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    /// <summary>When true, <see cref="ReadAsync(Memory{byte}, CancellationToken)"/> completes synchronously.</summary>
    internal bool Blocking { get; set; } = true;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => _inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!Blocking) return _inner.ReadAsync(buffer, cancellationToken);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<int>(cancellationToken);
        try
        {
            return new ValueTask<int>(_inner.Read(buffer.Span));
        }
#pragma warning disable CA1031 // not swallowed: carried to the awaiting pipe exactly as an async read would
        catch (Exception e)
#pragma warning restore CA1031
        {
            return ValueTask.FromException<int>(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen) _inner.Dispose();
        base.Dispose(disposing);
    }
}
