using AcousticCore.Classification;
using AcousticCore.Tests.TestSupport;
using Xunit;

namespace AcousticCore.Tests.Classification;

/// <summary>Collects every window's features.</summary>
internal sealed class CollectingSink : IWindowFeatureSink
{
    public List<float[]> Windows { get; } = new();
    public List<long> Starts { get; } = new();

    public void OnWindow(long startSample, int sampleCount, ReadOnlySpan<float> features)
    {
        Starts.Add(startSample);
        Windows.Add(features.ToArray());
    }

    public double Mean(string name)
    {
        int i = Index(name);
        double s = 0;
        foreach (var w in Windows) s += w[i];
        return s / Windows.Count;
    }

    public static int Index(string name)
    {
        for (int i = 0; i < WindowFeatureExtractor.FeatureNames.Count; i++)
        {
            if (WindowFeatureExtractor.FeatureNames[i] == name) return i;
        }

        throw new ArgumentException(name);
    }
}

/// <summary>Known-answer checks of the classification features on signals built for them.</summary>
public class WindowFeatureExtractorTests
{
    internal static CollectingSink Run(float[] x, int fs, int block = 4096)
    {
        var ex = new WindowFeatureExtractor(fs, new WindowFeatureSettings());
        var sink = new CollectingSink();
        for (int i = 0; i < x.Length; i += block) ex.Push(x.AsSpan(i, Math.Min(block, x.Length - i)), sink);
        ex.Complete(sink);
        return sink;
    }

