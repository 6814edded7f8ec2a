using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace AcousticCore.Audio.Capture;

/// <summary>
/// Live capture from a program that writes audio to its standard output (<c>--input cmd:"PROGRAM ARGS"</c>),
/// e.g. <c>parec</c>, <c>sox -d</c>, <c>ffmpeg … -f s16le -</c>, <c>arecord -t raw</c>; decoded by
/// <see cref="PcmStreamSource"/> as raw PCM or as a WAV stream.
/// </summary>
/// <remarks>
/// The command line is split like a shell would split words (single and double quotes, backslash escapes),
/// but no shell runs: pipes and variables need an explicit <c>sh -c '…'</c>. A program that cannot start, or
/// that exits with a non-zero code, is an <see cref="AudioCaptureException"/> ending with the tail of its standard
/// error. With <see cref="CaptureOptions.IdleTimeout"/> a program that writes nothing is an error, not a hang.
/// Disposing kills the program if it still runs.
/// </remarks>
public sealed class CommandCaptureSource : IAudioSource, IAudioSourceDiagnostics
{
    /// <summary>Characters of the program's standard error kept for error messages.</summary>
    public const int StderrTailChars = 2000;

    private readonly Process _process;
    private readonly PcmStreamSource _pcm;
    private readonly StringBuilder _stderr = new();
    private readonly long? _maxFrames;
    private readonly string _program;
    private long _framesRead;
    private bool _ended;
    private bool _disposed;

    /// <summary>Starts <paramref name="commandLine"/> and reads its standard output.</summary>
    /// <param name="commandLine">Program and arguments, e.g. <c>sox -q -d -t raw -r 16000 -e signed -b 16 -c 4 -</c>.</param>
    /// <param name="options">Raw PCM layout (format, channels, rate), or <see cref="PcmStreamOptions.Wav"/> for a WAV stream.</param>
    /// <param name="maxFrames">Stop after this many frames per channel (null: until the program ends).</param>
    /// <param name="idleTimeout">Fail when the program writes nothing for this long (null: wait indefinitely).</param>
    /// <exception cref="AudioCaptureException">The command is empty, the program is missing, or it failed before a WAV header.</exception>
    public CommandCaptureSource(string commandLine, PcmStreamOptions options, long? maxFrames = null, TimeSpan? idleTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(options);
        if (maxFrames is <= 0) throw new ArgumentOutOfRangeException(nameof(maxFrames), maxFrames, "Must be positive or null.");
        if (idleTimeout is { } t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(idleTimeout), idleTimeout, "Must be positive or null.");
        Name = "cmd:" + commandLine;
        var words = SplitCommandLine(commandLine, Name);
        _program = words[0];
        _maxFrames = maxFrames;
        var start = new ProcessStartInfo(_program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,   // never let the program read the host's stdin
            CreateNoWindow = true,
        };
        for (int i = 1; i < words.Count; i++) start.ArgumentList.Add(words[i]);
        _process = new Process { StartInfo = start };
        _process.ErrorDataReceived += OnStderr;
        try
        {
            _process.Start();
        }
        catch (Win32Exception e)
        {
            _process.Dispose();
            throw new AudioCaptureException(Name, $"cannot start program '{_program}': {e.Message} (is it installed and on PATH?)", e);
        }

        _process.StandardInput.Close();
        _process.BeginErrorReadLine();
        Stream stdout = _process.StandardOutput.BaseStream;
        if (idleTimeout is { } idle) stdout = new IdleTimeoutStream(stdout, idle, this);
        try
        {
            _pcm = new PcmStreamSource(stdout, options, Name);
        }
        catch (AudioDataException e)
        {
            // A program that failed usually wrote no header; its exit code and stderr say why.
            var failure = ExitFailure();
            Kill();
            _process.Dispose();
            if (failure is not null) throw new AudioCaptureException(Name, failure, e);
            throw;
        }
        catch
        {
            Kill();
            _process.Dispose();
            throw;
        }

        Format = _pcm.Format;
    }

