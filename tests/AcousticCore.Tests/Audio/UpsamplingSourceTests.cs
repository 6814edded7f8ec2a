using AcousticCore.Audio;
using AcousticCore.Classification;
using AcousticCore.Tests.Arrays;
using AcousticCore.Tests.Classification;
using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Audio;

/// <summary>Band-limited upsampling checked against sines known at every instant.</summary>
public class UpsamplingSourceTests
{
    private static float[] ReadAll(IAudioSource source, int block)
    {
        var all = new List<float>();
        var buffer = new float[block * source.Format.Channels];
        int n;
        while ((n = source.Read(buffer)) > 0) all.AddRange(buffer.AsSpan(0, n).ToArray());
        return all.ToArray();
    }

    [Theory]
    [InlineData(8000, 1000.0)]
    [InlineData(8000, 3000.0)]
    [InlineData(11025, 2500.0)]
    [InlineData(12000, 4500.0)]
    public void UpsampledSineIsTheSameSineAtTheNewRate(int rate, double frequency)
    {
        // 3 s, several chunks: away from the first and last 20 ms the output must be the sine sampled at 16 kHz.
        int n = rate * 3;
        var x = Signals.Sine(frequency, 0.5, rate, n);
        using var up = new UpsamplingSource(new MemorySource(x, new AudioFormat(rate, 1), 1000), 16000);
        Assert.Equal(16000, up.Format.SampleRate);
        float[] y = ReadAll(up, 4096);
        Assert.Equal((long)n * 16000 / rate, y.Length);
        double errorPower = 0, worst = 0;
        int counted = 0;
        for (int i = 320; i < y.Length - 320; i++)
        {
            double e = y[i] - 0.5 * Math.Sin(2 * Math.PI * frequency * i / 16000);
            errorPower += e * e;
            worst = Math.Max(worst, Math.Abs(e));
            counted++;
        }

        // No sample is worse than the average by much: a chunk edge without its context would show as a spike
        // (without margins the worst error reaches ~0.17 while the mean stays below −40 dB).
        Assert.True(worst < 0.01, $"{rate} Hz, {frequency} Hz: worst error {worst:E2}");

        // Error relative to the sine's power 0.125: below −40 dB (a 30-tap Hann-windowed sinc; worst near Nyquist).
        double db = 10 * Math.Log10(errorPower / counted / 0.125);
        Assert.True(db < -40, $"{rate} Hz, {frequency} Hz: error {db:F1} dB");
    }

    [Theory]
    [InlineData(11025)]
    [InlineData(8000)]
    [InlineData(12000)]
    [InlineData(11111)]
    public void EveryLengthGivesFloorOfLengthTimesTheRatio(int rate)
    {
        // Lengths on and off the ratio's period and the chunk size, including ones where N·16000/rate is an integer.
        foreach (int n in new[] { 1, 2, 440, 441, 442, 8819, 8820, 8821, 33075, 33076, rate, 3 * rate + 1 })
        {
            var x = Signals.WhiteNoise(0.1, n, n);
            float[] y = ReadAll(new UpsamplingSource(new MemorySource(x, new AudioFormat(rate, 1)), 16000), 1000);
            Assert.Equal((long)n * 16000 / rate, y.Length);
            Assert.All(y, v => Assert.True(float.IsFinite(v)));
        }
    }

    [Fact]
    public void ChunkedConversionEqualsNWavesOnTheWholeSignal()
    {
        // 8 → 16 kHz: the step 0.5 is exact in single precision, so NWaves on the whole 2.5 s signal is exact too and
        // the chunked output (several chunks) must be the same numbers, chunk edges included.
        var x = Signals.WhiteNoise(0.2, 20000, 31);
        float[] chunked = ReadAll(new UpsamplingSource(new MemorySource(x, new AudioFormat(8000, 1)), 16000), 4096);
        float[] whole = new NWaves.Operations.Resampler().Resample(new NWaves.Signals.DiscreteSignal(8000, x), 16000).Samples;
        Assert.Equal(whole.Length, chunked.Length);
        Assert.True(Enumerable.Range(0, whole.Length).Max(i => Math.Abs(whole[i] - chunked[i])) < 1e-5);
    }

