using System.CommandLine;
using AcousticCore.Audio;
using AcousticCore.Dsp;
using AcousticCore.Pipeline;

namespace AcousticCore.Cli.Commands;

/// <summary>Options shared by the commands that run the analyse chain.</summary>
internal sealed class ChainOptions
{
    public Option<double> Interval { get; } = new("--interval") { Description = "Reporting interval in seconds (0.01–3600).", DefaultValueFactory = _ => 1.0 };
    public Option<int> Frame { get; } = new("--frame") { Description = "STFT frame size in samples (power of two, 64–65536).", DefaultValueFactory = _ => 1024 };
    public Option<int?> Hop { get; } = new("--hop") { Description = "STFT hop in samples (default: frame / 2)." };
    public Option<string> Window { get; } = new("--window") { Description = "Window: hann, hamming, blackman-harris, rectangular.", DefaultValueFactory = _ => "hann" };
    public Option<double> Calibration { get; } = new("--calibration-offset-db") { Description = "dB added to every level (from 'acoustic calibrate'); levels are dBFS (AES17) without it.", DefaultValueFactory = _ => 0.0 };
    public Option<bool> NoBands { get; } = new("--no-bands") { Description = "Skip the third-octave band levels." };

    public void AddTo(Command command)
    {
        command.Options.Add(Interval);
        command.Options.Add(Frame);
        command.Options.Add(Hop);
        command.Options.Add(Window);
        command.Options.Add(Calibration);
        command.Options.Add(NoBands);
    }

    /// <summary>Builds validated options; a bad value is a usage error naming the option.</summary>
    public AnalysisOptions Read(ParseResult parse)
    {
        string windowName = parse.GetValue(Window) ?? "hann";
        if (!WindowDesign.TryParse(windowName, out var window))
        {
            throw new CliUsageException($"--window: unknown window '{windowName}' (use hann, hamming, blackman-harris or rectangular)");
        }

        StftOptions stft;
        try
        {
            int frame = parse.GetValue(Frame);
            stft = parse.GetValue(Hop) is { } hop
                ? new StftOptions { FrameSize = frame, HopSize = hop, Window = window }
                : new StftOptions { FrameSize = frame, Window = window };
            stft.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"--frame/--hop: {FirstLine(e.Message)}");
        }

        try
        {
            return new AnalysisOptions
            {
                IntervalSeconds = parse.GetValue(Interval),
                Stft = stft,
                CalibrationOffsetDb = parse.GetValue(Calibration),
                IncludeBands = !parse.GetValue(NoBands),
            };
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == nameof(AnalysisOptions.IntervalSeconds))
        {
            throw new CliUsageException($"--interval: {FirstLine(e.Message)}");
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new CliUsageException($"--calibration-offset-db: {FirstLine(e.Message)}");
        }
    }

    private static string FirstLine(string message)
    {
        int i = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        return (i > 0 ? message[..i] : message).Split('\n')[0].Trim();
    }
}

/// <summary>Expands files and folders (recursively, *.wav) into a sorted list of files.</summary>
internal static class InputFiles
{
    /// <summary>
    /// Files named directly, plus the *.wav under named folders (<see cref="WavFileSearch"/>); a missing path is a usage
    /// error, and so is a folder without WAV files unless <paramref name="emptyFolderIsBadInput"/> (classify's exit 3).
    /// </summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths, bool emptyFolderIsBadInput = false)
    {
        var files = new List<string>();
        foreach (string path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = WavFileSearch.Under(path);
                if (found.Count == 0)
                {
                    string message = $"{path}: folder holds no .wav files";
                    throw emptyFolderIsBadInput ? new CliInputException(message) : new CliUsageException(message);
                }

                files.AddRange(found);
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                throw new CliUsageException($"{path}: no such file or folder");
            }
        }

        return files;
    }
}

/// <summary>Opens the --out file or standard output.</summary>
internal static class OutputTarget
{
    /// <summary>
    /// The record writer of <c>--format parquet</c>: a binary file, so <c>--out FILE</c> is required; the file is written
    /// when the returned writer is disposed. <paramref name="columns"/> fixes the schema's first columns (so that every
    /// run of a command writes the same types, even a run whose column holds only nulls).
    /// </summary>
    public static AcousticCore.Parquet.ParquetRecordWriter OpenParquet(string? path, IEnumerable<AcousticCore.Parquet.ParquetColumn>? columns = null)
    {
        if (string.IsNullOrEmpty(path)) throw new CliUsageException("--format parquet writes a binary file: give --out FILE");
        try
        {
            return new AcousticCore.Parquet.ParquetRecordWriter(new FileStream(path, FileMode.Create, FileAccess.Write), columns);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CliUsageException($"--out: cannot write '{path}': {e.Message}");
        }
    }

    public static TextWriter Open(CliContext context, string? path)
    {
        if (string.IsNullOrEmpty(path)) return context.Out;
        try
        {
            return new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CliUsageException($"--out: cannot write '{path}': {e.Message}");
        }
    }
}
