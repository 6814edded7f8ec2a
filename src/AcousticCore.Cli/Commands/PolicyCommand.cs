using System.CommandLine;
using AcousticCore.Policy;

namespace AcousticCore.Cli.Commands;

/// <summary><c>acoustic policy show|sweep</c>: the deployment policy and the retention sweep.</summary>
internal static class PolicyCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("policy", "Show the deployment policy or delete voiceprints of ended grants.");
        var store = PolicyCli.StoreOption();
        var show = new Command("show", "Print the store's sensor id, policy (JSON) and revocation count.") { store };
        show.SetAction(parse =>
        {
            using var s = TrustCommand.Open(parse, store);
            context.Out.WriteLine($"store   {s.Directory}");
            context.Out.WriteLine($"sensor  {s.SensorId}");
            context.Out.WriteLine($"revoked {s.RevokedTokenIds.Count} token(s)");
            context.Out.WriteLine(s.Policy.ToJson());
            return ExitCodes.Ok;
        });
        var sweepStore = PolicyCli.StoreOption();
        var sweep = new Command("sweep", "Delete voiceprints (and their keys) of grants that expired or were revoked; audited.") { sweepStore };
        sweep.SetAction(parse =>
        {
            using var s = TrustCommand.Open(parse, sweepStore);
            try
            {
                var r = s.SweepRetention();
                context.Out.WriteLine($"{r.GrantsEnded} ended grant(s), {r.VoiceprintsDeleted} voiceprint(s) deleted");
            }
            catch (PolicyStoreException e)
            {
                return PolicyCli.Refuse(context, RefusalReason.StoreCorrupt.ToCode(), e.Message);
            }

            return ExitCodes.Ok;
        });
        command.Subcommands.Add(show);
        command.Subcommands.Add(sweep);
        return command;
    }
}
