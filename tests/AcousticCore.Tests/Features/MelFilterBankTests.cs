using AcousticCore.Dsp;
using AcousticCore.Features;
using Xunit;

namespace AcousticCore.Tests.Features;

/// <summary>Known-answer checks of the mel filter bank.</summary>
public class MelFilterBankTests
{
    [Fact]
    public void HtkMelScaleKnownValues()
    {
        // 1000 Hz ↔ 999.99 mel (2595·log10(1 + 1000/700)); 700 Hz ↔ 2595·log10(2) = 781.17.
        Assert.Equal(999.9855, MelFilterBank.HzToMel(1000), 1e-4);
        Assert.Equal(2595 * Math.Log10(2), MelFilterBank.HzToMel(700), 9);
        Assert.Equal(4000, MelFilterBank.MelToHz(MelFilterBank.HzToMel(4000)), 9);
    }

    [Fact]
    public void CentresAreEvenlySpacedInMelAndEdgesMatchNeighbours()
    {
        var bank = new MelFilterBank(16000, 512, 26, 0, 8000);
        double step = MelFilterBank.HzToMel(8000) / 27;
        for (int m = 0; m < 26; m++)
        {
            Assert.Equal(step * (m + 1), MelFilterBank.HzToMel(bank.CenterFrequencyHz(m)), 6);
            Assert.Equal(step * m, MelFilterBank.HzToMel(bank.LowerEdgeHz(m)), 6);
            Assert.Equal(step * (m + 2), MelFilterBank.HzToMel(bank.UpperEdgeHz(m)), 6);
            if (m > 0) Assert.Equal(bank.CenterFrequencyHz(m - 1), bank.LowerEdgeHz(m), 9);
        }
    }

    [Fact]
    public void UnitPeakTrianglesRiseToOneAtTheCentreAndAreLinearInHz()
    {
        // 48 kHz, 8192-point FFT: 5.86 Hz bins, so every triangle is sampled finely.
        var bank = new MelFilterBank(48000, 8192, 20, 100, 8000);
        double binHz = 48000.0 / 8192;
        for (int m = 0; m < bank.FilterCount; m++)
        {
            ReadOnlySpan<float> w = bank.GetWeights(m, out int first);
            double lo = bank.LowerEdgeHz(m), c = bank.CenterFrequencyHz(m), hi = bank.UpperEdgeHz(m);
            int peakIndex = 0;
            for (int k = 0; k < w.Length; k++)
            {
                double f = (first + k) * binHz;
                Assert.InRange(f, lo, hi);
                double expected = f <= c ? (f - lo) / (c - lo) : (hi - f) / (hi - c);
                Assert.Equal(expected, w[k], 1e-6);
                if (w[k] > w[peakIndex]) peakIndex = k;
            }

            Assert.True(Math.Abs((first + peakIndex) * binHz - c) <= binHz, $"filter {m} peak off centre");
            Assert.True(w[peakIndex] > 1 - binHz / (c - lo) && w[peakIndex] <= 1f);
        }
    }

    [Fact]
    public void UnitAreaTrianglesIntegrateToOne()
    {
        var bank = new MelFilterBank(48000, 16384, 24, 50, 12000, MelFilterNormalization.UnitArea);
        double binHz = 48000.0 / 16384;
        for (int m = 0; m < bank.FilterCount; m++)
        {
            ReadOnlySpan<float> w = bank.GetWeights(m, out _);
            double area = 0;
            foreach (float v in w) area += v * binHz; // Riemann sum of a triangle sampled on a fine grid
            Assert.True(Math.Abs(area - 1) < 0.01, $"filter {m} area {area}");
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(21)]
    public void PureToneAtAFilterCentreLandsInThatFilter(int target)
    {
        const int fs = 16000, n = 1024;
        var bank = new MelFilterBank(fs, n, 26, 0, 8000);
        double binHz = (double)fs / n;
        // Snap the tone to the bin nearest the centre so it is periodic in the frame (no leakage beyond the window's main lobe).
        double f = Math.Round(bank.CenterFrequencyHz(target) / binHz) * binHz;
        var frame = new float[n];
        for (int t = 0; t < n; t++) frame[t] = (float)(Math.Sin(2 * Math.PI * f * t / fs) * (0.5 - 0.5 * Math.Cos(2 * Math.PI * t / n)));
        var spec = new float[n + 2];
        new FftPlan(n).Forward(frame, spec);
        var power = new float[n / 2 + 1];
        MfccExtractor.PowerSpectrum(spec, power);
        var e = new float[26];
        bank.Apply(power, e);
        int best = 0;
        double total = 0;
        for (int m = 0; m < 26; m++)
        {
            total += e[m];
            if (e[m] > e[best]) best = m;
        }

        Assert.Equal(target, best);
        // Hann main lobe is ±2 bins; what spills goes only into the two overlapping neighbours.
        Assert.True((e[target - 1] + e[target] + e[target + 1]) / total > 0.999);
    }

    [Fact]
    public void RejectsBadParameters()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MelFilterBank(16000, 512, 26, 0, 9000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MelFilterBank(16000, 512, 26, 4000, 3000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MelFilterBank(16000, 512, 0, 0, 8000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MelFilterBank(16000, 64, 128, 0, 8000)); // empty filters
        Assert.Throws<ArgumentOutOfRangeException>(() => new MelFilterBank(16000, 512, 26, double.NaN, 8000));
        var bank = new MelFilterBank(16000, 512, 26, 0, 8000);
        Assert.Throws<ArgumentException>(() => bank.Apply(new float[100], new float[26]));
        Assert.Throws<ArgumentException>(() => bank.Apply(new float[257], new float[10]));
    }
}
