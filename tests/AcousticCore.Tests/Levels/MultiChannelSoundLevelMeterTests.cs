using AcousticCore.Levels;
using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Levels;

public class MultiChannelSoundLevelMeterTests
{
    private static float[][] ChannelSignals(int channels, int length, int sampleRate)
    {
        var rng = new Random(channels);
        var signals = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            signals[c] = new float[length];
            double f = 63 * Math.Pow(2, c % 8), amplitude = 0.02 + (0.05 * c);
            for (int i = 0; i < length; i++)
            {
                // Each channel its own tone, noise and level change, so lane mix-ups would show.
                double gain = i < length / 2 ? 1 : 0.1;
                signals[c][i] = (float)(gain * ((amplitude * Math.Sin(2 * Math.PI * f * i / sampleRate)) + (0.01 * (rng.NextDouble() - 0.5))));
            }
        }

        signals[channels - 1][1234] = float.NaN;
        signals[0][777] = float.PositiveInfinity;
        return signals;
    }

    private static void AssertSame(LevelValues expected, LevelValues actual)
    {
        Assert.Equal(expected.DurationS, actual.DurationS);
        Assert.Equal(expected.LAeqDb, actual.LAeqDb);
        Assert.Equal(expected.LCeqDb, actual.LCeqDb);
        Assert.Equal(expected.LZeqDb, actual.LZeqDb);
        Assert.Equal(expected.LAFmaxDb, actual.LAFmaxDb);
        Assert.Equal(expected.LAFminDb, actual.LAFminDb);
        Assert.Equal(expected.LCpeakDb, actual.LCpeakDb);
        Assert.Equal(expected.LA10Db, actual.LA10Db);
        Assert.Equal(expected.LA50Db, actual.LA50Db);
        Assert.Equal(expected.LA90Db, actual.LA90Db);
        Assert.Equal(expected.BandLeqDb, actual.BandLeqDb);
    }

    /// <summary>Channels side by side in SIMD lanes must read exactly what each reads alone.</summary>
    [Theory]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(5, true)]
    [InlineData(9, false)]
    [InlineData(16, true)]
    public void EveryChannelReadsBitForBitWhatAOneChannelMeterReads(int channels, bool bands)
    {
        const int rate = 16000;
        int length = (int)(1.7 * rate);
        var signals = ChannelSignals(channels, length, rate);
        var options = new SoundLevelMeterOptions { IncludeBands = bands, CalibrationOffsetDb = 94 };
        var multi = new MultiChannelSoundLevelMeter(rate, channels, options);
        var singles = new SoundLevelMeter[channels];
        for (int c = 0; c < channels; c++) singles[c] = new SoundLevelMeter(rate, options);

        var interleaved = new float[length * channels];
        for (int i = 0; i < length; i++)
        {
            for (int c = 0; c < channels; c++) interleaved[(i * channels) + c] = signals[c][i];
        }

        var rng = new Random(5);
        int intervalEnd = rate / 2;
        for (int pos = 0; pos < length;)
        {
            int n = Math.Min(Math.Min(1 + rng.Next(700), length - pos), intervalEnd - pos);
            multi.Process(interleaved.AsSpan(pos * channels, n * channels));
            for (int c = 0; c < channels; c++) singles[c].Process(signals[c].AsSpan(pos, n));
            pos += n;
            if (pos == intervalEnd)
            {
                for (int c = 0; c < channels; c++)
                {
                    var expected = new LevelValues(multi.Bands.Count);
                    var actual = new LevelValues(multi.Bands.Count);
                    singles[c].CompleteInterval(expected);
                    multi.CompleteInterval(c, actual);
                    AssertSame(expected, actual);
                }

                intervalEnd = Math.Min(length, intervalEnd + (rate / 2));
            }
        }

        for (int c = 0; c < channels; c++)
        {
            var expected = new LevelValues(multi.Bands.Count);
            var actual = new LevelValues(multi.Bands.Count);
            singles[c].GetSummary(expected);
            multi.GetSummary(c, actual);
            AssertSame(expected, actual);
            Assert.True(double.IsFinite(actual.LAeqDb));
            Assert.Equal(singles[c].NonFiniteSampleCount, multi.NonFiniteSampleCount(c));
        }

        Assert.Equal(1, multi.NonFiniteSampleCount(0));
        Assert.Equal(1, multi.NonFiniteSampleCount(channels - 1));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void OneBadSampleAnywhereInABlockIsFoundAndCountedOnItsChannel(float bad)
    {
        // 16 channels: blocks of whole vectors take the no-copy path, whose finiteness check runs in
        // 64-sample steps, then vector steps, then one sample at a time; a bad sample in each part is found.
        const int Channels = 16, Frames = 101;
        var rng = new Random(8);
        var block = new float[Channels * Frames];
        for (int i = 0; i < block.Length; i++) block[i] = (float)(rng.NextDouble() - 0.5);
        for (int at = 0; at < block.Length; at += 1 + (at % 13))
        {
            var meter = new MultiChannelSoundLevelMeter(48_000, Channels, new SoundLevelMeterOptions { IncludeBands = false });
            var copy = (float[])block.Clone();
            copy[at] = bad;
            meter.Process(copy);
            meter.Process(block);
            for (int c = 0; c < Channels; c++) Assert.Equal(c == at % Channels ? 1 : 0, meter.NonFiniteSampleCount(c));
            var values = new LevelValues(0);
            meter.GetSummary(at % Channels, values);
            Assert.True(double.IsFinite(values.LZeqDb), $"bad sample at {at}");
        }
    }

    [Fact]
    public void BadArgumentsAreRefusedWithTheirName()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiChannelSoundLevelMeter(48000, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiChannelSoundLevelMeter(48000, 65));
        var meter = new MultiChannelSoundLevelMeter(48000, 3);
        var e = Assert.Throws<ArgumentException>(() => meter.Process(new float[4]));
        Assert.Contains("3-channel", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => meter.CompleteInterval(3, new LevelValues(meter.Bands.Count)));
        Assert.Throws<ArgumentException>(() => meter.GetSummary(0, new LevelValues(0)));
    }

    [Fact]
    public void ProcessAllocatesNothing()
    {
        var meter = new MultiChannelSoundLevelMeter(48000, 16);
        var block = new float[480 * 16];
        var values = new LevelValues(meter.Bands.Count);
        long bytes = AllocationProbe.SteadyStateBytes(() =>
        {
            for (int k = 0; k < 10; k++) meter.Process(block);
            meter.CompleteInterval(5, values);
        }, warmUp: 5, iterations: 20);
        Assert.Equal(0, bytes);
    }
}
