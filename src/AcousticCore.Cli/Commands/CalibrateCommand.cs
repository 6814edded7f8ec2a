using System.CommandLine;
using System.Globalization;
using AcousticCore.Audio;
using AcousticCore.Levels;
using AcousticCore.Pipeline;

namespace AcousticCore.Cli.Commands;

/// <summary>
/// <c>acoustic calibrate FILE --reference-db 94</c>: derives the calibration offset (dB to add to
/// dBFS) from a recording of an acoustic calibrator tone.
/// </summary>
internal static class CalibrateCommand
{
    /// <summary>Longest part of a recording that is read (a calibration needs seconds, not hours).</summary>
    internal const int MaxSeconds = 120;

    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("FILE") { Description = "WAV recording of the calibrator tone (the first 120 s are used)." };
        var reference = new Option<double>("--reference-db")
        {
            Description = "Level the calibrator produces, dB (e.g. 94 dB SPL = 1 Pa).",
            DefaultValueFactory = _ => 94.0,
        };
        var frequency = new Option<string>("--frequency-hz")
        {
            Description = "Calibrator frequency in Hz, or 'any' to accept a tone at any frequency.",
            DefaultValueFactory = _ => "1000",
        };
        var channel = new Option<int>("--channel")
        {
            Description = "Channel of a multi-channel file to use (0-based).",
            DefaultValueFactory = _ => 0,
        };
        var format = new Option<string>("--format")
        {
            Description = "Output format: table, jsonl or csv.",
            DefaultValueFactory = _ => "table",
        };

        var command = new Command("calibrate", "Derive the calibration offset (dB to add to dBFS levels) from a calibrator recording.")
        {
            file, reference, frequency, channel, format,
        };

        command.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            RecordFormat recordFormat = CliContext.ParseFormat(parse.GetValue(format), RecordFormat.Table);
            var options = BuildOptions(parse.GetValue(reference), parse.GetValue(frequency));
            int channelIndex = parse.GetValue(channel);

            using IAudioSource source = AudioSourceFactory.OpenFile(path);
            var (samples, sampleRate) = ReadChannel(source, channelIndex);
            CalibrationResult result;
            try
            {
                result = CalibrationEstimator.Estimate(samples, sampleRate, options);
            }
            catch (CalibrationException e)
            {
                throw new CliInputException($"{path}: not usable for calibration: {e.Message}");
            }

            var record = new ResultRecord("calibration")
                .Add("file", path)
                .Add("channel", (long)channelIndex)
                .Add("calibration_offset_db", Math.Round(result.OffsetDb, 3))
                .Add("measured_level_dbfs", Math.Round(result.MeasuredLevelDbfs, 3))
                .Add("reference_level_db", result.ReferenceLevelDb)
                .Add("tone_frequency_hz", Math.Round(result.ToneFrequencyHz, 2))
                .Add("level_variation_db", Math.Round(result.LevelVariationDb, 3))
                .Add("signal_to_noise_db", Math.Round(result.SignalToNoiseDb, 1))
                .Add("analysed_duration_s", Math.Round(result.AnalysedDurationS, 3));
            Write(context, recordFormat, record);
            return ExitCodes.Ok;
        });

        return command;
    }

    private static CalibrationOptions BuildOptions(double referenceDb, string? frequencyText)
    {
        double? expected;
        if (string.Equals(frequencyText, "any", StringComparison.OrdinalIgnoreCase))
        {
            expected = null;
        }
        else if (double.TryParse(frequencyText, NumberStyles.Float, CultureInfo.InvariantCulture, out double hz) && hz > 0)
        {
            expected = hz;
        }
        else
        {
            throw new CliUsageException($"--frequency-hz: '{frequencyText}' is not a frequency in Hz or 'any'");
        }

        try
        {
            return new CalibrationOptions { ReferenceLevelDb = referenceDb, ExpectedFrequencyHz = expected };
        }
        catch (ArgumentOutOfRangeException e)
        {
            string option = e.ParamName == nameof(CalibrationOptions.ReferenceLevelDb) ? "--reference-db" : "--frequency-hz";
            throw new CliUsageException($"{option}: {e.Message.Split(" (Parameter")[0]}");
        }
    }

    /// <summary>Reads up to <see cref="MaxSeconds"/> of one channel.</summary>
    private static (float[] Samples, int SampleRate) ReadChannel(IAudioSource source, int channelIndex)
    {
        int channels = source.Format.Channels;
        if (channelIndex < 0 || channelIndex >= channels)
        {
            throw new CliUsageException($"--channel: {source.Name} has {channels} channel(s); use 0 to {channels - 1}");
        }

        int sampleRate = source.Format.SampleRate;
        int maxFrames = MaxSeconds * sampleRate;
        var mono = new List<float>(Math.Min(maxFrames, 10 * sampleRate));
        var buffer = new float[4096 * channels];
        while (mono.Count < maxFrames)
        {
            int read = source.Read(buffer);
            if (read == 0) break;
            for (int i = channelIndex; i < read && mono.Count < maxFrames; i += channels)
            {
                mono.Add(buffer[i]);
            }
        }

        return (mono.ToArray(), sampleRate);
    }

    private static void Write(CliContext context, RecordFormat format, ResultRecord record)
    {
        switch (format)
        {
            case RecordFormat.Jsonl:
                using (var jsonl = new JsonLinesRecordWriter(context.Out))
                {
                    jsonl.Write(record);
                }

                break;
            case RecordFormat.Csv:
                var csv = new CsvRecordWriter(context.Out);
                csv.Write(record);
                break;
            default:
                foreach (var (name, value) in record.Fields)
                {
                    context.Out.WriteLine($"{name,-22} {RecordValueFormat.ToText(value)}");
                }

                break;
        }

        context.Out.Flush();
    }
}
