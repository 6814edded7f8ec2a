using System.CommandLine;

namespace AcousticCore.Cli.Commands;

/// <summary>Every top-level command; each lives in its own file with a static <c>Create</c>.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        yield return VersionCommand.Create(context);
        yield return ClassifyCommand.Create(context);
        yield return TrainCommand.Create(context);
        yield return EvaluateCommand.Create(context);
    }
}
