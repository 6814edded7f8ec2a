using System.CommandLine;
using AcousticCore.Audio;
using AcousticCore.Policy;

namespace AcousticCore.Cli.Commands;

/// <summary><c>acoustic enrol --token FILE --subject ID CLIP...</c>: build a subject's voiceprint under a grant.</summary>
internal static class EnrolCommand
{
    public static Command Create(CliContext context)
    {
        var store = PolicyCli.StoreOption();
        var token = new Option<string>("--token") { Description = "Grant token file (scope voice:enrol).", Required = true };
        var subject = new Option<string>("--subject") { Description = "Subject to enrol; must be named by the token.", Required = true };
        var clips = new Argument<string[]>("clip") { Description = "Audio clips of the subject (WAV).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("enrol", "Enrol a named subject's voice under a signed grant (exit 4 when refused by policy).") { token, subject, clips, store };
        command.SetAction(parse =>
        {
            string tokenText = PolicyCli.ReadTokenFile(parse.GetValue(token)!);
            using var gate = OpenGate(parse, store, out int refusedExit, context);
            if (gate is null) return refusedExit;
            var verified = gate.VerifyToken(tokenText);
            if (!verified.IsGranted) return PolicyCli.Refuse(context, verified.ReasonCode, verified.Detail);

            var sources = new List<IAudioSource>();
            try
            {
                foreach (string path in parse.GetValue(clips)!) sources.Add(PolicyCli.OpenAudio(path));
                var outcome = gate.Enrol(verified.Grant!, parse.GetValue(subject)!, sources);
                if (outcome.Reason == RefusalReason.AudioUnusable) throw new CliInputException("audio unusable: " + outcome.Detail);
                if (!outcome.IsAllowed) return PolicyCli.Refuse(context, outcome.ReasonCode, outcome.Detail);
                context.Out.WriteLine($"enrolled '{outcome.Subject}' from {outcome.AudioDurationSeconds:F2} s of audio; {outcome.UsesRemaining} use(s) left on token {verified.Grant!.TokenId}");
                return ExitCodes.Ok;
            }
            finally
            {
                foreach (var s in sources) s.Dispose();
            }
        });
        return command;
    }

    /// <summary>Opens the gate; an unusable store is a policy refusal (fail closed), reported with exit 4.</summary>
    internal static VoiceIdentificationService? OpenGate(ParseResult parse, Option<string?> store, out int exit, CliContext context)
    {
        try
        {
            exit = ExitCodes.Ok;
            return VoiceIdentificationService.Open(PolicyCli.Store(parse, store));
        }
        catch (PolicyStoreException e)
        {
            exit = PolicyCli.Refuse(context, RefusalReason.StoreCorrupt.ToCode(), e.Message);
            return null;
        }
    }
}
