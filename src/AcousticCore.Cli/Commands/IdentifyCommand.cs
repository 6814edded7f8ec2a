using System.CommandLine;
using AcousticCore.Audio;
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
        var audio = new Argument<string[]>("audio") { Description = "Recordings to identify (WAV); each is one use of the token.", Arity = ArgumentArity.ZeroOrMore };
        var input = new Option<string?>("--input") { Description = "A stream instead of files: stdin (or -) or tcp://127.0.0.1:PORT; read to its end, one use." };
        var sampleFormat = new Option<string>("--sample-format") { Description = "Stream layout: wav (header) or s16le, s24le, s32le, f32le, u8.", DefaultValueFactory = _ => "wav" };
        var channels = new Option<int>("--channels") { Description = "Raw stream channels.", DefaultValueFactory = _ => 1 };
        var rate = new Option<int>("--rate") { Description = "Raw stream sample rate, Hz.", DefaultValueFactory = _ => 16000 };
        var command = new Command("identify", "Identify the token's named subjects in recordings (exit 4 when refused by policy).")
        {
            token, audio, input, sampleFormat, channels, rate, format, store,
        };
        command.SetAction(parse =>
        {
            var fmt = CliContext.ParseFormat(parse.GetValue(format), RecordFormat.Table);
            var inputs = new List<string>(parse.GetValue(audio) ?? []);
            string? stream = parse.GetValue(input);
            PcmStreamOptions? streamOptions = null;
            if (stream is not null)
            {
                if (!PcmStreamOptions.TryParse(parse.GetValue(sampleFormat), parse.GetValue(channels), parse.GetValue(rate), out streamOptions, out string? error))
                {
                    throw new CliUsageException(error);
                }

                inputs.Add(stream);
            }

            if (inputs.Count == 0) throw new CliUsageException("give at least one recording or --input");
            string tokenText = PolicyCli.ReadTokenFile(parse.GetValue(token)!);
            using var gate = EnrolCommand.OpenGate(parse, store, out int refusedExit, context);
            if (gate is null) return refusedExit;
            var verified = gate.VerifyToken(tokenText);
            if (!verified.IsGranted) return PolicyCli.Refuse(context, verified.ReasonCode, verified.Detail);

            var records = new List<ResultRecord>();
            foreach (string path in inputs)
            {
                IdentificationOutcome outcome;
                using (var source = streamOptions is not null && ReferenceEquals(path, stream)
                    ? OpenStream(path, streamOptions, context)
                    : PolicyCli.OpenAudio(path))
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

    private static IAudioSource OpenStream(string input, PcmStreamOptions options, CliContext context)
    {
        try
        {
            return AudioSourceFactory.OpenInput(input, options, context.OpenStdin);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException("--input: " + e.Message);
        }
    }
}
