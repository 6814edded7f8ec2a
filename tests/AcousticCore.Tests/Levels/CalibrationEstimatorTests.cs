using AcousticCore.Levels;
using AcousticCore.Tests.Dsp;
using Xunit;

namespace AcousticCore.Tests.Levels;

public class CalibrationEstimatorTests
{
    private static float[] ToneWithNoise(double frequency, double levelDbfs, double noiseDbfs, int sampleRate, double seconds, int seed = 1)
    {
        double amplitude = Math.Sqrt(2) * Math.Pow(10, levelDbfs / 20) * Math.Sqrt(0.5); // AES17: RMS of full-scale sine = 0 dB
        double noiseRms = Math.Pow(10, noiseDbfs / 20) * Math.Sqrt(0.5);
        var rng = new Random(seed);
        var x = TestSignals.Sine(frequency, amplitude, sampleRate, (int)(seconds * sampleRate), phase: 0.3);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] += (float)(noiseRms * Math.Sqrt(3) * ((rng.NextDouble() * 2) - 1)); // uniform noise of that RMS
        }

        return x;
    }

    [Theory]
    [InlineData(48000, -20.0, 94.0)]
    [InlineData(44100, -35.5, 114.0)]
    [InlineData(16000, -6.0, 94.0)]
    public void OffsetBringsTheToneToTheReferenceLevel(int sampleRate, double toneDbfs, double reference)
    {
        var x = ToneWithNoise(1000, toneDbfs, toneDbfs - 40, sampleRate, 5);
        var result = CalibrationEstimator.Estimate(x, sampleRate, new CalibrationOptions { ReferenceLevelDb = reference });
        Assert.Equal(toneDbfs, result.MeasuredLevelDbfs, 0.02);      // noise 40 dB down is excluded from the tone level
        Assert.Equal(reference - toneDbfs, result.OffsetDb, 0.02);
        Assert.Equal(1000.0, result.ToneFrequencyHz, 0.2);
        Assert.InRange(result.SignalToNoiseDb, 35, 45);
        Assert.True(result.LevelVariationDb < 0.2);
        Assert.Equal(4.0, result.AnalysedDurationS, 0.01);
    }

    [Fact]
    public void MeterWithTheOffsetReadsTheReferenceLevel()
    {
        const int fs = 48000;
        var calibration = ToneWithNoise(1000, -26.3, -80, fs, 3);
        var result = CalibrationEstimator.Estimate(calibration, fs);
        var meter = new SoundLevelMeter(fs, new SoundLevelMeterOptions { CalibrationOffsetDb = result.OffsetDb });
        meter.Process(calibration);
        var v = new LevelValues(meter.Bands.Count);
        meter.GetSummary(v);
        Assert.Equal(94.0, v.LAeqDb, 0.1);
        Assert.Equal(94.0, v.LZeqDb, 0.1);
        Assert.Equal(94.0, v.BandLeqDb[meter.Bands.ToList().FindIndex(b => b.Label == "1000")], 0.1);
    }

    [Fact]
    public void PistonphoneAt250HzIsAcceptedWhenExpected()
    {
        var x = ToneWithNoise(250, -10, -70, 48000, 2);
        var result = CalibrationEstimator.Estimate(x, 48000, new CalibrationOptions { ExpectedFrequencyHz = 250, ReferenceLevelDb = 124 });
        Assert.Equal(134.0, result.OffsetDb, 0.02);
        Assert.Equal(250.0, result.ToneFrequencyHz, 0.2);
        var any = CalibrationEstimator.Estimate(x, 48000, new CalibrationOptions { ExpectedFrequencyHz = null });
        Assert.Equal(250.0, any.ToneFrequencyHz, 0.2);
    }

    [Fact]
    public void ToneAtTheWrongFrequencyIsRejected()
    {
        var x = ToneWithNoise(250, -10, -70, 48000, 2);
        var ex = Assert.Throws<CalibrationException>(() => CalibrationEstimator.Estimate(x, 48000));
        Assert.Contains("250", ex.Message);
        Assert.Contains("1000", ex.Message);
    }

    [Fact]
    public void NoiseWithoutToneIsRejected()
    {
        var x = ToneWithNoise(1000, -60, -20, 48000, 2);
        var ex = Assert.Throws<CalibrationException>(() => CalibrationEstimator.Estimate(x, 48000));
        Assert.Contains("no dominant tone", ex.Message);
    }

    [Fact]
    public void ToneThatChangesLevelIsRejected()
    {
        var x = ToneWithNoise(1000, -20, -80, 48000, 4);
        for (int i = x.Length / 2; i < x.Length; i++) x[i] *= 1.5f; // +3.5 dB halfway
        var ex = Assert.Throws<CalibrationException>(() => CalibrationEstimator.Estimate(x, 48000));
        Assert.Contains("not steady", ex.Message);
    }

    [Fact]
    public void ShortSilentAndNonFiniteRecordingsAreRejected()
    {
        Assert.Contains("at least 1 s", Assert.Throws<CalibrationException>(() => CalibrationEstimator.Estimate(new float[1000], 48000)).Message);
        Assert.Contains("silence", Assert.Throws<CalibrationException>(() => CalibrationEstimator.Estimate(new float[96000], 48000)).Message);
        var x = ToneWithNoise(1000, -20, -80, 48000, 2);
        x[5000] = float.NaN;
        Assert.Contains("sample 5000", Assert.Throws<CalibrationException>(() => CalibrationEstimator.Estimate(x, 48000)).Message);
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CalibrationOptions { ReferenceLevelDb = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CalibrationOptions { ExpectedFrequencyHz = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CalibrationOptions { MaxLevelVariationDb = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationEstimator.Estimate(new float[100000], 4000));
    }
}
