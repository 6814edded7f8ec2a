using System.CommandLine;
using System.Reflection;

namespace AcousticCore.Cli.Commands;

/// <summary><c>acoustic version</c>: prints the engine version.</summary>
internal static class VersionCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("version", "Print the AcousticCore version.");
        command.SetAction(_ =>
        {
            context.Out.WriteLine(typeof(AcousticCore.Pipeline.ResultRecord).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            return ExitCodes.Ok;
        });
        return command;
    }
}
