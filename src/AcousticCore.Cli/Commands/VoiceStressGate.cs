using System.CommandLine;
using AcousticCore.Policy;

namespace AcousticCore.Cli.Commands;

/// <summary>
/// The deployment policy's <c>voice_stress_requires_token</c>: when the sensor store has it set, voice
/// stress-pattern features need a valid grant for this sensor too (any voice scope), verified and
/// audited like identification. Without a sensor store there is no policy to apply.
/// </summary>
internal static class VoiceStressGate
{
    /// <summary>Null when features may be computed, else the exit code of the refusal (already reported).</summary>
    public static int? Check(CliContext context, ParseResult parse, Option<string?> store, Option<string?> token)
    {
        var options = PolicyCli.Store(parse, store);
        bool explicitStore = !string.IsNullOrWhiteSpace(parse.GetValue(store));
        if (!explicitStore && !File.Exists(Path.Combine(options.Directory, "sensor.json"))) return null;

        using var gate = EnrolCommand.OpenGate(parse, store, out int refusedExit, context);
        if (gate is null) return refusedExit; // an unusable store fails closed
        if (!gate.Store.Policy.VoiceStressRequiresToken) return null;

        string tokenText = parse.GetValue(token) is { } file ? PolicyCli.ReadTokenFile(file) : string.Empty;
        var verified = gate.VerifyToken(tokenText);
        return verified.IsGranted ? null : PolicyCli.Refuse(context, verified.ReasonCode, verified.Detail);
    }
}
