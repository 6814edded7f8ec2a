using System.CommandLine;
using AcousticCore.Audio;
using AcousticCore.Pipeline;

namespace AcousticCore.Cli.Commands;

/// <summary><c>acoustic stream</c>: live analysis of a PCM or WAV stream, one record per interval as soon as it is complete.</summary>
internal static class StreamCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Option<string>("--input") { Description = "stdin, tcp://127.0.0.1:PORT (listen on loopback for one sensor), or a file.", Required = true };
        var sampleFormat = new Option<string>("--sample-format") { Description = "s16le, s24le, s32le, f32le, u8, or wav (header read from the stream).", DefaultValueFactory = _ => "wav" };
        var channels = new Option<int>("--channels") { Description = "Interleaved channels of raw PCM (1–64).", DefaultValueFactory = _ => 1 };
        var rate = new Option<int>("--rate") { Description = "Sample rate of raw PCM in Hz (8000–192000).", DefaultValueFactory = _ => 48_000 };
        var format = new Option<string>("--format") { Description = "Output format: jsonl (default), csv, or table.", DefaultValueFactory = _ => "jsonl" };
        var output = new Option<string?>("--out") { Description = "Write records to this file instead of standard output." };
        var acceptTimeout = new Option<double?>("--accept-timeout") { Description = "tcp: seconds to wait for the sensor to connect (default: forever)." };
        var idleTimeout = new Option<double?>("--idle-timeout") { Description = "tcp: seconds without data before the stream is declared dead (default: forever)." };
        var stats = new Option<bool>("--stats") { Description = "Print audio seconds, wall and CPU seconds, real-time factor and peak memory to stderr at the end." };
        var chain = new ChainOptions();
        var command = new Command("stream", "Analyse a live PCM/WAV stream from stdin, a TCP sensor or a file; prints each interval record when it completes, with latency_ms.");
        command.Options.Add(input);
        command.Options.Add(sampleFormat);
        command.Options.Add(channels);
        command.Options.Add(rate);
        command.Options.Add(format);
        command.Options.Add(output);
        command.Options.Add(acceptTimeout);
        command.Options.Add(idleTimeout);
        command.Options.Add(stats);
        chain.AddTo(command);
        command.SetAction(parse =>
        {
            var recordFormat = CliContext.ParseFormat(parse.GetValue(format), RecordFormat.Jsonl);
            var options = chain.Read(parse);
            if (!PcmStreamOptions.TryParse(parse.GetValue(sampleFormat), parse.GetValue(channels), parse.GetValue(rate), out var pcm, out string? error))
            {
                throw new CliUsageException(error);
            }

            try
            {
                pcm = WithTimeouts(pcm, parse.GetValue(acceptTimeout), parse.GetValue(idleTimeout));
            }
            catch (Exception e) when (e is ArgumentException or OverflowException)
            {
                throw new CliUsageException("--accept-timeout/--idle-timeout: must be a positive number of seconds");
            }

            string inputName = parse.GetValue(input)!;
            IAudioSource source;
            try
            {
                source = AudioSourceFactory.OpenInput(inputName, pcm, context.OpenStdin);
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException($"--input: {e.Message}");
            }

            var statistics = new RunStatistics();
            TextWriter writer = OutputTarget.Open(context, parse.GetValue(output));
            try
            {
                using (source)
                {
                    var sink = RecordSinks.Create(recordFormat, writer, AnalysisFields.All(
                        new StreamAnalyzer(source.Format, options, source.Name).Bands, withLatency: true), withLatency: true);
                    long processed = AnalysisRunner.Run(source, options, sink, _ => statistics.SampleMemory());
                    sink.Finish();
                    statistics.AddAudio((double)processed / source.Format.SampleRate, source.Format.Channels);
                    AnalyzeCommand.ReportDiagnostics(context, source);
                }

                if (parse.GetValue(stats)) statistics.Print(context.Error);
                return ExitCodes.Ok;
            }
            finally
            {
                if (!ReferenceEquals(writer, context.Out)) writer.Dispose();
                else writer.Flush();
            }
        });
        return command;
    }

    private static PcmStreamOptions WithTimeouts(PcmStreamOptions pcm, double? accept, double? idle)
    {
        if (accept is null && idle is null) return pcm;
        TimeSpan? a = accept is { } x ? TimeSpan.FromSeconds(x) : null;
        TimeSpan? i = idle is { } y ? TimeSpan.FromSeconds(y) : null;
        return pcm.DetectWavHeader
            ? PcmStreamOptions.WavWithTimeouts(a, i)
            : new PcmStreamOptions(pcm.SampleFormat, pcm.Channels, pcm.SampleRateHz) { AcceptTimeout = a, IdleTimeout = i };
    }
}
