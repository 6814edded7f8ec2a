using System.CommandLine;
using AcousticCore.Pipeline;
using AcousticCore.Policy;

namespace AcousticCore.Cli.Commands;

/// <summary><c>acoustic identify --token FILE AUDIO...</c>: score recordings against the token's named subjects only.</summary>
internal static class IdentifyCommand
{
    public static Command Create(CliContext context)
    {
        var store = PolicyCli.StoreOption();
        var token = new Option<string>("--token") { Description = "Grant token file (scope voice:identify).", Required = true };
        var format = new Option<string?>("--format") { Description = "table, jsonl or csv." };
        var audio = new Argument<string[]>("audio") { Description = "Recordings to identify (WAV); each is one use of the token.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("identify", "Identify the token's named subjects in recordings (exit 4 when refused by policy).") { token, audio, format, store };
        command.SetAction(parse =>
        {
            var fmt = CliContext.ParseFormat(parse.GetValue(format), RecordFormat.Table);
            string tokenText = PolicyCli.ReadTokenFile(parse.GetValue(token)!);
            using var gate = EnrolCommand.OpenGate(parse, store, out int refusedExit, context);
            if (gate is null) return refusedExit;
            var verified = gate.VerifyToken(tokenText);
            if (!verified.IsGranted) return PolicyCli.Refuse(context, verified.ReasonCode, verified.Detail);

            var records = new List<ResultRecord>();
            foreach (string path in parse.GetValue(audio)!)
            {
                IdentificationOutcome outcome;
                using (var source = PolicyCli.OpenAudio(path))
                {
                    outcome = gate.Identify(verified.Grant!, source);
                }

                if (outcome.Reason == RefusalReason.AudioUnusable) throw new CliInputException($"{path}: audio unusable: {outcome.Detail}");
                if (!outcome.IsAllowed)
                {
                    if (records.Count > 0) PolicyCli.WriteRecords(context, fmt, records);
                    return PolicyCli.Refuse(context, outcome.ReasonCode, outcome.Detail);
                }

                foreach (var s in outcome.Scores)
                {
                    var r = new ResultRecord("identification").Add("file", path).Add("time_s", 0.0)
                        .Add("duration_s", outcome.AudioDurationSeconds).Add("subject", s.Subject).Add("enrolled", s.Enrolled);
                    if (s.Enrolled) r.Add("score", s.ScoreLlr);
                    else r.AddNull("score");
                    r.Add("match", s.IsMatch).Add("threshold", outcome.ThresholdLlr).Add("model_id", outcome.ModelId);
                    records.Add(r);
                }
            }

            PolicyCli.WriteRecords(context, fmt, records);
            return ExitCodes.Ok;
        });
        return command;
    }
}
