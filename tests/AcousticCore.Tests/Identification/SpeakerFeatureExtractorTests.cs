using AcousticCore.Identification;
using Xunit;

namespace AcousticCore.Tests.Identification;

/// <summary>Voice-activity gate and CMVN of the speaker features, on signals whose answer is known by construction.</summary>
public class SpeakerFeatureExtractorTests
{
    private static float[] Bursts(int fs, double amplitude)
    {
        // 1 s harmonic tone, 1 s digital silence, 1 s harmonic tone.
        var x = new float[3 * fs];
        for (int n = 0; n < x.Length; n++)
        {
            if (n >= fs && n < 2 * fs) continue;
            double t = (double)n / fs, s = 0;
            for (int h = 1; h <= 10; h++) s += Math.Sin(2 * Math.PI * 150 * h * t + h) / h;
            x[n] = (float)(amplitude * s);
        }

        return x;
    }

    [Fact]
    public void EnergyGateKeepsExactlyTheFramesThatTouchSound()
    {
        // 16 kHz: 400-sample frames every 160 samples. Frames starting before sample 16000 touch the first
        // burst (t = 0..99); frames ending after sample 32000 touch the second (t = 198..297). A frame
        // holding even one burst sample is within 30 dB of the loudest (1/400 of the energy is −26 dB);
        // frames inside the silence are digital zero. So 200 of 298 frames are kept.
        var extractor = new SpeakerFeatureExtractor(16000);
        int frames = extractor.Extract(Bursts(16000, 0.2), out float[] features);
        Assert.Equal(200, frames);
        Assert.Equal(200 * SpeakerFeatureExtractor.Dimension, features.Length);
        Assert.Equal(100, extractor.FramesPerSecond, 1e-9);
    }

    [Fact]
    public void SoundBelowTheAbsoluteFloorIsNotSpeech()
    {
        // Peak about 3e-4 of full scale: about −75 dBFS RMS, below the −55 dBFS floor.
        int frames = new SpeakerFeatureExtractor(16000).Extract(Bursts(16000, 1e-4), out _);
        Assert.Equal(0, frames);
    }

    [Fact]
    public void FeaturesHaveZeroMeanAndUnitVariancePerDimension()
    {
        var rng = new Random(3);
        float[] x = Bursts(16000, 0.2);
        for (int i = 0; i < x.Length; i++) x[i] += (float)(0.01 * (rng.NextDouble() - 0.5));
        int frames = new SpeakerFeatureExtractor(16000).Extract(x, out float[] f);
        const int d = SpeakerFeatureExtractor.Dimension;
        for (int i = 0; i < d; i++)
        {
            double mean = 0, sq = 0;
            for (int t = 0; t < frames; t++) { mean += f[t * d + i]; sq += f[t * d + i] * f[t * d + i]; }
            mean /= frames;
            Assert.Equal(0, mean, 1e-4);
            Assert.Equal(1, sq / frames - mean * mean, 1e-3);
        }
    }

    [Fact]
    public void ClipShorterThanOneFrameGivesNoFrames()
    {
        Assert.Equal(0, new SpeakerFeatureExtractor(8000).Extract(new float[100], out float[] f));
        Assert.Empty(f);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpeakerFeatureExtractor(7999));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpeakerFeatureExtractor(192_001));
    }
}
