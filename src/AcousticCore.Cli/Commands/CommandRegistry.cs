using System.CommandLine;

namespace AcousticCore.Cli.Commands;

/// <summary>Every top-level command; each lives in its own file with a static <c>Create</c>.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        yield return VersionCommand.Create(context);
        yield return AnalyzeCommand.Create(context);
        yield return StreamCommand.Create(context);
        yield return CalibrateCommand.Create(context);
        yield return VoiceCommand.Create(context);
        yield return AuthorityCommand.Create(context);
        yield return TrustCommand.Create(context);
        yield return EnrolCommand.Create(context);
        yield return IdentifyCommand.Create(context);
        yield return AuditCommand.Create(context);
        yield return PolicyCommand.Create(context);
        yield return DoaCommand.Create(context);
        yield return ClassifyCommand.Create(context);
        yield return TrainCommand.Create(context);
        yield return EvaluateCommand.Create(context);
    }
}
