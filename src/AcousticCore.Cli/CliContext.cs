using AcousticCore.Audio;
using AcousticCore.Pipeline;

namespace AcousticCore.Cli;

/// <summary>Process exit codes of the <c>acoustic</c> command (a public contract).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int BadInput = 3;
}

/// <summary>A usage problem found after parsing (bad option value, missing file): exit 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);

/// <summary>Bad input data found by the CLI itself: exit 3.</summary>
internal sealed class CliInputException(string message) : Exception(message);

/// <summary>An input file of a run over many that could not be opened; its message names the file.</summary>
internal sealed class InputFileException(string file, Exception inner) : Exception($"{file}: cannot open: {inner.Message}", inner);

/// <summary>The streams a command writes to and reads from; injected so tests can capture them.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, Func<Stream> openStdin, bool errorIsTerminal = false)
{
    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;
    public Func<Stream> OpenStdin { get; } = openStdin;

    /// <summary>True when stderr is an interactive terminal (progress bars are drawn only then).</summary>
    public bool ErrorIsTerminal { get; } = errorIsTerminal;

    /// <summary>Prints a warning line on stderr.</summary>
    public void Warn(string message) => Error.WriteLine($"acoustic: warning: {message}");

    /// <summary>Prints a source's warnings (they already name the source) and its count of replaced NaN/Inf samples.</summary>
    public void ReportDiagnostics(IAudioSource source)
    {
        foreach (string message in source.DiagnosticMessages()) Warn(message);
    }

    /// <summary>
    /// Opens an input file of a run over many; a file that cannot be opened (vanished, a broken link, no permission) is an
    /// <see cref="InputFileException"/>, so that only input failures, not an output that cannot be written, end one file.
    /// </summary>
    public static IAudioSource OpenInput(string file)
    {
        try
        {
            return AudioSourceFactory.OpenFile(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException(file, e);
        }
    }

    /// <summary>
    /// True for a failure that ends one input file but not a run over many (bad audio, or a file that could not be opened,
    /// see <see cref="OpenInput"/>); a command reports it with <see cref="ReportFileFailure"/> and goes on.
    /// </summary>
    public static bool IsFileFailure(Exception e) => e is AudioDataException or InputFileException;

    /// <summary>Prints one line naming the file and what was wrong with it (both exceptions' messages name the file).</summary>
    public void ReportFileFailure(Exception e) => Error.WriteLine($"acoustic: {e.Message}");

    /// <summary>Parses a <c>--format</c> value; <c>parquet</c> only for commands that write it (<paramref name="parquet"/>).</summary>
    public static RecordFormat ParseFormat(string? value, RecordFormat fallback, bool parquet = false) => value?.ToLowerInvariant() switch
    {
        null => fallback,
        "table" => RecordFormat.Table,
        "jsonl" => RecordFormat.Jsonl,
        "csv" => RecordFormat.Csv,
        "parquet" when parquet => RecordFormat.Parquet,
        _ => throw new CliUsageException($"--format: unknown format '{value}' (use table, jsonl{(parquet ? ", csv or parquet" : " or csv")})"),
    };
}
