using AcousticCore.Audio;
using AcousticCore.Pipeline;
using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Pipeline;

public class StreamAnalyzerTests
{
    private static CollectingAnalysisSink Analyze(float[] interleaved, AudioFormat format, AnalysisOptions options, Func<int>? blockFrames = null)
    {
        var analyzer = new StreamAnalyzer(format, options, "test");
        var sink = new CollectingAnalysisSink();
        int frames = interleaved.Length / format.Channels, pos = 0;
        while (pos < frames)
        {
            int n = Math.Min(blockFrames?.Invoke() ?? frames, frames - pos);
            analyzer.Process(interleaved.AsSpan(pos * format.Channels, n * format.Channels), 0, sink);
            pos += n;
        }

        analyzer.Complete(0, sink);
        return sink;
    }

    private static void AssertSameRecords(IReadOnlyList<ResultRecord> a, IReadOnlyList<ResultRecord> b)
    {
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Fields.Select(f => f.Key), b[i].Fields.Select(f => f.Key));
            Assert.Equal(a[i].Fields.Select(f => RecordValueFormat.ToText(f.Value)), b[i].Fields.Select(f => RecordValueFormat.ToText(f.Value)));
        }
    }

    [Fact]
    public void RecordsDoNotDependOnBlockSizes()
    {
        var format = new AudioFormat(16_000, 2);
        var x = Signals.Interleave(Signals.WhiteNoise(0.1, 40_000, 1), Signals.Sine(700, 0.3, 16_000, 40_000));
        var options = new AnalysisOptions { IntervalSeconds = 0.5 };
        var batch = Analyze(x, format, options);
        var rng = new Random(3);
        int[] sizes = [1, 3, 7, 160, 4093];
        var streamed = Analyze(x, format, options, () => rng.Next(2) == 0 ? sizes[rng.Next(sizes.Length)] : rng.Next(1, 9000));
        AssertSameRecords(batch.Intervals, streamed.Intervals);
        AssertSameRecords(batch.Summaries, streamed.Summaries);
    }

    [Fact]
    public void IntervalsCoverTheStreamWithAShorterLastOne()
    {
        var format = new AudioFormat(8_000, 1);
        var x = Signals.Sine(500, 0.5, 8_000, 8_000 * 5 / 2); // 2.5 s
        var sink = Analyze(x, format, new AnalysisOptions { IntervalSeconds = 1 });
        Assert.Equal(3, sink.Intervals.Count);
        Assert.Equal([0.0, 1.0, 2.0], sink.Intervals.Select(r => r.GetDouble("time_s")));
        Assert.Equal([1.0, 1.0, 0.5], sink.Intervals.Select(r => r.GetDouble("duration_s")));
        var summary = Assert.Single(sink.Summaries);
        Assert.Equal(2.5, summary.GetDouble("duration_s"));
        Assert.Equal("summary", summary.Kind);
        Assert.Equal("interval", sink.Intervals[0].Kind);
    }

    [Fact]
    public void ChannelsAreAnalysedIndependently()
    {
        var format = new AudioFormat(48_000, 3);
        var x = Signals.Interleave(
            Signals.Sine(1000, 1.0, 48_000, 48_000),
            new float[48_000],
            Signals.Sine(1000, 0.1, 48_000, 48_000));
        var sink = Analyze(x, format, new AnalysisOptions());
        Assert.Equal(3, sink.Summaries.Count);
        Assert.Equal([0L, 1L, 2L], sink.Summaries.Select(r => (long)r["channel"]!));
        double full = sink.Summaries[0].GetDouble("rms_db");
        double tenth = sink.Summaries[2].GetDouble("rms_db");
        Assert.InRange(full, -0.05, 0.05);             // AES17: a full-scale sine reads 0 dB
        Assert.InRange(tenth, -20.05, -19.95);
        Assert.True(double.IsNaN(sink.Summaries[1].GetDouble("spectral_centroid_hz")));
        Assert.InRange(sink.Summaries[0].GetDouble("spectral_centroid_hz"), 1000 - 47, 1000 + 47);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(16)]
    public void EveryChannelOfAManyChannelStreamReadsExactlyAsThatChannelAlone(int channels)
    {
        // Channels share the meter's lanes and one set of FFT tables and scratch buffers; none of that
        // may leak between channels: every field equals the one-channel analysis bit for bit.
        const int Rate = 48_000, Length = 48_000 * 5 / 2;
        var signals = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            var noise = Signals.WhiteNoise(0.02 * (c + 1), Length, seed: 40 + c);
            var tone = Signals.Sine(200 * (c + 1), 0.3, Rate, Length);
            signals[c] = new float[Length];
            for (int i = 0; i < Length; i++) signals[c][i] = c % 3 == 0 ? tone[i] + noise[i] : c % 3 == 1 ? noise[i] : 0f;
        }

        var rng = new Random(channels);
        var many = Analyze(Signals.Interleave(signals), new AudioFormat(Rate, channels), new AnalysisOptions(), () => 1 + rng.Next(1500));
        for (int c = 0; c < channels; c++)
        {
            var alone = Analyze(signals[c], new AudioFormat(Rate, 1), new AnalysisOptions());
            var mine = many.Intervals.Where(r => (long)r["channel"]! == c).Concat(many.Summaries.Where(r => (long)r["channel"]! == c)).ToList();
            var expected = alone.Intervals.Concat(alone.Summaries).ToList();
            Assert.Equal(expected.Count, mine.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                foreach (var (key, value) in expected[i].Fields)
                {
                    if (key == "channel") continue;
                    Assert.True(Equals(value, mine[i][key]), $"channel {c}, record {i}, {key}: {value} alone, {mine[i][key]} among {channels}");
                }
            }
        }
    }

    [Fact]
    public void SchemaIsTheSameForIntervalAndSummaryRecords()
    {
        var format = new AudioFormat(48_000, 1);
        var sink = Analyze(Signals.WhiteNoise(0.1, 48_000, 2), format, new AnalysisOptions());
        var analyzer = new StreamAnalyzer(format, new AnalysisOptions(), "x");
        var expected = AnalysisFields.All(analyzer.Bands, withLatency: false);
        // The schema helper (no chain built) names the same columns as the meter's own bands.
        Assert.Equal(expected, AnalysisFields.All(48_000, new AnalysisOptions(), withLatency: false));
        Assert.Equal(expected, sink.Intervals[0].Fields.Select(f => f.Key));
        Assert.Equal(expected, sink.Summaries[0].Fields.Select(f => f.Key));
    }

    [Fact]
    public void SteadyStateAllocatesNothingPerFrame()
    {
        var format = new AudioFormat(48_000, 4);
        var analyzer = new StreamAnalyzer(format, new AnalysisOptions { IntervalSeconds = 3600 }, "x");
        var block = Signals.Interleave(
            Signals.WhiteNoise(0.1, 480, 1), Signals.WhiteNoise(0.1, 480, 2),
            Signals.WhiteNoise(0.1, 480, 3), Signals.WhiteNoise(0.1, 480, 4));
        var sink = new CollectingAnalysisSink();
        // Each window is 3 s of audio, ~280 frames per channel.
        Assert.Equal(0, AllocationProbe.SteadyStateBytes(() => analyzer.Process(block, 0, sink), warmUp: 200, iterations: 300));
    }

    [Fact]
    public void PartialFrameBlockIsRejected()
    {
        var analyzer = new StreamAnalyzer(new AudioFormat(48_000, 2), new AnalysisOptions(), "x");
        Assert.Throws<ArgumentException>(() => analyzer.Process(new float[3], 0, new CollectingAnalysisSink()));
    }
}
