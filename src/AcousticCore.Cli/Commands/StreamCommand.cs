using System.CommandLine;
using System.Globalization;
using AcousticCore.Arrays;
using AcousticCore.Audio;
using AcousticCore.Audio.Capture;
using AcousticCore.Classification;
using AcousticCore.Pipeline;

namespace AcousticCore.Cli.Commands;

/// <summary><c>acoustic stream</c>: live analysis of a PCM or WAV stream, one record per interval as soon as it is complete.</summary>
internal static class StreamCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Option<string>("--input") { Description = "stdin, tcp://127.0.0.1:PORT (listen on loopback for one sensor), alsa:DEVICE, cmd:\"PROGRAM ARGS\", or a file.", Required = true };
        var sampleFormat = new Option<string>("--sample-format") { Description = "s16le, s24le, s32le, f32le, u8, or wav (header read from the stream).", DefaultValueFactory = _ => "wav" };
        var channels = new Option<int>("--channels") { Description = "Interleaved channels of raw PCM (1–64).", DefaultValueFactory = _ => 1 };
        var rate = new Option<int>("--rate") { Description = "Sample rate of raw PCM in Hz (8000–192000).", DefaultValueFactory = _ => 48_000 };
        var format = new Option<string>("--format") { Description = "Output format: jsonl (default), csv, or table.", DefaultValueFactory = _ => "jsonl" };
        var output = new Option<string?>("--out") { Description = "Write records to this file instead of standard output." };
        var acceptTimeout = new Option<double?>("--accept-timeout") { Description = "tcp: seconds to wait for the sensor to connect (default: forever)." };
        var idleTimeout = new Option<double?>("--idle-timeout") { Description = "tcp: seconds without data before the stream is declared dead (default: forever)." };
        var stats = new Option<bool>("--stats") { Description = "Print audio seconds, wall and CPU seconds, real-time factor and peak memory to stderr at the end." };
        var classify = new Option<bool>("--classify") { Description = "Also classify the stream per window (records with \"analysis\":\"classify\"); jsonl only." };
        var model = new Option<string?>("--model") { Description = "Classifier model file for --classify (default: the built-in model)." };
        var classifyThreshold = ModelOption.Threshold("--classify-threshold");
        var geometry = new Option<string?>("--geometry") { Description = "Array geometry JSON: adds direction of arrival per window (\"analysis\":\"doa\"); jsonl only." };
        var doaWindow = new Option<double>("--doa-window") { Description = "Direction-of-arrival window in seconds (0.02–3600).", DefaultValueFactory = _ => 1.0 };
        var beamform = new Option<bool>("--beamform") { Description = "With --geometry: analyse (levels, classification) the delay-and-sum beam steered at the tracked source instead of the raw channels." };
        var voiceFeatures = new Option<bool>("--voice-features") { Description = "Also write voice features (\"analysis\":\"voice\"): segments and a summary per --voice-chunk; jsonl only." };
        var voiceChunk = new Option<double>("--voice-chunk") { Description = "Seconds of audio per voice analysis (1–600).", DefaultValueFactory = _ => 30.0 };
        var duration = new Option<double?>("--duration") { Description = "alsa:/cmd: inputs: stop after this many seconds." };
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
        command.Options.Add(classify);
        command.Options.Add(model);
        command.Options.Add(classifyThreshold);
        command.Options.Add(geometry);
        command.Options.Add(doaWindow);
        command.Options.Add(beamform);
        command.Options.Add(voiceFeatures);
        command.Options.Add(voiceChunk);
        command.Options.Add(duration);
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
            string? geometryFile = parse.GetValue(geometry);
            bool extras = parse.GetValue(classify) || geometryFile is not null || parse.GetValue(voiceFeatures);
            if (extras && recordFormat != RecordFormat.Jsonl)
            {
                throw new CliUsageException("--classify/--geometry/--voice-features add records of other kinds: use --format jsonl");
            }

            double voiceChunkS = parse.GetValue(voiceChunk);
            if (!double.IsFinite(voiceChunkS) || voiceChunkS < 1 || voiceChunkS > 600)
            {
                throw new CliUsageException($"--voice-chunk {voiceChunkS.ToString(CultureInfo.InvariantCulture)}: must be 1..600 seconds");
            }

            if (parse.GetValue(beamform) && geometryFile is null) throw new CliUsageException("--beamform needs --geometry");
            double doaWindowS = parse.GetValue(doaWindow);
            if (!double.IsFinite(doaWindowS) || doaWindowS < 0.02 || doaWindowS > 3600)
            {
                throw new CliUsageException($"--doa-window {doaWindowS.ToString(CultureInfo.InvariantCulture)}: must be 0.02..3600 seconds");
            }

            var arrayGeometry = geometryFile is null ? null : DoaCommand.LoadGeometry(geometryFile);
            if (!parse.GetValue(classify) && parse.GetValue(classifyThreshold) is not null) throw new CliUsageException("--classify-threshold needs --classify");
            if (!parse.GetValue(classify) && parse.GetValue(model) is not null) throw new CliUsageException("--model needs --classify");
            var classifierModel = parse.GetValue(classify) ? ModelOption.Load(parse.GetValue(model), parse.GetValue(classifyThreshold), "--classify-threshold") : null;
            IAudioSource source = Open(context, inputName, pcm, parse.GetValue(duration));

            var statistics = new RunStatistics();
            TextWriter writer;
            try
            {
                writer = OutputTarget.Open(context, parse.GetValue(output));
            }
            catch
            {
                source.Dispose(); // a listening socket or capture process must not outlive a bad --out
                throw;
            }

            try
            {
                IRecordWriter? extraWriter = extras ? new JsonLinesRecordWriter(writer) : null;
                if (arrayGeometry is not null)
                {
                    try
                    {
                        arrayGeometry.ValidateChannels(source.Format.Channels, source.Name);
                    }
                    catch (ArrayGeometryException e)
                    {
                        source.Dispose();
                        throw new CliInputException(e.Message);
                    }

                    source = new ObservedAudioSource(source, new StreamDoaObserver(arrayGeometry, source.Format.SampleRate, doaWindowS, extraWriter!, source.Name));
                    if (parse.GetValue(beamform))
                    {
                        source = new BeamformedSource(source, arrayGeometry, new BeamformedSourceOptions { Track = true });
                    }
                }

                if (parse.GetValue(voiceFeatures))
                {
                    source = new ObservedAudioSource(source, new StreamVoiceObserver(source.Format, voiceChunkS, extraWriter!, source.Name));
                }

                if (classifierModel is not null)
                {
                    source = new ObservedAudioSource(source, new StreamClassifyObserver(classifierModel, source.Format, extraWriter!, source.Name));
                }

                using (source)
                {
                    var sink = RecordSinks.Create(recordFormat, writer, AnalysisFields.All(source.Format.SampleRate, options, withLatency: true), withLatency: true);
                    long processed = AnalysisRunner.Run(source, options, sink, _ => statistics.SampleMemory());
                    sink.Finish();
                    statistics.AddAudio((double)processed / source.Format.SampleRate, source.Format.Channels);
                    context.ReportDiagnostics(source);
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

    private static IAudioSource Open(CliContext context, string inputName, PcmStreamOptions pcm, double? durationS)
    {
        try
        {
            if (CaptureSourceFactory.IsCaptureInput(inputName))
            {
                if (pcm.DetectWavHeader)
                {
                    throw new CliUsageException("alsa:/cmd: inputs need a raw --sample-format (s16le, s24le, s32le, f32le or u8) with --channels and --rate");
                }

                var options = new CaptureOptions(pcm.SampleFormat, pcm.Channels, pcm.SampleRateHz)
                {
                    MaxFrames = durationS is { } d && d > 0 ? Math.Max(1, (long)Math.Round(d * pcm.SampleRateHz)) : null,
                };
                return CaptureSourceFactory.Open(inputName, options);
            }

            return AudioSourceFactory.OpenInput(inputName, pcm, context.OpenStdin);
        }
        catch (AudioCaptureException e)
        {
            throw new CliInputException(e.Message);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"--input: {e.Message}");
        }
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
