using AcousticCore.Voice;
using Xunit;
using Xunit.Abstractions;

namespace AcousticCore.Tests.Voice;

public class VoiceAnalyzerTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Clips() => VoiceReferenceData.Clips();

    [Theory]
    [MemberData(nameof(Clips))]
    public void SummaryPitchStatisticsAgreeWithPraat(string file)
    {
        var row = VoiceReferenceData.PraatRow(file);
        var s = VoiceReferenceData.Analysis(file).Summary;
        output.WriteLine($"{file}: mean {s.F0MeanHz:F4}/{row.Num("f0_mean_hz"):F4} sd {s.F0SdHz:F4}/{row.Num("f0_sd_hz"):F4} " +
            $"median {s.F0MedianHz:F4}/{row.Num("f0_median_hz"):F4} min {s.F0MinHz:F3}/{row.Num("f0_min_hz"):F3} max {s.F0MaxHz:F3}/{row.Num("f0_max_hz"):F3}");
        // Tolerances 0.5 % (mean, median, min, max) and 1 % (SD); see the README (Voice stress-pattern features) for the measured agreement.
        Assert.InRange(s.F0MeanHz / row.Num("f0_mean_hz"), 0.995, 1.005);
        Assert.InRange(s.F0MedianHz / row.Num("f0_median_hz"), 0.995, 1.005);
        Assert.InRange(s.F0MinHz / row.Num("f0_min_hz"), 0.995, 1.005);
        Assert.InRange(s.F0SdHz / row.Num("f0_sd_hz"), 0.99, 1.01);
        Assert.InRange(s.F0MaxHz / row.Num("f0_max_hz"), 0.995, 1.005);
        Assert.Equal(row.Num("voiced_frames") * row.Num("pitch_dt_s"), s.VoicedDurationSeconds, 4);
        Assert.InRange(s.Jitter!.Local * 100 / row.Num("jitter_local_pct"), 0.995, 1.005);
        Assert.InRange(s.HnrDb - row.Num("hnr_db"), -0.1, 0.1);
        Assert.Equal("", s.Note);
    }
}
