using AcousticCore.Voice;
using Xunit;
using Xunit.Abstractions;

namespace AcousticCore.Tests.Voice;

public class VoiceFeatureTests(ITestOutputHelper output)
{
    private const int Fs = 16000;

    [Fact]
    public void SteadyToneHasKnownSemitonesAndNoTremor()
    {
        var a = VoiceAnalyzer.Analyze(VoiceSignals.Tone(Fs, 1.5, 200), Fs).Summary;
        double st = 12 * Math.Log2(200 / 27.5);
        Assert.Equal(200, a.F0MeanHz, 1);
        Assert.Equal(st, a.F0MeanSemitones, 2);
        Assert.Equal(st, a.F0P50Semitones, 2);
        Assert.InRange(a.F0RangeSemitones, 0, 0.05);
        Assert.InRange(a.F0TremorRelativeEnergy, 0, 0.15);
        Assert.InRange(a.AmplitudeTremorRelativeEnergy, 0, 0.15);
        Assert.InRange(a.Jitter!.Local, 0, 0.001);
        Assert.InRange(a.HnrDb, 30, 150);
        Assert.Single(VoiceAnalyzer.Analyze(VoiceSignals.Tone(Fs, 1.5, 200), Fs).Segments);
        output.WriteLine($"steady: tremor f0 {a.F0TremorRelativeEnergy:F3} amp {a.AmplitudeTremorRelativeEnergy:F3} hnr {a.HnrDb:F1}");
    }

    [Fact]
    public void TenHertzFrequencyModulationIsF0Tremor()
    {
        var a = VoiceAnalyzer.Analyze(VoiceSignals.Tone(Fs, 1.5, 150, fmDepth: 0.03), Fs).Summary;
        output.WriteLine($"FM: tremor f0 {a.F0TremorRelativeEnergy:F3} amp {a.AmplitudeTremorRelativeEnergy:F3}");
        Assert.InRange(a.F0TremorRelativeEnergy, 0.8, 1.0);
        // ±3 % FM spans 12·log2(1.03/0.97) ≈ 1.04 semitones peak to peak
        Assert.InRange(a.F0RangeSemitones, 0.5, 1.1);
    }

    [Fact]
    public void TenHertzAmplitudeModulationIsAmplitudeTremor()
    {
        var a = VoiceAnalyzer.Analyze(VoiceSignals.Tone(Fs, 1.5, 150, amDepth: 0.3), Fs).Summary;
        output.WriteLine($"AM: tremor f0 {a.F0TremorRelativeEnergy:F3} amp {a.AmplitudeTremorRelativeEnergy:F3}");
        Assert.InRange(a.AmplitudeTremorRelativeEnergy, 0.8, 1.0);
        Assert.InRange(a.F0TremorRelativeEnergy, 0, 0.3);
    }

    [Fact]
    public void GlideHasKnownRisingSlope()
    {
        // exponential glide 100 → 200 Hz over 1.5 s: exactly 12 semitones / 1.5 s = 8 st/s
        var x = new float[(int)(1.5 * Fs)];
        double phase = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double f = 100 * Math.Pow(2, i / (double)x.Length);
            phase += 2 * Math.PI * f / Fs;
            x[i] = (float)(0.5 * Math.Sin(phase));
        }

