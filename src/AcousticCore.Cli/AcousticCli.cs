using System.CommandLine;
using AcousticCore.Audio;
using AcousticCore.Cli.Commands;

namespace AcousticCore.Cli;

/// <summary>Builds the command tree, parses, then invokes; maps failures to exit codes.</summary>
internal static class AcousticCli
{
    public static int Run(string[] args, CliContext context)
    {
        var root = new RootCommand("AcousticCore: acoustic monitoring from WAV files, PCM streams and microphone arrays.");
        foreach (var command in CommandRegistry.Create(context))
        {
            root.Subcommands.Add(command);
        }

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors)
            {
                context.Error.WriteLine($"acoustic: {e.Message}");
            }

            context.Error.WriteLine("Run 'acoustic --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (CliUsageException e)
        {
            context.Error.WriteLine($"acoustic: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (CliInputException e)
        {
            context.Error.WriteLine($"acoustic: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (AudioDataException e)
        {
            context.Error.WriteLine($"acoustic: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (FileNotFoundException e)
        {
            context.Error.WriteLine($"acoustic: file not found: {e.FileName ?? e.Message}");
            return ExitCodes.Usage;
        }
        catch (DirectoryNotFoundException e)
        {
            context.Error.WriteLine($"acoustic: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (UnauthorizedAccessException e)
        {
            context.Error.WriteLine($"acoustic: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (IOException e)
        {
            context.Error.WriteLine($"acoustic: I/O error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            context.Error.WriteLine("acoustic: cancelled");
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // last line of defence: one clear line, never a trace
        catch (Exception e)
        {
            context.Error.WriteLine($"acoustic: internal error ({e.GetType().Name}): {e.Message}");
            return ExitCodes.Failure;
        }
#pragma warning restore CA1031
    }
}
