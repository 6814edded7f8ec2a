using AcousticCore.Pipeline;
using AcousticCore.Voice;
using Xunit;

namespace AcousticCore.Tests.Voice;

public class VoiceRobustnessTests
{
    private static void AssertWellFormed(VoiceAnalysis a)
    {
        foreach (var f in a.Segments.Append(a.Summary))
        {
            foreach (var (name, value) in f.ToRecord("summary", "x").Fields)
            {
                if (value is double d) Assert.False(double.IsInfinity(d), name);
            }

            Assert.InRange(f.VoicedDurationSeconds, 0, f.DurationSeconds + 1e-9);
        }
    }

    public static IEnumerable<object[]> BadSignals()
    {
        const int fs = 16000;
        yield return ["silence", new float[fs], fs, "no voiced frames"];
        yield return ["empty", Array.Empty<float>(), fs, "empty"];
        yield return ["50 ms", VoiceSignals.Tone(fs, 0.05, 150), fs, ""];
        yield return ["20 ms", VoiceSignals.Tone(fs, 0.02, 150), fs, "too short"];
        yield return ["white noise", VoiceSignals.WhiteNoise(fs, 0.1, 1), fs, ""];
        var clicks = new float[fs];
        for (int i = 0; i < clicks.Length; i += 160) clicks[i] = 1f; // 100 Hz click train
        yield return ["click train", clicks, fs, ""];
        var clipped = VoiceSignals.Tone(fs, 1, 140, amplitude: 3).Select(v => Math.Clamp(v, -1f, 1f)).ToArray();
        yield return ["clipped", clipped, fs, ""];
        var chord = VoiceSignals.Tone(fs, 1, 262).Zip(VoiceSignals.Tone(fs, 1, 330), (p, q) => p + q)
            .Zip(VoiceSignals.Tone(fs, 1, 392), (p, q) => 0.5f * (p + q)).ToArray();
        yield return ["music chord", chord, fs, ""];
        yield return ["8 kHz tone", VoiceSignals.Tone(8000, 1, 120), 8000, ""];
        var broken = VoiceSignals.Tone(fs, 1, 150);
        broken[100] = float.NaN;
        broken[200] = float.PositiveInfinity;
        yield return ["NaN and infinity samples", broken, fs, ""];
        yield return ["DC only", Enumerable.Repeat(0.5f, fs).ToArray(), fs, "no voiced frames"];
    }

    [Theory]
    [MemberData(nameof(BadSignals))]
    public void BadInputGivesRecordsNotCrashes(string name, float[] x, int fs, string expectedNote)
    {
        var a = VoiceAnalyzer.Analyze(x, fs);
        AssertWellFormed(a);
        Assert.Contains(expectedNote, a.Summary.Note, StringComparison.Ordinal);
        if (expectedNote.Length > 0)
        {
            Assert.Equal(0, a.Summary.VoicedDurationSeconds);
            Assert.Empty(a.Segments);
            Assert.True(double.IsNaN(a.Summary.F0MeanHz), name);
        }
    }

    [Fact]
    public void NaNBecomesNullInJsonAndEmptyInCsv()
    {
        var a = VoiceAnalyzer.Analyze(new float[16000], 16000);
        var json = new StringWriter();
        new JsonLinesRecordWriter(json).Write(a.Summary.ToRecord("summary", "silence.wav"));
        Assert.Contains("\"f0_mean_hz\":null", json.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"voiced_duration_s\":0", json.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", json.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidArgumentsAreRejectedWithTheirName()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VoiceAnalyzer.Analyze(new float[10], 0));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PitchOptions { FloorHz = -1 });
        Assert.Equal("FloorHz", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PerturbationOptions { MaximumPeriodFactor = double.NaN });
    }
}