    /// <inheritdoc />
    public AudioFormat Format { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Frames per channel returned so far.</summary>
    public long FramesRead => _framesRead;

    /// <inheritdoc />
    public long NonFiniteSamplesReplaced => _pcm.NonFiniteSamplesReplaced;

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings => _pcm.Warnings;

    /// <summary>The last <see cref="StderrTailChars"/> characters the program wrote to standard error.</summary>
    public string StderrTail
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    /// <inheritdoc />
    /// <exception cref="AudioCaptureException">The program exited with a non-zero code, or wrote nothing within the idle timeout.</exception>
    public int Read(Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_ended) return 0;
        int channels = Format.Channels;
        if (_maxFrames is { } max)
        {
            long left = max - _framesRead;
            if (left <= 0)
            {
                _ended = true;
                Kill();
                return 0;
            }

            destination = destination[..(int)Math.Min(destination.Length, left * channels)];
        }

        int got = _pcm.Read(destination);
        if (got > 0)
        {
            _framesRead += got / channels;
            return got;
        }

        _ended = true;
        if (ExitFailure() is { } failure) throw new AudioCaptureException(Name, failure);
        return 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Kill();
        _pcm.Dispose();
        _process.Dispose();
    }

    /// <summary>
    /// Splits a command line into words: whitespace separates, single quotes keep everything literally,
    /// double quotes keep spaces (a backslash there escapes only $ ` " \\), a backslash outside quotes escapes the next character.
    /// </summary>
    /// <exception cref="AudioCaptureException">Empty command or an unterminated quote.</exception>
    public static IReadOnlyList<string> SplitCommandLine(string commandLine, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < commandLine.Length; i++)
        {
            char c = commandLine[i];
            if (quote == '\'')
            {
                if (c == '\'') quote = '\0';
                else word.Append(c);
            }
            else if (quote == '"')
            {
                // As in a POSIX shell, inside double quotes a backslash escapes only $ ` " \ and stays otherwise.
                if (c == '"') quote = '\0';
                else if (c == '\\' && i + 1 < commandLine.Length && commandLine[i + 1] is '$' or '`' or '"' or '\\') word.Append(commandLine[++i]);
                else word.Append(c);
            }
            else if (c == '\\' && i + 1 < commandLine.Length)
            {
                word.Append(commandLine[++i]);
                inWord = true;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (quote != '\0') throw new AudioCaptureException(sourceName, $"unterminated {quote} quote in the command");
        if (inWord) words.Add(word.ToString());
        if (words.Count == 0) throw new AudioCaptureException(sourceName, "empty command: use cmd:\"PROGRAM ARGS\"");
        return words;
    }

    /// <summary>Waits briefly for the program to end; a message when it failed, else null.</summary>
    private string? ExitFailure()
    {
        if (!_process.WaitForExit(5000)) return null;   // still running with stdout closed: not a failure we can name
        _process.WaitForExit();                        // flushes the asynchronous stderr reader
        int code = _process.ExitCode;
        if (code == 0) return null;
        string tail = StderrTail.Trim();
        return string.Create(CultureInfo.InvariantCulture,
            $"program '{_program}' exited with code {code}{(tail.Length > 0 ? ": " + tail.ReplaceLineEndings(" | ") : " (no error output)")}");
    }

    private void OnStderr(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is null) return;
        lock (_stderr)
        {
            if (_stderr.Length > 0) _stderr.Append('\n');
            _stderr.Append(e.Data);
            if (_stderr.Length > StderrTailChars) _stderr.Remove(0, _stderr.Length - StderrTailChars);
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone or never started: nothing to stop.
        }
        catch (Win32Exception)
        {
            // Exited between the check and the kill.
        }
    }

    /// <summary>Turns a read that waits longer than the idle timeout into an error (and stops the program).</summary>
    private sealed class IdleTimeoutStream(Stream inner, TimeSpan timeout, CommandCaptureSource owner) : Stream
    {
        private byte[] _chunk = new byte[65536];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (buffer.Length > _chunk.Length) _chunk = new byte[buffer.Length];
            var pending = inner.ReadAsync(_chunk.AsMemory(0, buffer.Length));
            int n;
            if (pending.IsCompleted)
            {
                n = pending.Result;
            }
            else
            {
                var task = pending.AsTask();
                if (!task.Wait(timeout))
                {
                    owner.Kill();
                    throw new AudioCaptureException(owner.Name, string.Create(CultureInfo.InvariantCulture,
                        $"program '{owner._program}' wrote no audio for {timeout.TotalSeconds:0.#} s; stopped it"));
                }

                n = task.Result;
            }

            _chunk.AsSpan(0, n).CopyTo(buffer);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
