using AcousticCore.Voice;
using Xunit;

namespace AcousticCore.Tests.Voice;

public class PerturbationTests
{
    private static double[] PulseTimes(double period, double relativeAlternation, int count)
    {
        var t = new double[count];
        for (int i = 1; i < count; i++) t[i] = t[i - 1] + period * (i % 2 == 0 ? 1 + relativeAlternation : 1 - relativeAlternation);
        return t;
    }

    [Fact]
    public void PeriodicPulseTrainHasZeroJitter()
    {
        var j = Perturbation.Jitter(PulseTimes(0.008, 0, 200));
        Assert.Equal(0, j.Local, 12);
        Assert.Equal(0, j.Rap, 12);
        Assert.Equal(0, j.Ppq5, 12);
        Assert.Equal(0.008, j.MeanPeriodSeconds, 12);
        Assert.Equal(199, j.PeriodCount);
    }

    [Fact]
    public void AlternatingPeriodsGiveKnownJitter()
    {
        // periods T(1 ± x): |T_i − T_{i−1}| = 2xT → local = 2x; |T_i − mean of 3| = (2/3)·2xT → rap = 4x/3;
        // five-point: |T_i − mean of 5| = |±xT ∓ xT/5| = (4/5)xT → ppq5 = 4x/5
        const double x = 0.01, T = 0.008;
        var j = Perturbation.Jitter(PulseTimes(T, x, 301));
        Assert.Equal(2 * x, j.Local, 9);
        Assert.Equal(2 * x * T, j.LocalAbsoluteSeconds, 12);
        Assert.Equal(4 * x / 3, j.Rap, 9);
        Assert.Equal(4 * x / 5, j.Ppq5, 9);
        Assert.Equal(3 * j.Rap, j.Ddp, 12);
    }

    [Fact]
    public void PeriodsOutsideTheRulesAreSkipped()
    {
        // a 30 ms gap (> 0.02 s longest period) and a factor-2 jump (> 1.3) must not enter jitter
        var t = new List<double>();
        for (int i = 0; i < 50; i++) t.Add(i * 0.01);
        double last = t[^1] + 0.03;
        for (int i = 0; i < 50; i++) t.Add(last + i * 0.01);
        var j = Perturbation.Jitter(t.ToArray());
        Assert.Equal(0, j.Local, 12);
        Assert.Equal(0.01, j.MeanPeriodSeconds, 12);
    }

    [Fact]
    public void TooFewPulsesAreUndefined()
    {
        var j = Perturbation.Jitter(new[] { 0.1, 0.11 });
        Assert.True(double.IsNaN(j.Local));
        var s = Perturbation.Shimmer(new float[1600], 16000, new[] { 0.01, 0.02 });
        Assert.True(double.IsNaN(s.Local));
    }

    [Fact]
    public void AlternatingImpulseAmplitudesGiveKnownShimmer()
    {
        // impulses every 128 samples at 16 kHz (125 Hz) with amplitudes 1.0, 0.8, ...: the Hann-windowed RMS of each
        // period is proportional to its impulse, so shimmer local = 0.2/0.9 and local dB = 20·log10(1.25)
        const int fs = 16000, period = 128, count = 101;
        var pos = Enumerable.Range(0, count).Select(k => 200 + k * period).ToArray();
        var amp = Enumerable.Range(0, count).Select(k => k % 2 == 0 ? 1.0 : 0.8).ToArray();
        var x = VoiceSignals.Impulses(200 + count * period + 200, pos, amp);
        var times = pos.Select(p => (p + 0.5) / fs).ToArray();
        var s = Perturbation.Shimmer(x, fs, times);
        Assert.Equal(0.2 / 0.9, s.Local, 2);
        Assert.Equal(20 * Math.Log10(1.25), s.LocalDb, 6);
        // three-point: |a2 − mean(a1..a3)| = 2/3·0.2 → apq3 = 0.1333/0.9
        Assert.Equal(2.0 / 3 * 0.2 / 0.9, s.Apq3, 2);
        Assert.Equal(3 * s.Apq3, s.Dda, 12);
    }
}