    [Fact]
    public void NamesAreUniqueAndMatchTheVectorLength()
    {
        var names = WindowFeatureExtractor.FeatureNames;
        Assert.Equal(names.Count, names.Distinct().Count());
        var sink = Run(Signals.WhiteNoise(0.1, 16000 * 2, 1), 16000);
        Assert.All(sink.Windows, w => Assert.Equal(names.Count, w.Length));
        Assert.All(sink.Windows, w => Assert.All(w, v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void WindowsStartEveryHalfSecond()
    {
        const int fs = 16000;
        var sink = Run(Signals.WhiteNoise(0.1, fs * 3, 2), fs);
        // A window is the 97 whole frames (512 samples, hop 160) inside 1 s: 15872 samples. In 3 s they
        // start at 0, 0.5, 1.0, 1.5 and 2.0 s (the last ends at 47872 ≤ 48000).
        Assert.Equal(new long[] { 0, 8000, 16000, 24000, 32000 }, sink.Starts);
    }

    [Theory]
    [InlineData(16000)]
    [InlineData(48000)]
    public void SteadySineIsTonalAndUnmodulated(int fs)
    {
        var sink = Run(Signals.Sine(1000, 0.5, fs, fs * 3), fs);
        var noise = Run(Signals.WhiteNoise(0.35, fs * 3, 3), fs);
        Assert.True(sink.Mean("peak_prominence_db_mean") > 40, $"sine prominence {sink.Mean("peak_prominence_db_mean")}");
        Assert.True(noise.Mean("peak_prominence_db_mean") < 15, $"noise prominence {noise.Mean("peak_prominence_db_mean")}");
        Assert.True(sink.Mean("harmonicity_mean") > 0.9, $"sine harmonicity {sink.Mean("harmonicity_mean")}");
        Assert.True(noise.Mean("harmonicity_mean") < 0.5, $"noise harmonicity {noise.Mean("harmonicity_mean")}");
        Assert.True(sink.Mean("modulation_depth_2_20hz") < 0.02, $"sine modulation {sink.Mean("modulation_depth_2_20hz")}");
        Assert.Equal(1.0, sink.Mean("peak_frequency_khz_p50"), 1);
        // A full-scale-0.5 sine: Leq = 10·log10(0.125) = −9.03 dBFS; crest factor 3.01 dB.
        Assert.Equal(-9.03, sink.Mean("leq_dbfs"), 1);
        Assert.Equal(3.01, sink.Mean("crest_factor_db"), 1);
        // All power in the 1 kHz third-octave band (891–1122 Hz).
        Assert.True(sink.Mean("band_1000hz_rel_db") > -0.1);
        Assert.True(sink.Mean("band_4000hz_rel_db") < -40);
    }

    [Fact]
    public void FourHertzAmNoiseIsStronglyModulatedAtFourHertz()
    {
        const int fs = 16000;
        var noise = Signals.WhiteNoise(0.2, fs * 4, 4);
        var am = new float[noise.Length];
        for (int i = 0; i < am.Length; i++) am[i] = (float)(noise[i] * (1 + Math.Cos(2 * Math.PI * 4 * i / fs)));
        var sink = Run(am, fs);
        var plain = Run(noise, fs);
        // Envelope (1 + cos): modulation index 1, slightly smoothed by the 32 ms frames (sinc-like loss ≈ 5 %).
        double depth = sink.Mean("modulation_depth_2_20hz");
        Assert.InRange(depth, 0.75, 1.1);
        Assert.True(plain.Mean("modulation_depth_2_20hz") < 0.25, $"plain noise depth {plain.Mean("modulation_depth_2_20hz")}");
        Assert.Equal(4.0, sink.Mean("modulation_peak_hz"), 0);
        Assert.True(sink.Mean("modulation_fraction_2_20hz") > 0.8);
    }

    [Theory]
    [InlineData(16000)]
    [InlineData(48000)]
    public void WhiteNoiseContrastMatchesExponentialOrderStatistics(int fs)
    {
        // Power of a white-noise bin is exponentially distributed (χ² with 2 degrees of freedom). For Exp(1)
        // the mean of the top 20 % is 1 + ln 5 = 2.609 and of the bottom 20 % is (1 − 0.8·(1 + ln 1.25))/0.2 =
        // 0.1074: contrast 10·log10(2.609/0.1074) = 13.85 dB. Wide sub-bands (many bins) approach it.
        var sink = Run(Signals.WhiteNoise(0.2, fs * 3, 11), fs);
        Assert.Equal(13.85, sink.Mean("contrast_1600_3200hz_db_mean"), 1.2);
        Assert.Equal(13.85, sink.Mean("contrast_3200_8000hz_db_mean"), 1.2);
        var sine = Run(Signals.Sine(1200, 0.5, fs, fs * 3), fs);
        Assert.True(sine.Mean("contrast_800_1600hz_db_mean") > 60, $"sine contrast {sine.Mean("contrast_800_1600hz_db_mean")}");
    }

    [Fact]
    public void ChromaOfASineIsConcentratedAndOfNoiseFlat()
    {
        const int fs = 16000;
        // 1000 Hz is bin 32 at 16 kHz (512-point frames); the Hann main lobe spreads it over bins 31–33, of which
        // 31 and 32 fold to pitch class B and 33 to C: peak share (1 + 0.25)/(1.5) = 0.83.
        var sine = Run(Signals.Sine(1000, 0.5, fs, fs * 3), fs);
        Assert.Equal(0.83, sine.Mean("chroma_peak_share"), 0.05);
        Assert.True(sine.Mean("chroma_entropy_bits_mean") < 1.2, $"sine chroma entropy {sine.Mean("chroma_entropy_bits_mean")}");
        Assert.True(sine.Mean("chroma_change_mean") < 0.02);
        var noise = Run(Signals.WhiteNoise(0.2, fs * 3, 12), fs);
        // Flat power over 500–4000 Hz spreads almost evenly over the 12 classes: entropy near log2 12 = 3.58 bits.
        Assert.True(noise.Mean("chroma_entropy_bits_mean") > 3.2, $"noise chroma entropy {noise.Mean("chroma_entropy_bits_mean")}");
        Assert.True(noise.Mean("chroma_peak_share") < 0.15);
    }

    [Fact]
    public void TonesAlternatingEveryQuarterSecondDecorrelateAtTheLongLag()
    {
        const int fs = 16000;
        // 1 kHz and 4 kHz alternate every 250 ms (over a −60 dB noise floor): frames 10 ms apart mostly hold the
        // same tone, frames 250 ms apart mostly the other one. Steady noise keeps its band shape at both lags.
        var x = Signals.WhiteNoise(0.0005, fs * 4, 13);
        for (int i = 0; i < x.Length; i++)
        {
            double f = (i / (fs / 4)) % 2 == 0 ? 1000 : 4000;
            x[i] += (float)(0.5 * Math.Sin(2 * Math.PI * f * i / fs));
        }

        var alt = Run(x, fs);
        Assert.True(alt.Mean("band_spectrum_corr_10ms") > 0.8, $"10 ms {alt.Mean("band_spectrum_corr_10ms")}");
        Assert.True(alt.Mean("band_spectrum_corr_250ms") < 0.3, $"250 ms {alt.Mean("band_spectrum_corr_250ms")}");
        var noise = Run(Signals.WhiteNoise(0.2, fs * 3, 14), fs);
        Assert.True(noise.Mean("band_spectrum_corr_250ms") > 0.8, $"noise 250 ms {noise.Mean("band_spectrum_corr_250ms")}");
    }

    [Fact]
    public void SwitchedLowToneShowsOnlyInTheLowBandLevelSpread()
    {
        const int fs = 16000;
        // Steady white noise plus a 100 Hz tone switched on and off every 250 ms, 30 dB above the noise in its band.
        var x = Signals.WhiteNoise(0.05, fs * 4, 15);
        for (int i = 0; i < x.Length; i++)
        {
            if ((i / (fs / 4)) % 2 == 0) x[i] += (float)(0.5 * Math.Sin(2 * Math.PI * 100 * i / fs));
        }

        var sink = Run(x, fs);
        Assert.True(sink.Mean("level_sd_50_160hz_db") > 8, $"low band SD {sink.Mean("level_sd_50_160hz_db")}");
        Assert.True(sink.Mean("level_sd_3150_6300hz_db") < 1, $"high band SD {sink.Mean("level_sd_3150_6300hz_db")}");
    }

    [Fact]
    public void TwelveHertzAmNoiseHasItsModulationInTheEightToSixteenHertzBand()
    {
        const int fs = 16000;
        var noise = Signals.WhiteNoise(0.2, fs * 4, 16);
        var am = new float[noise.Length];
        for (int i = 0; i < am.Length; i++) am[i] = (float)(noise[i] * (1 + Math.Cos(2 * Math.PI * 12 * i / fs)));
        var sink = Run(am, fs);
        // 12 Hz and its Hann leakage (±1 bin of 100/97 Hz) lie inside 8–16 Hz.
        Assert.True(sink.Mean("modulation_fraction_8_16hz") > 0.8, $"8–16 Hz {sink.Mean("modulation_fraction_8_16hz")}");
        Assert.True(sink.Mean("modulation_fraction_2_4hz") < 0.05);
        Assert.True(sink.Mean("modulation_fraction_16_32hz") < 0.1);
    }

    [Fact]
    public void SteadyToneSurvivesTheLongTermSpectrumButASweepingToneDoesNot()
    {
        const int fs = 16000;
        // Both carry a strong tone in every frame (frame prominence > 20 dB). Averaged over the window's frames
        // the steady 1 kHz tone stays a narrow peak; a tone sweeping 1–2 kHz once a second (about one bin per
        // frame) spreads its power evenly over that range, leaving no peak (at most ≈ 3 dB at the range's edges).
        var steady = Signals.WhiteNoise(0.01, fs * 3, 21);
        var sweep = Signals.WhiteNoise(0.01, fs * 3, 22);
        double phase = 0;
        for (int i = 0; i < steady.Length; i++)
        {
            steady[i] += (float)(0.3 * Math.Sin(2 * Math.PI * 1000 * i / fs));
            double f = 1000 + 1000.0 * (i % fs) / fs;
            phase += 2 * Math.PI * f / fs;
            sweep[i] += (float)(0.3 * Math.Sin(phase));
        }

        var a = Run(steady, fs);
        var b = Run(sweep, fs);
        Assert.True(a.Mean("peak_prominence_db_mean") > 20, $"steady frame prominence {a.Mean("peak_prominence_db_mean")}");
        Assert.True(b.Mean("peak_prominence_db_mean") > 20, $"sweep frame prominence {b.Mean("peak_prominence_db_mean")}");
        Assert.True(a.Mean("ltas_peak_prominence_db") > 30, $"steady LTAS prominence {a.Mean("ltas_peak_prominence_db")}");
        Assert.True(a.Mean("ltas_tonal_peaks") >= 1, $"steady tonal peaks {a.Mean("ltas_tonal_peaks")}");
        Assert.True(b.Mean("ltas_peak_prominence_db") < 10, $"sweep LTAS prominence {b.Mean("ltas_peak_prominence_db")}");
        Assert.True(a.Mean("ltas_contrast_800_1600hz_db") > 30, $"steady LTAS contrast {a.Mean("ltas_contrast_800_1600hz_db")}");
    }

    [Theory]
    [InlineData(16000)]
    [InlineData(48000)]
    public void WhiteNoiseHasAFlatLongTermSpectrum(int fs)
    {
        // A bin of the mean spectrum is the mean of ~97 (correlated, overlapping) exponential variables: its
        // relative SD is ≈ 0.1–0.2, so the mean spectrum is nearly flat (geometric/arithmetic mean ≈ 0.98–0.99), its
        // top-20 % over bottom-20 % contrast is ≈ 1–3 dB (against 13.85 dB for one frame) and no bin stands 10 dB out.
        var sink = Run(Signals.WhiteNoise(0.2, fs * 3, 23), fs);
        Assert.InRange(sink.Mean("ltas_flatness"), 0.95, 1.0);
        Assert.InRange(sink.Mean("ltas_contrast_3200_8000hz_db"), 0.3, 3.0);
        Assert.Equal(0, sink.Mean("ltas_tonal_peaks"));
        Assert.True(sink.Mean("ltas_peak_prominence_db") < 5, $"noise LTAS prominence {sink.Mean("ltas_peak_prominence_db")}");
    }

    [Fact]
    public void ModulatedLowToneShowsOnlyInTheLowGroupModulation()
    {
        const int fs = 16000;
        // 100 Hz tone × (1 + cos 2π·6t) (modulation index 1) plus a steady 5 kHz tone: the 50–160 Hz group's
        // envelope is modulated at 6 Hz (slightly smoothed by the 32 ms frames), the 3.15–6.3 kHz group's is flat.
        var x = new float[fs * 4];
        for (int i = 0; i < x.Length; i++)
        {
            double t = (double)i / fs;
            x[i] = (float)(0.2 * (1 + Math.Cos(2 * Math.PI * 6 * t)) * Math.Sin(2 * Math.PI * 100 * t) + 0.2 * Math.Sin(2 * Math.PI * 5000 * t));
        }

        var sink = Run(x, fs);
        Assert.InRange(sink.Mean("modulation_depth_50_160hz"), 0.75, 1.1);
        Assert.True(sink.Mean("modulation_fraction_50_160hz_4_8hz") > 0.8, $"low 4–8 Hz {sink.Mean("modulation_fraction_50_160hz_4_8hz")}");
        Assert.True(sink.Mean("modulation_depth_3150_6300hz") < 0.02, $"high depth {sink.Mean("modulation_depth_3150_6300hz")}");
    }

    [Fact]
    public void ContextFeaturesAreTheMeanOfTheWindowAndTheTwoBefore()
    {
        const int fs = 16000;
        var sink = Run(Signals.LinearChirp(200, 6000, 0.3, fs, fs * 4), fs);
        int own = WindowFeatureExtractor.FeatureCount / 2;
        Assert.Equal("context_" + WindowFeatureExtractor.FeatureNames[0], WindowFeatureExtractor.FeatureNames[own]);
        Assert.True(sink.Windows.Count >= 6);
        for (int w = 0; w < sink.Windows.Count; w++)
        {
            int first = Math.Max(0, w - (WindowFeatureExtractor.ContextWindows - 1));
            for (int i = 0; i < own; i++)
            {
                double mean = 0;
                for (int v = first; v <= w; v++) mean += sink.Windows[v][i];
                mean /= w - first + 1;
                Assert.Equal(mean, sink.Windows[w][own + i], 1e-4 * Math.Max(1, Math.Abs(mean)));
            }
        }

        Assert.Equal(sink.Windows[0].AsSpan(0, own).ToArray(), sink.Windows[0].AsSpan(own).ToArray());
    }

    [Fact]
    public void ClicksAtFivePerSecondGiveOnsetRateFive()
    {
        const int fs = 16000;
        var x = Signals.WhiteNoise(0.001, fs * 5, 5);
        for (int c = 0; c < 25; c++)
        {
            int at = (int)((c + 0.1) * fs / 5);
            for (int i = 0; i < 40; i++) x[at + i] += (float)(0.8 * Math.Exp(-i / 8.0) * (i % 2 == 0 ? 1 : -1));
        }

        var sink = Run(x, fs);
        Assert.InRange(sink.Mean("onset_rate_hz"), 4.5, 5.5);
        Assert.True(sink.Mean("crest_factor_db") > 20);
        var noise = Run(Signals.WhiteNoise(0.1, fs * 5, 6), fs);
        Assert.Equal(0, noise.Mean("onset_rate_hz"), 3);
    }

    [Fact]
    public void StreamingEqualsBatchForAnyBlockSize()
    {
        const int fs = 22050;
        var x = Signals.LinearChirp(200, 5000, 0.3, fs, fs * 3);
        var whole = Run(x, fs, x.Length);
        foreach (int block in new[] { 1, 97, 441, 5000 })
        {
            var parts = Run(x, fs, block);
            Assert.Equal(whole.Windows.Count, parts.Windows.Count);
            for (int w = 0; w < whole.Windows.Count; w++) Assert.Equal(whole.Windows[w], parts.Windows[w]);
        }
    }

    [Fact]
    public void ShortClipGivesOnePartialWindowAndSilenceStaysFinite()
    {
        const int fs = 16000;
        var sink = Run(Signals.Sine(500, 0.3, fs, fs / 3), fs);
        Assert.Single(sink.Windows);
        var silence = Run(new float[fs * 2], fs);
        Assert.Equal(3, silence.Windows.Count);
        Assert.All(silence.Windows, w => Assert.All(w, v => Assert.True(float.IsFinite(v))));
        Assert.Equal(-120, silence.Mean("leq_dbfs"), 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WindowFeatureExtractor(7999, new WindowFeatureSettings()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WindowFeatureExtractor(192_001, new WindowFeatureSettings()));
    }

    [Fact]
    public void TheInterpolationTailCompletesTheLastFrame()
    {
        // 11 936 samples at 8 kHz are 23 872 at 16 kHz: exactly 147 frames of 512 every 160, so two windows (97 frames,
        // hop 50). Without the filter's last 64 outputs (Flush at Complete) there would be 146 frames and one window.
        var x = Signals.WhiteNoise(0.1, 11_936, 12);
        var low = Run(x, 8000);
        var high = Run(Signals.WhiteNoise(0.1, 23_872, 12), 16000);
        Assert.Equal(2, high.Windows.Count);
        Assert.Equal(high.Starts, low.Starts);

        // Pushing after Complete is refused at every rate; a second Complete does nothing.
        foreach (int fs in new[] { 8000, 16000 })
        {
            var extractor = new WindowFeatureExtractor(fs, new WindowFeatureSettings());
            var sink = new CollectingSink();
            extractor.Push(x, sink);
            extractor.Complete(sink);
            extractor.Complete(sink);
            Assert.Throws<InvalidOperationException>(() => extractor.Push(x, sink));
        }
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(11025)]
    public void StreamsBelow16KHzAreAnalysedAtTwiceTheirRateLikeTheSameSoundAt16KHz(int rate)
    {
        // A 1 kHz tone plus an amplitude-modulated 400 Hz tone, made at the low rate and at twice it: interpolated ×2, the
        // low-rate stream gives the same windows at the same positions and the same features as the sound made at twice
        // the rate (which has no content above the low rate's Nyquist frequency either).
        var extractor = new WindowFeatureExtractor(rate, new WindowFeatureSettings());
        Assert.Equal(2 * rate, extractor.SampleRate);
        Assert.Equal(rate, extractor.InputSampleRate);
        CollectingSink Make(int fs)
        {
            var tone = Signals.Sine(1000, 0.3, fs, fs * 3);
            var hum = Signals.Sine(400, 0.05, fs, fs * 3);
            for (int i = 0; i < tone.Length; i++) tone[i] += hum[i] * (float)(1 + 0.8 * Math.Sin(2 * Math.PI * 4 * i / fs));
            return Run(tone, fs);
        }

        var low = Make(rate);
        var high = Make(2 * rate);
        Assert.Equal(high.Starts, low.Starts);
        foreach (string name in new[] { "leq_dbfs", "peak_frequency_khz_p50", "band_1000hz_rel_db", "band_400hz_rel_db", "modulation_depth_2_20hz" })
        {
            Assert.Equal(high.Mean(name), low.Mean(name), 0.02);
        }
    }

    [Fact]
    public void PushAllocatesNothingInSteadyState()
    {
        const int fs = 48000;
        var ex = new WindowFeatureExtractor(fs, new WindowFeatureSettings());
        var x = Signals.WhiteNoise(0.1, fs, 7);
        var sink = new CountingSink();
        ex.Push(x, sink);
        ex.Push(x, sink);
        Assert.Equal(0, AcousticCore.Tests.TestSupport.AllocationProbe.SteadyStateBytes(() => ex.Push(x, sink), warmUp: 4, iterations: 4));
        Assert.True(sink.Count >= 10);
    }

    private sealed class CountingSink : IWindowFeatureSink
    {
        public int Count;

        public void OnWindow(long startSample, int sampleCount, ReadOnlySpan<float> features) => Count++;
    }
}
