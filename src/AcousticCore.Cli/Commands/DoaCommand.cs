using System.CommandLine;
using System.Globalization;
using AcousticCore.Arrays;
using AcousticCore.Audio;
using AcousticCore.Audio.Capture;
using AcousticCore.Pipeline;

namespace AcousticCore.Cli.Commands;

/// <summary>
/// <c>acoustic doa PATH|--input SPEC --geometry FILE</c>: direction of arrival per window (SRP-PHAT) and a
/// per-input summary with the dominant direction.
/// </summary>
internal static class DoaCommand
{
    private const int BlockFrames = 4096;

    public static Command Create(CliContext context)
    {
        var path = new Argument<string?>("PATH") { Description = "Multichannel WAV file (channel i = microphone i of the geometry).", Arity = ArgumentArity.ZeroOrOne };
        var input = new Option<string?>("--input") { Description = "Instead of PATH: alsa:DEVICE, cmd:\"PROGRAM ARGS\" (raw PCM on stdout), stdin, tcp://127.0.0.1:PORT or a file." };
        var geometry = new Option<string>("--geometry") { Description = "Array geometry JSON file (microphone positions in metres).", Required = true };
        var format = new Option<string>("--format") { Description = "Output format: table, jsonl or csv.", DefaultValueFactory = _ => "table" };
        var window = new Option<double>("--window") { Description = "Analysis window in seconds (0.02..3600).", DefaultValueFactory = _ => 1.0 };
        var sources = new Option<int>("--sources") { Description = "Directions reported per window: the N strongest SRP peaks (1..8).", DefaultValueFactory = _ => 1 };
        var track = new Option<bool>("--track") { Description = "Add tracked_azimuth_deg: the strongest direction smoothed across windows." };
        var frame = new Option<int>("--frame") { Description = "FFT frame length in samples, a power of two (64..16384); hop is half.", DefaultValueFactory = _ => 1024 };
        var minHz = new Option<double>("--min-frequency") { Description = "Lowest analysed frequency in Hz.", DefaultValueFactory = _ => 200 };
        var maxHz = new Option<double>("--max-frequency") { Description = "Highest analysed frequency in Hz (clamped below Nyquist).", DefaultValueFactory = _ => 8000 };
        var sampleFormat = new Option<string>("--sample-format") { Description = "Raw or captured sample format: s16le, s24le, s32le, f32le, u8 (wav for stdin/tcp WAV streams).", DefaultValueFactory = _ => "s16le" };
        var rate = new Option<int>("--rate") { Description = "Sample rate in Hz of raw or captured input.", DefaultValueFactory = _ => 48000 };
        var channels = new Option<int?>("--channels") { Description = "Channel count of raw or captured input (default: the geometry's microphone count)." };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds of audio (for live capture)." };
        var idle = new Option<double>("--idle-timeout") { Description = "cmd: input only: fail when the program writes nothing for this many seconds.", DefaultValueFactory = _ => 10 };

        var command = new Command("doa", "Direction of arrival from a microphone array (SRP-PHAT): per-window azimuth (elevation for 3-D arrays, angle from the axis for linear arrays) and a dominant direction per input.");
        command.Arguments.Add(path);
        foreach (var o in new Option[] { input, geometry, format, window, sources, track, frame, minHz, maxHz, sampleFormat, rate, channels, duration, idle })
        {
            command.Options.Add(o);
        }

        command.SetAction(parse =>
        {
            var recordFormat = CliContext.ParseFormat(parse.GetValue(format), RecordFormat.Table);
            string? pathValue = parse.GetValue(path), inputValue = parse.GetValue(input);
            if ((pathValue is null) == (inputValue is null)) throw new CliUsageException("doa: give either PATH or --input (exactly one)");
            double windowS = parse.GetValue(window);
            if (!double.IsFinite(windowS) || windowS < 0.02 || windowS > 3600) throw new CliUsageException($"--window {windowS.ToString(CultureInfo.InvariantCulture)}: must be 0.02..3600 seconds");
            double? durationS = parse.GetValue(duration);
            if (durationS is { } d && (!double.IsFinite(d) || d <= 0)) throw new CliUsageException("--duration: must be a positive number of seconds");
            double idleS = parse.GetValue(idle);
            if (!double.IsFinite(idleS) || idleS <= 0) throw new CliUsageException("--idle-timeout: must be a positive number of seconds");

            var array = LoadGeometry(parse.GetValue(geometry)!);
            SrpPhatOptions locatorOptions;
            try
            {
                locatorOptions = new SrpPhatOptions
                {
                    FrameSize = parse.GetValue(frame),
                    MinFrequencyHz = parse.GetValue(minHz),
                    MaxFrequencyHz = parse.GetValue(maxHz),
                    MaxSources = parse.GetValue(sources),
                };
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new CliUsageException(OptionMessage(e));
            }

            var raw = new RawInput(parse.GetValue(sampleFormat) ?? "s16le", parse.GetValue(channels) ?? array.Count, parse.GetValue(rate), durationS, idleS);
            using var source = Open(context, pathValue ?? inputValue!, pathValue is not null, raw);
            try
            {
                array.ValidateChannels(source.Format.Channels, source.Name);
            }
            catch (ArrayGeometryException e)
            {
                throw new CliInputException(e.Message);
            }

            DoaWindowAnalyzer analyzer;
            try
            {
                analyzer = new DoaWindowAnalyzer(array, source.Format.SampleRate, windowS, locatorOptions, parse.GetValue(track) ? new DirectionTrackerOptions() : null);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new CliUsageException($"doa: {OptionMessage(e)}");
            }

            if (array.SpatialAliasingWarning(locatorOptions.EffectiveMaxFrequencyHz(source.Format.SampleRate), locatorOptions.SpeedOfSoundMps) is { } warning)
            {
                context.Error.WriteLine($"acoustic: warning: {warning}; lower --max-frequency to avoid it");
            }

            var writer = CreateWriter(recordFormat, context.Out, analyzer.Locator.ReportsElevation, locatorOptions.MaxSources > 1, parse.GetValue(track));
            long? maxFrames = durationS is { } ds ? Math.Max(1, (long)Math.Round(ds * source.Format.SampleRate)) : null;
            Run(source, analyzer, parse.GetValue(track), maxFrames, writer);
            context.ReportDiagnostics(source);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Runs SRP-PHAT over the source window by window and writes window and summary records.</summary>
    internal static void Run(IAudioSource source, DoaWindowAnalyzer analyzer, bool track, long? maxFrames, IRecordWriter writer)
    {
        int rate = source.Format.SampleRate, ch = source.Format.Channels;
        var block = new float[BlockFrames * ch];
        var sink = new WindowRecordSink(writer, source.Name, rate, analyzer.Locator.ReportsElevation, analyzer.Locator.Options.MaxSources > 1, track);
        long framesTotal = 0;
        while (maxFrames is null || framesTotal < maxFrames)
        {
            int want = block.Length;
            if (maxFrames is { } max) want = (int)Math.Min(want, (max - framesTotal) * ch);
            int got = source.Read(block.AsSpan(0, want));
            if (got == 0) break;
            framesTotal += got / ch;
            analyzer.Push(block.AsSpan(0, got), sink);
        }

        analyzer.Finish(sink);
        bool elevation = analyzer.Locator.ReportsElevation;
        var summary = new ResultRecord("summary")
            .Add("file", source.Name)
            .Add("duration_s", (double)framesTotal / rate)
            .Add("windows", analyzer.Windows);
        if (analyzer.Dominant() is { } dominant)
        {
            summary.Add("azimuth_deg", Math.Round(dominant.AzimuthDeg, 2));
            if (elevation) summary.Add("elevation_deg", Math.Round(dominant.ElevationDeg, 2));
            summary.Add("power", Math.Round(dominant.Power, 4));
        }
        else
        {
            summary.AddNull("azimuth_deg");
            if (elevation) summary.AddNull("elevation_deg");
            summary.AddNull("power");
        }

        if (source is AlsaCaptureSource alsa) summary.Add("overruns", alsa.Overruns);
        writer.Write(summary);
        writer.Flush();
    }

    /// <summary>Turns each finished window into one record per reported direction.</summary>
    private sealed class WindowRecordSink(IRecordWriter writer, string name, int rate, bool elevation, bool ranked, bool track) : IDoaWindowSink
    {
        public void OnWindow(in DoaWindow window, ReadOnlySpan<DoaEstimate> peaks)
        {
            for (int p = 0; p < peaks.Length; p++)
            {
                var r = new ResultRecord("window")
                    .Add("file", name)
                    .Add("time_s", (double)window.StartSample / rate)
                    .Add("duration_s", (double)window.LengthSamples / rate);
                if (ranked) r.Add("rank", (long)(p + 1));
                r.Add("azimuth_deg", Math.Round(peaks[p].AzimuthDeg, 2));
                if (elevation) r.Add("elevation_deg", Math.Round(peaks[p].ElevationDeg, 2));
                r.Add("power", Math.Round(peaks[p].Power, 4));
                if (track)
                {
                    r.Add("tracked_azimuth_deg", Math.Round(window.Tracked.AzimuthDeg, 2));
                    if (elevation) r.Add("tracked_elevation_deg", Math.Round(window.Tracked.ElevationDeg, 2));
                }

                writer.Write(r);
            }

            writer.Flush();
        }
    }

    internal static ArrayGeometry LoadGeometry(string file)
    {
        if (!File.Exists(file)) throw new CliUsageException($"--geometry: file not found: {file}");
        try
        {
            return ArrayGeometry.Load(file);
        }
        catch (ArrayGeometryException e)
        {
            throw new CliInputException(e.Message);
        }
    }

    private sealed record RawInput(string SampleFormat, int Channels, int Rate, double? DurationS, double IdleS);

    private static IAudioSource Open(CliContext context, string spec, bool isPath, RawInput raw)
    {
        if (isPath) return AudioSourceFactory.OpenFile(spec);
        try
        {
            if (CaptureSourceFactory.IsCaptureInput(spec))
            {
                if (!SampleFormats.TryParse(raw.SampleFormat, out var sf)) throw new CliUsageException($"--sample-format '{raw.SampleFormat}': capture needs s16le, s24le, s32le, f32le or u8");
                var check = AudioFormat.Validate(raw.Rate, raw.Channels);
                if (check is not null) throw new CliUsageException($"--rate/--channels: {check}");
                var options = new CaptureOptions(sf, raw.Channels, raw.Rate)
                {
                    MaxFrames = raw.DurationS is { } d ? Math.Max(1, (long)Math.Round(d * raw.Rate)) : null,
                    IdleTimeout = TimeSpan.FromSeconds(raw.IdleS),
                };
                return CaptureSourceFactory.Open(spec, options);
            }

            if (!PcmStreamOptions.TryParse(raw.SampleFormat, raw.Channels, raw.Rate, out var pcm, out string? error))
            {
                throw new CliUsageException(error);
            }

            return AudioSourceFactory.OpenInput(spec, pcm, context.OpenStdin);
        }
        catch (AudioCaptureException e)
        {
            throw new CliInputException(e.Message);
        }
    }

    private static string OptionMessage(ArgumentOutOfRangeException e)
    {
        string message = e.Message;
        int paren = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        if (paren > 0) message = message[..paren];
        return $"{e.ParamName}: {message.ReplaceLineEndings(" ")}";
    }

    private static IRecordWriter CreateWriter(RecordFormat format, TextWriter output, bool elevation, bool ranked, bool track)
    {
        var columns = new List<string> { "kind", "file", "time_s", "duration_s" };
        if (ranked) columns.Add("rank");
        columns.Add("azimuth_deg");
        if (elevation) columns.Add("elevation_deg");
        columns.Add("power");
        if (track)
        {
            columns.Add("tracked_azimuth_deg");
            if (elevation) columns.Add("tracked_elevation_deg");
        }

        columns.Add("windows");
        columns.Add("overruns");
        switch (format)
        {
            case RecordFormat.Jsonl:
                return new JsonLinesRecordWriter(output);
            case RecordFormat.Csv:
                var csv = new CsvRecordWriter(output);
                csv.SetHeader(columns);
                return csv;
            default:
                return new TableWriter(output, columns);
        }
    }

    /// <summary>Streams records as fixed-width columns (a table must print while live capture runs).</summary>
    private sealed class TableWriter(TextWriter output, IReadOnlyList<string> columns) : IRecordWriter
    {
        private bool _headerWritten;

        public void Write(ResultRecord record)
        {
            if (!_headerWritten)
            {
                output.WriteLine(string.Join(' ', columns.Select(c => Cell(c, c == "file"))));
                _headerWritten = true;
            }

            output.WriteLine(string.Join(' ', columns.Select(c => Cell(RecordValueFormat.ToText(record[c]) ?? "", c == "file"))));
        }

        public void Flush() => output.Flush();

        private static string Cell(string text, bool wide) => wide ? text.PadRight(24) : text.PadLeft(Math.Max(10, text.Length));
    }
}
