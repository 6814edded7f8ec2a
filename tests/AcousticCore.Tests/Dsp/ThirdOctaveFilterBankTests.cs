using AcousticCore.Dsp;
using Xunit;
using Xunit.Abstractions;

namespace AcousticCore.Tests.Dsp;

public class ThirdOctaveFilterBankTests(ITestOutputHelper output)
{
    private static readonly double G = Math.Pow(10, 0.3);
    private static readonly List<Dictionary<string, string>> Limits = ReferenceData.ReadCsv("Dsp/Reference/iec61260_class1_limits.csv");

    /// <summary>Normalised frequency of an octave breakpoint G^x mapped to a 1/3-octave filter (IEC 61260-1 eq. for b = 3).</summary>
    private static double ThirdOctaveOmega(double x) =>
        1 + ((Math.Pow(G, 1.0 / 6) - 1) / (Math.Pow(G, 0.5) - 1) * (Math.Pow(G, x) - 1));

    private static double MeanSquareDb(double sum, long count) => 10 * Math.Log10(sum / count);

    [Fact]
    public void BandsRunFrom25HzToTheHighestBandBelowNyquist()
    {
        var at48k = ThirdOctaveBand.ForSampleRate(48000);
        Assert.Equal(30, at48k.Count);
        Assert.Equal("25", at48k[0].Label);
        Assert.Equal("31_5", at48k[1].Label);
        Assert.Equal(31.5, at48k[1].NominalHz);
        Assert.Equal("1000", at48k[16].Label);
        Assert.Equal(1000.0, at48k[16].ExactHz, 9);
        Assert.Equal("12500", at48k[27].Label);
        Assert.Equal("20000", at48k[29].Label);
        Assert.Equal(1000 * Math.Pow(10, 1 / 20.0), at48k[16].UpperEdgeHz, 9);

        var at44k = ThirdOctaveBand.ForSampleRate(44100);
        Assert.Equal("16000", at44k[^1].Label); // 20 kHz band's upper edge 22.4 kHz is above 22.05 kHz
        var at8k = ThirdOctaveBand.ForSampleRate(8000);
        Assert.Equal("3150", at8k[^1].Label);
        var at192k = ThirdOctaveBand.ForSampleRate(192000);
        Assert.Equal("80000", at192k[^1].Label);
        Assert.Equal("63000", at192k[^2].Label);
        foreach (var band in at192k) Assert.True(band.UpperEdgeHz < 96000);
    }