        var a = VoiceAnalyzer.Analyze(x, Fs).Summary;
        output.WriteLine($"glide rising {a.F0RisingSlopeSemitonesPerSecond:F3} falling {a.F0FallingSlopeSemitonesPerSecond:F3}");
        Assert.InRange(a.F0RisingSlopeSemitonesPerSecond, 7.6, 8.4);
        Assert.True(double.IsNaN(a.F0FallingSlopeSemitonesPerSecond) || a.F0FallingSlopeSemitonesPerSecond > -1);
    }

    [Fact]
    public void ToneBurstsAreCountedAsVoicedSegments()
    {
        // three 0.3 s bursts separated by 0.2 s of silence
        var x = new float[(int)(1.6 * Fs)];
        var tone = VoiceSignals.Tone(Fs, 0.3, 180);
        foreach (double start in new[] { 0.1, 0.6, 1.1 }) tone.CopyTo(x, (int)(start * Fs));
        var a = VoiceAnalyzer.Analyze(x, Fs);
        Assert.Equal(3, a.Segments.Count);
        foreach (var s in a.Segments)
        {
            Assert.InRange(s.DurationSeconds, 0.27, 0.33);
            Assert.InRange(s.F0MeanHz, 179, 181);
        }

        Assert.Equal(3 / 1.6, a.Summary.VoicedSegmentsPerSecond, 6);
        Assert.InRange(a.Summary.VoicedSegmentMeanSeconds, 0.27, 0.33);
        Assert.InRange(a.Summary.VoicedSegmentSdSeconds, 0, 0.01);
    }

    [Fact]
    public void SpectralFrameFeaturesFollowTheirDefinitions()
    {
        const double binHz = 10;
        int bins = 801; // 0..8 kHz
        var band = new int[bins];
        var energy = new double[25];
        for (int k = 0; k < bins; k++) band[k] = k == 0 ? -1 : Math.Min(24, (int)(k * binHz / 400));
        // flat spectrum: alpha = 10·log10(#bins 1–5 kHz / #bins 50 Hz–1 kHz) = 10·log10(401 / 95)
        var flat = Enumerable.Repeat(1.0, bins).ToArray();
        SpectralVoiceFeatures.FrameFeatures(flat, binHz, band, energy, out double loud1, out double alpha, out double ham, out double s0, out double s1);
        Assert.Equal(10 * Math.Log10(401.0 / 95.0), alpha, 9);
        Assert.Equal(0, ham, 9);
        Assert.Equal(0, s0, 9);
        Assert.Equal(0, s1, 9);
        // ×10 power → loudness × 10^0.3 (Stevens' exponent)
        SpectralVoiceFeatures.FrameFeatures(flat.Select(v => v * 10).ToArray(), binHz, band, energy, out double loud2, out _, out _, out _, out _);
        Assert.Equal(Math.Pow(10, 0.3), loud2 / loud1, 9);
        // dB spectrum falling 0.02 dB/Hz with peaks of 40 dB at 300 Hz and 25 dB at 3 kHz
        var sloped = Enumerable.Range(0, bins).Select(k => Math.Pow(10, (-0.02 * k * binHz) / 10)).ToArray();
        Assert.Equal(-0.02, SpectralVoiceFeatures.LogSpectrumSlope(sloped, binHz, 0, 500), 9);
        Assert.Equal(-0.02, SpectralVoiceFeatures.LogSpectrumSlope(sloped, binHz, 500, 1500), 9);
        var peaks = new double[bins];
        Array.Fill(peaks, 1e-6);
        peaks[30] = 1e4;
        peaks[300] = Math.Pow(10, 2.5);
        SpectralVoiceFeatures.FrameFeatures(peaks, binHz, band, energy, out _, out _, out double ham2, out _, out _);
        Assert.Equal(15, ham2, 9);
    }

    [Fact]
    public void LouderVowelHasPowerLawLoudnessAndSameSpectralShape()
    {
        var (x, fs) = VoiceReferenceData.ReadWav("synth_steady_120_16k");
        var loud = x.Select(v => v * 2f).ToArray();
        var a = VoiceAnalyzer.Analyze(x, fs).Summary;
        var b = VoiceAnalyzer.Analyze(loud, fs).Summary;
        // +6.02 dB power → loudness × 4^0.3
        Assert.Equal(Math.Pow(4, 0.3), b.LoudnessAu / a.LoudnessAu, 3);
        Assert.Equal(a.AlphaRatioDb, b.AlphaRatioDb, 3);
        Assert.Equal(a.HammarbergIndexDb, b.HammarbergIndexDb, 3);
        Assert.Equal(a.SpectralSlope0To500, b.SpectralSlope0To500, 5);
        Assert.Equal(a.F0MeanHz, b.F0MeanHz, 6);
        Assert.Equal(a.Jitter!.Local, b.Jitter!.Local, 6);
        Assert.Equal(a.Shimmer!.Local, b.Shimmer!.Local, 6);
        output.WriteLine($"alpha {a.AlphaRatioDb:F2} ham {a.HammarbergIndexDb:F2} s0 {a.SpectralSlope0To500:F4} s1 {a.SpectralSlope500To1500:F4}");
    }

    [Fact]
    public void TeoAutocorrelationEnvelopeOfSteadyToneIsOneHalf()
    {
        // a tone's Teager energy is constant, so its biased autocorrelation falls linearly: area under envelope ≈ 1/2
        var a = VoiceAnalyzer.Analyze(VoiceSignals.Tone(Fs, 1.0, 1000), Fs).Summary;
        Assert.Equal(16, a.TeoCbAutoEnv.Count);
        Assert.InRange(a.TeoCbAutoEnv[7], 0.45, 0.52); // 920–1080 Hz band holds the tone
        double n = 400;
        var ramp = Enumerable.Range(0, (int)n).Select(k => (n - k) / n).ToArray();
        Assert.Equal((n + 1) / (2 * n), ModulationFeatures.EnvelopeArea(ramp), 9);
    }

    [Fact]
    public void TeoBandFilterInDoubleMatchesNWaves()
    {
        // The TEO bands run NWaves' Butterworth design in double precision. References: a Butterworth band pass has unit gain at
        // its centre frequency sqrt(lo·hi) (every band, to 0.1 %), and NWaves' own single-precision Process agrees where its
        // float coefficients are accurate enough (bands from 920 Hz; in the 100–200 Hz band at 16 kHz its poles sit so close to
        // z = 1 that float coefficients move the response by several per cent, which is why the double version is used).
        const int fs = 16000;
        var rng = new Random(3);
        var x = new double[fs];
        for (int i = 0; i < x.Length; i++) x[i] = Math.Sin(2 * Math.PI * 1000 * i / fs) + 0.3 * (rng.NextDouble() - 0.5);
        var edges = ModulationFeatures.TeoBandEdgesHz;
        for (int b = 0; b < edges.Length - 1; b++)
        {
            double lo = edges[b], hi = edges[b + 1], centre = Math.Sqrt(lo * hi);
            var design = new NWaves.Filters.Butterworth.BandPassFilter(lo / fs, hi / fs, 2);
            var tone = new double[4 * fs];
            for (int i = 0; i < tone.Length; i++) tone[i] = Math.Sin(2 * Math.PI * centre * i / fs);
            var y = new double[tone.Length];
            ModulationFeatures.FilterDoublePrecision(design.Tf.Numerator, design.Tf.Denominator, tone, y);
            double peak = 0;
            for (int i = 3 * fs; i < y.Length; i++) peak = Math.Max(peak, Math.Abs(y[i]));
            Assert.InRange(peak, 0.999, 1.001);
            if (lo < 920) continue;
            var mine = new double[x.Length];
            ModulationFeatures.FilterDoublePrecision(design.Tf.Numerator, design.Tf.Denominator, x, mine);
            double err = 0, energy = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double theirs = design.Process((float)x[i]);
                err += (mine[i] - theirs) * (mine[i] - theirs);
                energy += mine[i] * mine[i];
            }

            output.WriteLine($"{lo}-{hi} Hz: centre gain {peak:F5}, relative RMS difference to NWaves {Math.Sqrt(err / energy):E2}");
            Assert.InRange(Math.Sqrt(err / energy), 0, 1e-3);
        }
    }

    [Fact]
    public void FourBandTeagerLanesEqualOneBandAtATime()
    {
        // the SIMD lanes must compute exactly what the scalar filter and Ψ[n] = y[n]² − y[n−1]·y[n+1] compute
        const int fs = 16000;
        var rng = new Random(9);
        var x = new double[3000];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble() - 0.5;
        var num = new double[20];
        var den = new double[20];
        var designs = new NWaves.Filters.Base.TransferFunction[4];
        for (int j = 0; j < 4; j++)
        {
            designs[j] = new NWaves.Filters.Butterworth.BandPassFilter(ModulationFeatures.TeoBandEdgesHz[j + 6] / fs, ModulationFeatures.TeoBandEdgesHz[j + 7] / fs, 2).Tf;
            for (int c = 0; c < 5; c++)
            {
                num[4 * c + j] = designs[j].Numerator[c] / designs[j].Denominator[0];
                den[4 * c + j] = designs[j].Denominator[c] / designs[j].Denominator[0];
            }
        }

        var teo4 = new float[4 * x.Length];
        ModulationFeatures.TeagerOfFourBands(x, num, den, teo4);
        for (int j = 0; j < 4; j++)
        {
            var y = new double[x.Length];
            ModulationFeatures.FilterDoublePrecision(designs[j].Numerator, designs[j].Denominator, x, y);
            Assert.Equal(0f, teo4[j]);
            for (int i = 1; i < x.Length - 1; i++) Assert.Equal((float)(y[i] * y[i] - y[i - 1] * y[i + 1]), teo4[4 * i + j]);
        }
    }

    [Fact]
    public void BlockedEnvelopeAreaEqualsTheDefinition()
    {
        // single-precision blocked suffix maximum against the double definition, lengths with every remainder mod 8
        var rng = new Random(11);
        foreach (int n in new[] { 1, 7, 8, 9, 63, 400, 1103 })
        {
            var r = new float[n];
            for (int i = 0; i < n; i++) r[i] = (float)(Math.Cos(0.05 * i) * Math.Exp(-i / 200.0) + 0.2 * (rng.NextDouble() - 0.6));
            double expected = ModulationFeatures.EnvelopeArea(Array.ConvertAll(r, v => (double)v));
            Assert.Equal(expected, ModulationFeatures.EnvelopeArea(r.AsSpan()), 5);
        }
    }
}
