using System.CommandLine;
using AcousticCore.Pipeline;
using AcousticCore.Policy;

namespace AcousticCore.Cli.Commands;

/// <summary><c>acoustic trust init|add|list|revoke</c>: the sensor's store and the authority keys it trusts.</summary>
internal static class TrustCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("trust", "Sensor store: create it, trust authority keys, import revocations.");
        command.Subcommands.Add(Init(context));
        command.Subcommands.Add(Add(context));
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Revoke(context));
        return command;
    }

    private static Command Init(CliContext context)
    {
        var store = PolicyCli.StoreOption();
        var sensor = new Option<string>("--sensor") { Description = "This sensor's id (tokens must name it in their audience).", Required = true };
        var command = new Command("init", "Create a sensor store: sensor id, sensor signing key for audit checkpoints, default policy.") { store, sensor };
        command.SetAction(parse =>
        {
            var options = PolicyCli.Store(parse, store);
            try
            {
                using var s = SensorStore.Initialize(options, parse.GetValue(sensor)!);
                context.Out.WriteLine($"sensor store {s.Directory} created for sensor '{s.SensorId}'");
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException("--sensor: " + e.Message);
            }
            catch (PolicyStoreException e)
            {
                throw new CliUsageException(e.Message);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Add(CliContext context)
    {
        var store = PolicyCli.StoreOption();
        var pub = new Argument<string>("public-key") { Description = "Authority public key PEM (authority.pub.pem)." };
        var issuer = new Option<string?>("--issuer") { Description = "Authority name its tokens carry in iss (default: authority.json beside the key)." };
        var command = new Command("add", "Trust an authority's ES256 public key.") { pub, issuer, store };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(pub)!;
            if (!File.Exists(path)) throw new CliUsageException($"public key file not found: {path}");
            string name = parse.GetValue(issuer) ?? AuthorityCommand.IssuerBeside(path)
                ?? throw new CliUsageException("--issuer: not given and no authority.json beside the public key");
            using var s = Open(parse, store);
            try
            {
                var key = s.AddTrustedKey(File.ReadAllText(path), name);
                context.Out.WriteLine($"trusted key {key.KeyId} for issuer '{key.Issuer}' ({key.Algorithm})");
            }
            catch (PolicyStoreException e)
            {
                throw new CliInputException($"{path}: {e.Problem}");
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException("--issuer: " + e.Message);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var store = PolicyCli.StoreOption();
        var format = new Option<string?>("--format") { Description = "table, jsonl or csv." };
        var command = new Command("list", "List trusted authority keys.") { store, format };
        command.SetAction(parse =>
        {
            var fmt = CliContext.ParseFormat(parse.GetValue(format), RecordFormat.Table);
            using var s = Open(parse, store);
            var records = new List<ResultRecord>();
            foreach (var k in s.TrustedKeys())
            {
                records.Add(new ResultRecord("trusted_key").Add("kid", k.KeyId).Add("issuer", k.Issuer).Add("alg", k.Algorithm)
                    .Add("added_utc", k.AddedUtc.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
            }

            PolicyCli.WriteRecords(context, fmt, records);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(CliContext context)
    {
        var store = PolicyCli.StoreOption();
        var file = new Argument<string>("revocation-file") { Description = "Signed revocation entry from 'acoustic authority revoke'." };
        var command = new Command("revoke", "Import a signed revocation: the token is refused from now on and its voiceprints are deleted.") { file, store };
        command.SetAction(parse =>
        {
            string entry = PolicyCli.ReadTokenFile(parse.GetValue(file)!);
            using var s = Open(parse, store);
            var result = s.ImportRevocation(entry);
            if (result.TokenId is null || result.Reason != RefusalReason.None)
            {
                return PolicyCli.Refuse(context, result.ReasonCode, "revocation not imported: " + result.Detail);
            }

            context.Out.WriteLine($"revoked token {result.TokenId}");
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static SensorStore Open(ParseResult parse, Option<string?> store)
    {
        try
        {
            return SensorStore.Open(PolicyCli.Store(parse, store));
        }
        catch (PolicyStoreException e)
        {
            throw new CliInputException(e.Message);
        }
    }
}