    [Fact]
    public void ChunkedConversionFollowsTheInterpolationFormulaAtOddRatios()
    {
        // 11.025 → 16 kHz (640/441): against the same windowed sinc evaluated in double precision (15 zero crossings
        // a side, Hann taper, position n·441/640). Single-precision positions inside a chunk leave ~1e-3; a chunk edge
        // without its context would leave ~0.1.
        const int rate = 11025;
        var x = Signals.WhiteNoise(0.2, rate * 5 / 2, 32);
        float[] chunked = ReadAll(new UpsamplingSource(new MemorySource(x, new AudioFormat(rate, 1)), 16000), 4096);
        Assert.Equal((long)x.Length * 16000 / rate, chunked.Length);
        double worst = 0;
        for (int n = 0; n < chunked.Length; n++)
        {
            double position = n * (double)rate / 16000, y = 0;
            for (int i = -15; i < 15; i++)
            {
                int j = (int)Math.Floor(position) - i;
                if (j < 0 || j >= x.Length) continue;
                double t = position - j;
                double sinc = Math.Abs(t) < 1e-20 ? 1 : Math.Sin(Math.PI * t) / (Math.PI * t);
                y += 0.5 * (1 + Math.Cos(t / 15 * Math.PI)) * sinc * x[j];
            }

            worst = Math.Max(worst, Math.Abs(y - chunked[n]));
        }

        Assert.True(worst < 5e-3, $"largest difference {worst:E2}");
    }

    [Fact]
    public void ReadSizesAndChannelsDoNotChangeTheResult()
    {
        const int rate = 11025;
        var left = Signals.Sine(700, 0.3, rate, rate * 2);
        var right = Signals.WhiteNoise(0.1, rate * 2, 4);
        var stereo = Signals.Interleave(left, right);
        float[] whole = ReadAll(new UpsamplingSource(new MemorySource(stereo, new AudioFormat(rate, 2)), 16000), 1 << 16);
        foreach (int block in new[] { 1, 7, 333 })
        {
            Assert.Equal(whole, ReadAll(new UpsamplingSource(new MemorySource(stereo, new AudioFormat(rate, 2), 97), 16000), block));
        }

        // Each channel is converted on its own: the left channel equals a mono conversion of the left input.
        float[] mono = ReadAll(new UpsamplingSource(new MemorySource(left, new AudioFormat(rate, 1)), 16000), 4096);
        Assert.Equal(mono, Enumerable.Range(0, whole.Length / 2).Select(i => whole[2 * i]).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new UpsamplingSource(new MemorySource(left, new AudioFormat(16000, 1)), 16000));
    }

    [Fact]
    public void EightKilohertzFilesAreClassifiedLikeTheSameSoundAtSixteen()
    {
        // A 1 kHz tone written at 8 kHz and at 16 kHz: once upsampled, the 8 kHz file gives the same features
        // as far as the band it has: same level, same peak frequency, all power in the 1 kHz band.
        string dir = Path.Combine(Path.GetTempPath(), $"ac-up-{Guid.NewGuid():N}");
        try
        {
            string low = Path.Combine(dir, "tone", "t8k.wav"), high = Path.Combine(dir, "tone", "t16k.wav");
            Classification.TestWav.Write(low, Signals.Sine(1000, 0.5, 8000, 8000 * 3), 8000);
            Classification.TestWav.Write(high, Signals.Sine(1000, 0.5, 16000, 16000 * 3), 16000);
            var set = LabelledAudioSet.Load(dir);
            var table = ClassifierTraining.ExtractFeatures(set, new WindowFeatureSettings());
            int d = WindowFeatureExtractor.FeatureCount;
            int lowIndex = set.Files.ToList().FindIndex(f => f.Path.EndsWith("t8k.wav", StringComparison.Ordinal));
            var rows = Enumerable.Range(0, table.Count).GroupBy(i => table.FileIndex[i] == lowIndex).ToDictionary(g => g.Key, g => g.First());
            Assert.Equal(table.Count / 2, Enumerable.Range(0, table.Count).Count(i => table.FileIndex[i] == lowIndex));
            foreach (string name in new[] { "leq_dbfs", "peak_frequency_khz_p50", "band_1000hz_rel_db" })
            {
                int f = CollectingSink.Index(name);
                Assert.Equal(table.Features[rows[false] * d + f], table.Features[rows[true] * d + f], 0.1);
            }

            var (code, stdout, stderr) = ClassificationDataTests.Run("classify", low, "--format", "csv");
            Assert.True(code == 0, stderr);
            Assert.Contains("summary", stdout, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
