using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using AcousticCore.Policy;

namespace AcousticCore.Cli.Commands;

/// <summary><c>acoustic authority keygen|issue|revoke</c>: the authorising body's tools (ES256 keys, grant tokens, revocations).</summary>
internal static class AuthorityCommand
{
    private const string PrivateFile = "authority.key.pem";
    private const string PublicFile = "authority.pub.pem";
    private const string InfoFile = "authority.json";

    public static Command Create(CliContext context)
    {
        var command = new Command("authority", "Authority tools: make a signing key, issue grant tokens, sign revocations.");
        command.Subcommands.Add(Keygen(context));
        command.Subcommands.Add(Issue(context));
        command.Subcommands.Add(Revoke(context));
        return command;
    }

    private static Command Keygen(CliContext context)
    {
        var outDir = new Option<string>("--out") { Description = "Directory for authority.key.pem (mode 0600), authority.pub.pem and authority.json.", Required = true };
        var issuer = new Option<string>("--issuer") { Description = "Authority name written to every token's iss claim.", Required = true };
        var command = new Command("keygen", "Generate an ES256 (ECDSA P-256) authority key pair.") { outDir, issuer };
        command.SetAction(parse =>
        {
            string dir = parse.GetValue(outDir)!;
            string privatePath = Path.Combine(dir, PrivateFile);
            if (File.Exists(privatePath)) throw new CliUsageException($"--out: {privatePath} already exists; refusing to overwrite a key");
            AuthorityKey key;
            try
            {
                key = AuthorityKey.Generate(parse.GetValue(issuer)!);
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException("--issuer: " + e.Message);
            }

            using (key)
            {
                Directory.CreateDirectory(dir);
                WriteFile(privatePath, key.ExportPrivateKeyPem(), ownerOnly: true);
                WriteFile(Path.Combine(dir, PublicFile), key.ExportPublicKeyPem(), ownerOnly: false);
                WriteFile(Path.Combine(dir, InfoFile), JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["kid"] = key.KeyId, ["issuer"] = key.Issuer, ["alg"] = "ES256",
                }) + "\n", ownerOnly: false);
                context.Out.WriteLine($"key id      {key.KeyId}");
                context.Out.WriteLine($"issuer      {key.Issuer}");
                context.Out.WriteLine($"private key {privatePath} (mode 0600: keep it offline)");
                context.Out.WriteLine($"public key  {Path.Combine(dir, PublicFile)} (give to sensors: acoustic trust add)");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Issue(CliContext context)
    {
        var keyFile = new Option<string>("--key") { Description = "Authority private key (authority.key.pem).", Required = true };
        var subjects = new Option<string[]>("--subject") { Description = "A named subject (repeat for more; no wildcards).", Required = true };
        var sensors = new Option<string[]>("--sensor") { Description = "Sensor id the token may be used on (repeat for more).", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = "voice:identify or voice:enrol (repeat for both).", Required = true };
        var caseRef = new Option<string>("--case") { Description = "Case or warrant reference.", Required = true };
        var purpose = new Option<string>("--purpose") { Description = "Purpose of the authorisation.", Required = true };
        var validFrom = new Option<string>("--valid-from") { Description = "Start of validity: 'now' or ISO 8601 (UTC if no offset).", DefaultValueFactory = _ => "now" };
        var validFor = new Option<string>("--valid-for") { Description = "Length of validity, e.g. 12h or 7d.", Required = true };
        var maxUses = new Option<int>("--max-uses") { Description = "Number of enrol/identify operations allowed.", Required = true };
        var issuer = new Option<string?>("--issuer") { Description = "Authority name (default: from authority.json beside the key)." };
        var tokenId = new Option<string?>("--token-id") { Description = "Token id (jti); random when omitted." };
        var command = new Command("issue", "Issue a signed grant token and print it.")
        {
            keyFile, subjects, sensors, scopes, caseRef, purpose, validFrom, validFor, maxUses, issuer, tokenId,
        };
        command.SetAction(parse =>
        {
            var scope = GrantScopes.None;
            foreach (string s in parse.GetValue(scopes)!)
            {
                if (!GrantScopeNames.TryParse(s, out var one)) throw new CliUsageException($"--scope: unknown scope '{s}' (use voice:identify or voice:enrol)");
                scope |= one;
            }

            foreach (string s in parse.GetValue(subjects)!)
            {
                if (s.AsSpan().IndexOfAny("*?%") >= 0) throw new CliUsageException($"--subject: '{s}' is a wildcard; name each subject");
            }

            int uses = parse.GetValue(maxUses);
            if (uses < 1) throw new CliUsageException("--max-uses: must be at least 1");
            using var key = LoadKey(parse.GetValue(keyFile)!, parse.GetValue(issuer));
            var request = new GrantRequest
            {
                Subjects = parse.GetValue(subjects)!,
                Sensors = parse.GetValue(sensors)!,
                Scopes = scope,
                CaseReference = parse.GetValue(caseRef)!,
                Purpose = parse.GetValue(purpose)!,
                ValidFrom = PolicyCli.ParseTime(parse.GetValue(validFrom)!, "--valid-from", TimeProvider.System),
                ValidFor = PolicyCli.ParseDuration(parse.GetValue(validFor)!, "--valid-for"),
                MaxUses = uses,
                TokenId = parse.GetValue(tokenId),
            };
            try
            {
                context.Out.WriteLine(key.IssueToken(request));
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException(e.Message);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(CliContext context)
    {
        var keyFile = new Option<string>("--key") { Description = "Authority private key (authority.key.pem).", Required = true };
        var tokenId = new Option<string>("--token-id") { Description = "Id (jti) of the token to revoke.", Required = true };
        var issuer = new Option<string?>("--issuer") { Description = "Authority name (default: from authority.json beside the key)." };
        var command = new Command("revoke", "Print a signed revocation entry for a token id (import on sensors with 'acoustic trust revoke').")
        {
            keyFile, tokenId, issuer,
        };
        command.SetAction(parse =>
        {
            using var key = LoadKey(parse.GetValue(keyFile)!, parse.GetValue(issuer));
            string jti = parse.GetValue(tokenId)!;
            if (string.IsNullOrWhiteSpace(jti)) throw new CliUsageException("--token-id: empty");
            context.Out.WriteLine(key.CreateRevocation(jti, DateTimeOffset.UtcNow));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Reads the issuer name from authority.json beside a key or public key file.</summary>
    internal static string? IssuerBeside(string keyPath)
    {
        string info = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(keyPath))!, InfoFile);
        if (!File.Exists(info)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(info));
            return doc.RootElement.TryGetProperty("issuer", out var v) ? v.GetString() : null;
        }
        catch (JsonException e)
        {
            throw new CliInputException($"{info}: not valid JSON ({e.Message})");
        }
    }

    private static AuthorityKey LoadKey(string path, string? issuer)
    {
        if (!File.Exists(path)) throw new CliUsageException($"--key: file not found: {path}");
        issuer ??= IssuerBeside(path) ?? throw new CliUsageException("--issuer: not given and no authority.json beside the key");
        try
        {
            return AuthorityKey.FromPrivateKeyPem(File.ReadAllText(path), issuer);
        }
        catch (ArgumentException e)
        {
            throw new CliInputException($"{path}: {e.Message}");
        }
    }

    private static void WriteFile(string path, string text, bool ownerOnly)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (ownerOnly && !OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var fs = new FileStream(path, options);
            using var w = new StreamWriter(fs);
            w.Write(text);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new CliUsageException($"--out: {path} already exists; refusing to overwrite");
        }

        if (ownerOnly && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