    [Theory]
    [InlineData(48000)]
    [InlineData(44100)]
    [InlineData(8000)]
    [InlineData(96000)]
    public void DesignedResponseOfEveryBandMeetsClass1Limits(int sampleRate)
    {
        var bank = new ThirdOctaveFilterBank(sampleRate);
        var failures = new List<string>();
        for (int b = 0; b < bank.Bands.Count; b++)
        {
            double fm = bank.Bands[b].ExactHz;
            foreach (var row in Limits)
            {
                double x = row.Number("x");
                double omega = ThirdOctaveOmega(x);
                foreach (double f in new[] { fm * omega, fm / omega })
                {
                    if (f >= sampleRate / 2.0) continue;
                    double attenuation = -bank.ResponseDb(b, f);
                    if (!(attenuation >= row.Number("min_db") && attenuation <= row.Number("max_db")))
                    {
                        failures.Add($"{sampleRate} Hz, band {bank.Bands[b].Label}, G^{(f < fm ? "-" : "")}{x} ({f:F2} Hz): attenuation {attenuation:F3} dB outside [{row.Number("min_db")}, {row.Number("max_db")}]");
                    }
                }
            }

            // Beyond G^±4 the attenuation keeps above the last limit (70 dB) up to Nyquist.
            double omega4 = ThirdOctaveOmega(4);
            for (double f = fm * omega4; f < sampleRate / 2.0; f *= 1.05)
            {
                if (-bank.ResponseDb(b, f) < 70) failures.Add($"band {bank.Bands[b].Label} at {f:F0} Hz: {-bank.ResponseDb(b, f):F1} dB");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData(48000, "25")]
    [InlineData(48000, "100")]
    [InlineData(48000, "1000")]
    [InlineData(48000, "20000")]
    [InlineData(44100, "31_5")]
    [InlineData(44100, "16000")]
    public void FilteredSinesReproduceTheDesignAtTheBreakpoints(int sampleRate, string label)
    {
        var bank = new ThirdOctaveFilterBank(sampleRate);
        int b = bank.Bands.ToList().FindIndex(x => x.Label == label);
        double fm = bank.Bands[b].ExactHz;
        var sums = new double[bank.Bands.Count];
        var counts = new long[bank.Bands.Count];
        foreach (var row in Limits)
        {
            double x = row.Number("x");
            if (x > 2) continue;
            foreach (double f in new[] { fm * ThirdOctaveOmega(x), fm / ThirdOctaveOmega(x) })
            {
                if (f >= sampleRate / 2.0) continue;
                bank.Reset();
                // Settle for ~30 periods of the band centre (the narrow low bands ring longest), then
                // measure over ~50 periods.
                int settle = (int)(sampleRate * Math.Min(1.0, 0.05 + (30 / fm)));
                int measure = (int)(sampleRate * Math.Min(1.0, 0.05 + (50 / fm)));
                var sine = TestSignals.Sine(f, 1, sampleRate, settle + measure);
                bank.Process(sine.AsSpan(0, settle));
                bank.CollectEnergy(sums, counts);
                bank.Process(sine.AsSpan(settle));
                bank.CollectEnergy(sums, counts);
                double attenuation = -(MeanSquareDb(sums[b], counts[b]) - MeanSquareDb(0.5, 1));
                double designed = -bank.ResponseDb(b, f);
                output.WriteLine($"band {label} G^{x} {f:F2} Hz: measured {attenuation:F3} dB, designed {designed:F3} dB");
                if (designed < 30) Assert.Equal(designed, attenuation, 0.05);
                Assert.True(attenuation >= row.Number("min_db") && attenuation <= row.Number("max_db"), $"G^{x}: {attenuation:F3} dB");
            }
        }
    }

    [Theory]
    [InlineData(48000, 23000.0)]
    [InlineData(48000, 11500.0)]
    [InlineData(48000, 5900.0)]
    [InlineData(44100, 21000.0)]
    public void AliasesOfHighTonesStayOutOfLowerBands(int sampleRate, double frequency)
    {
        var bank = new ThirdOctaveFilterBank(sampleRate);
        var sums = new double[bank.Bands.Count];
        var counts = new long[bank.Bands.Count];
        var sine = TestSignals.Sine(frequency, 1, sampleRate, sampleRate * 2);
        bank.Process(sine.AsSpan(0, sampleRate));
        bank.CollectEnergy(sums, counts);
        bank.Process(sine.AsSpan(sampleRate));
        bank.CollectEnergy(sums, counts);
        for (int b = 0; b < bank.Bands.Count; b++)
        {
            if (bank.ResponseDb(b, frequency) > -75) continue; // the band's own skirt: not an alias
            double level = MeanSquareDb(sums[b], counts[b]) - MeanSquareDb(0.5, 1);
            Assert.True(level < -70, $"{frequency} Hz tone leaks into band {bank.Bands[b].Label}: {level:F1} dB");
        }
    }

    [Theory]
    [InlineData(48000)]
    [InlineData(44100)]
    public void PinkNoiseGivesEqualBandLevels(int sampleRate)
    {
        var bank = new ThirdOctaveFilterBank(sampleRate);
        var pink = TestSignals.PeriodicPinkNoise(19, 0.1, seed: 7); // 10.9 s at 48 kHz, 0.09 Hz bins
        var sums = new double[bank.Bands.Count];
        var counts = new long[bank.Bands.Count];
        bank.Process(pink);            // one period to settle
        bank.CollectEnergy(sums, counts);
        bank.Process(pink);            // the periodic steady state
        bank.CollectEnergy(sums, counts);
        var levels = new double[bank.Bands.Count];
        for (int b = 0; b < levels.Length; b++) levels[b] = MeanSquareDb(sums[b], counts[b]);
        double mean = levels.Average();
        for (int b = 0; b < levels.Length; b++)
        {
            output.WriteLine($"{bank.Bands[b].Label,6} Hz: {levels[b] - mean:+0.000;-0.000} dB");
            Assert.InRange(levels[b] - mean, -0.5, 0.5);
        }
    }

    [Fact]
    public void StreamingInAnyBlockSizesEqualsOneBlock()
    {
        var signal = TestSignals.PeriodicPinkNoise(15, 0.1, seed: 3);
        var whole = new ThirdOctaveFilterBank(48000);
        whole.Process(signal);
        var chunked = new ThirdOctaveFilterBank(48000);
        var rng = new Random(5);
        int pos = 0;
        while (pos < signal.Length)
        {
            int len = Math.Min(rng.Next(0, 2000), signal.Length - pos);
            chunked.Process(signal.AsSpan(pos, len));
            pos += len;
        }

        var s1 = new double[whole.Bands.Count]; var c1 = new long[whole.Bands.Count];
        var s2 = new double[whole.Bands.Count]; var c2 = new long[whole.Bands.Count];
        whole.CollectEnergy(s1, c1);
        chunked.CollectEnergy(s2, c2);
        Assert.Equal(c1, c2);
        for (int b = 0; b < s1.Length; b++) Assert.Equal(s1[b], s2[b], s1[b] * 1e-12);
    }

    [Theory]
    [InlineData(48000, 7)]
    [InlineData(44100, 3)]
    [InlineData(96000, 17)]
    [InlineData(8000, 9)]
    public void ChannelLanesAndBandLanesGiveBitIdenticalEnergies(int sampleRate, int channels)
    {
        // Many channels run side by side in lanes, few channels run their bands in lanes: each lane
        // does the same operations in the same order, so every channel must read exactly the same.
        var byChannel = new ThirdOctaveBankCore(sampleRate, channels, channelLanes: true);
        var byBand = new ThirdOctaveBankCore(sampleRate, channels, channelLanes: false);
        Assert.True(byChannel.ChannelLanes);
        Assert.False(byBand.ChannelLanes);
        int length = sampleRate * 3 / 2;
        var signals = new float[channels][];
        for (int c = 0; c < channels; c++) signals[c] = TestSignals.PeriodicPinkNoise(14, 0.05 + (0.02 * c), seed: 20 + c);
        var a = new float[length * byChannel.RowStride];
        var b = new float[length * byBand.RowStride];
        for (int i = 0; i < length; i++)
        {
            for (int c = 0; c < channels; c++)
            {
                float v = signals[c][i % signals[c].Length];
                a[(i * byChannel.RowStride) + c] = v;
                b[(i * byBand.RowStride) + c] = v;
            }
        }

        var rng = new Random(3);
        for (int pos = 0; pos < length;)
        {
            int n = Math.Min(1 + rng.Next(900), length - pos);
            byChannel.Process(a.AsSpan(pos * byChannel.RowStride, n * byChannel.RowStride));
            pos += n;
        }

        byBand.Process(b);
        var single = new ThirdOctaveFilterBank(sampleRate);
        var column = new float[length];
        for (int i = 0; i < length; i++) column[i] = signals[channels - 1][i % signals[channels - 1].Length];
        single.Process(column);

        int bands = byBand.Bands.Count;
        for (int c = 0; c < channels; c++)
        {
            var s1 = new double[bands]; var c1 = new long[bands];
            var s2 = new double[bands]; var c2 = new long[bands];
            byChannel.CollectEnergy(c, s1, c1);
            byBand.CollectEnergy(c, s2, c2);
            Assert.Equal(c2, c1);
            Assert.Equal(s2, s1);
            Assert.All(s1, sum => Assert.True(sum > 0));
            if (c == channels - 1)
            {
                var s3 = new double[bands]; var c3 = new long[bands];
                single.CollectEnergy(s3, c3);
                Assert.Equal(s3, s1);
                Assert.Equal(c3, c1);
            }
        }
    }

    [Fact]
    public void SilenceAfterSoundDecaysToExactZero()
    {
        // Filter states below 1e-30 are flushed to zero, so the filters never run on subnormal numbers
        // (about 100x slower on x86) and digital silence eventually reads exactly zero energy.
        var bank = new ThirdOctaveFilterBank(8000);
        var sums = new double[bank.Bands.Count];
        var counts = new long[bank.Bands.Count];
        bank.Process(TestSignals.PeriodicPinkNoise(13, 0.5, seed: 1));
        var silence = new float[8000];
        for (int s = 0; s < 60; s++) bank.Process(silence);
        bank.CollectEnergy(sums, counts);
        bank.Process(silence);
        bank.CollectEnergy(sums, counts);
        Assert.All(sums, sum => Assert.Equal(0.0, sum));
    }
}
